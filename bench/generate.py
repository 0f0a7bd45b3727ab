"""Deterministic generator of realistic HOKS documents and the registry data they need.

Everything derives from (scale, seed): the same arguments give byte-identical files. The HOKS are
built from the national example documents that ship with the service (`ehoks.demo` data, the same
as `tests/data/examples/`): a base document's top-level fields plus part lists whose elements
(units, periods, demonstrations, assessors) are drawn from the examples' elements, so sizes and
shapes stay those of real documents while the number of units varies. Identifiers, names, dates
and Y-tunnukset are replaced per student; every date moves with the student's study right.

Written files (in the output directory):

* `organisations.json`: a JSON list of organisaatio documents (OPH, ~160 koulutustoimijat and
  their oppilaitokset);
* `students-NNN.jsonl`: Koski oppija documents, one per line, one study right each;
* `hoks.jsonl`: one line per HOKS: `provider-index TAB compact JSON` (the exact request body);
* `manifest.json`: scale, seed, generator version, providers and counts.
"""

from __future__ import annotations

import copy
import json
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import orjson

from ehoks.demo.loader import data_dir
from ehoks.hoksmodel.formats import (
    is_valid_business_id,
    is_valid_opiskeluoikeus_oid,
    is_valid_oppija_oid,
    is_valid_organisation_oid,
)

GENERATOR_VERSION = 4
PROVIDERS = 160
STUDENTS_PER_FILE = 25_000
OPH_OID = "1.2.246.562.10.00000000001"
STUDY_RIGHT_BASE = 3_000_000_000
OPPIJA_BASE = 4_000_000_000
ORGANISATION_BASE = 5_000_000_000
WORKPLACE = frozenset(
    {"osaamisenhankkimistapa_koulutussopimus", "osaamisenhankkimistapa_oppisopimus"}
)
APPRENTICESHIP = "osaamisenhankkimistapa_oppisopimus"
TEMPLATE_START = date(2017, 1, 1)  # the demo study rights' dates the examples fit into
TEMPLATE_END = date(2029, 12, 31)
HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
UNIT_LISTS = (
    "aiemmin-hankitut-ammat-tutkinnon-osat",
    "aiemmin-hankitut-paikalliset-tutkinnon-osat",
    "aiemmin-hankitut-yhteiset-tutkinnon-osat",
    "hankittavat-ammat-tutkinnon-osat",
    "hankittavat-paikalliset-tutkinnon-osat",
    "hankittavat-yhteiset-tutkinnon-osat",
    "opiskeluvalmiuksia-tukevat-opinnot",
)
# (probability the list is non-empty, mean extra elements): a student doing a whole
# qualification has several units to acquire and some recognised from before.
LIST_SHAPE = {
    "aiemmin-hankitut-ammat-tutkinnon-osat": (0.35, 0.6),
    "aiemmin-hankitut-paikalliset-tutkinnon-osat": (0.15, 0.2),
    "aiemmin-hankitut-yhteiset-tutkinnon-osat": (0.45, 0.6),
    "hankittavat-ammat-tutkinnon-osat": (0.85, 1.6),
    "hankittavat-paikalliset-tutkinnon-osat": (0.2, 0.3),
    "hankittavat-yhteiset-tutkinnon-osat": (0.6, 0.8),
    "opiskeluvalmiuksia-tukevat-opinnot": (0.15, 0.0),
}
FIRST_NAMES = (
    "Aino Helena", "Eetu Kalevi", "Emma Sofia", "Juho Antero", "Maija Liisa", "Matti Juhani",
    "Onni Tapani", "Venla Maria", "Leevi Olavi", "Ella Johanna", "Aleksi Mikael", "Sara Emilia",
    "Niilo Ilmari", "Iida Kristiina", "Veeti Petteri", "Lilja Annikki",
)  # fmt: skip
LAST_NAMES = (
    "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen",
    "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi",
)  # fmt: skip
PLACES = (
    "Hämeenkylä", "Pohjaranta", "Koivula", "Järvelä", "Mäntyvaara", "Rantala", "Kallio",
    "Lahdenperä", "Vuorela", "Saarikoski", "Harjula", "Peltola", "Kivelä", "Lammila", "Metsälä",
    "Niittylä",
)  # fmt: skip


# --- identifiers -------------------------------------------------------------------------------


def luhn_digit(payload: str) -> int:
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def ibm_digit(payload: str) -> int:
    weights = (7, 3, 1)
    total = sum(int(char) * weights[i % 3] for i, char in enumerate(reversed(payload)))
    return (10 - total % 10) % 10


def study_right_oid(index: int) -> str:
    payload = str(STUDY_RIGHT_BASE + index)
    return f"1.2.246.562.15.{payload}{luhn_digit(payload)}"


def oppija_oid(index: int) -> str:
    payload = str(OPPIJA_BASE + index)
    return f"1.2.246.562.24.{payload}{ibm_digit(payload)}"


def organisation_oid(number: int) -> str:
    payload = str(ORGANISATION_BASE + number)
    return f"1.2.246.562.10.{payload}{luhn_digit(payload)}"  # only the pattern is checked


def business_id(rng: random.Random) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2)
    while True:
        payload = f"{rng.randrange(100_000, 9_999_999):07d}"
        remainder = sum(int(payload[i]) * w for i, w in enumerate(weights)) % 11
        if remainder != 1:
            return f"{payload}-{0 if remainder == 0 else 11 - remainder}"


def hetu(index: int) -> tuple[str, date]:
    """A unique test henkilötunnus (individual number 900–999) and its birth date."""
    born = date(1975, 1, 1) + timedelta(days=index // 100)
    individual = 900 + index % 100
    digits = f"{born:%d%m%y}{individual:03d}"
    sign = "A" if born.year >= 2000 else "-"
    return f"{born:%d%m%y}{sign}{individual:03d}{HETU_CHECK[int(digits) % 31]}", born


# --- organisations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    index: int
    oid: str
    name: str
    business_id: str
    schools: tuple[str, ...]
    weight: float


def providers(seed: int) -> list[Provider]:
    """~160 koulutustoimijat of very different sizes (a few large joint authorities, many small)."""
    rng = random.Random(seed * 7919 + 1)
    result = []
    for index in range(PROVIDERS):
        place = PLACES[index % len(PLACES)]
        kind = ("koulutuskuntayhtymä", "kaupunki", "Koulutus Oy", "säätiö")[index % 4]
        schools = tuple(
            organisation_oid(index * 10 + 1 + school) for school in range(1 + rng.randrange(3))
        )
        result.append(
            Provider(
                index=index,
                oid=organisation_oid(index * 10),
                name=f"{place}n {kind} {index + 1}",
                business_id=business_id(rng),
                schools=schools,
                weight=1.0 / (index + 1) ** 0.9,
            )
        )
    return result


def organisation_documents(all_providers: list[Provider]) -> list[dict[str, Any]]:
    def document(
        oid: str, name: str, parents: list[str], kind: str, **extra: Any
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "oid": oid,
            "nimi": {"fi": name, "sv": name, "en": name},
            "parentOidPath": "".join(f"|{p}" for p in parents) + ("|" if parents else ""),
            "tyypit": [kind],
            "status": "AKTIIVINEN",
            "alkuPvm": "1995-01-01",
            "kotipaikkaUri": "kunta_109",
            "kieletUris": ["oppilaitoksenopetuskieli_1#1"],
            "version": 1,
        }
        if parents:
            body["parentOid"] = parents[-1]
        body.update(extra)
        return body

    documents = [document(OPH_OID, "Opetushallitus", [], "organisaatiotyyppi_05")]
    for provider in all_providers:
        documents.append(
            document(
                provider.oid,
                provider.name,
                [OPH_OID],
                "organisaatiotyyppi_01",
                ytunnus=provider.business_id,
            )
        )
        for number, school in enumerate(provider.schools, start=1):
            documents.append(
                document(
                    school,
                    f"{provider.name}, oppilaitos {number}",
                    [OPH_OID, provider.oid],
                    "organisaatiotyyppi_02",
                )
            )
    return documents


# --- templates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Templates:
    bases: list[dict[str, Any]]  # non-TUVA example documents (top-level fields)
    tuva: dict[str, Any]
    pools: dict[str, list[dict[str, Any]]]  # every element of each part list, all examples
    study_right: dict[str, Any]  # a Koski ammatillinen study right
    tuva_study_right: dict[str, Any]


def load_templates() -> Templates:
    examples = {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(data_dir().glob("hoks_example_*.json"))
    }
    tuva = examples.pop("hoks_example_tuva.json")
    bases = list(examples.values())
    pools: dict[str, list[dict[str, Any]]] = {key: [] for key in UNIT_LISTS}
    for document in bases:
        for key in UNIT_LISTS:
            pools[key].extend(document.get(key, []))
    students = (data_dir() / "registry_2_students.json").read_text(encoding="utf-8")
    rights = json.loads(students.splitlines()[0])["opiskeluoikeudet"]
    study_right = next(r for r in rights if r["tyyppi"]["koodiarvo"] == "ammatillinenkoulutus")
    tuva_right = next(r for r in rights if r["tyyppi"]["koodiarvo"] == "tuva")
    return Templates(bases, tuva, pools, study_right, tuva_right)


# --- one student -------------------------------------------------------------------------------


def _shift_dates(node: Any, days: int) -> Any:
    """Every YYYY-MM-DD string moved by `days`."""
    if isinstance(node, dict):
        return {key: _shift_dates(value, days) for key, value in node.items()}
    if isinstance(node, list):
        return [_shift_dates(value, days) for value in node]
    if isinstance(node, str) and len(node) == 10 and _DATE.fullmatch(node):
        return (date.fromisoformat(node) + timedelta(days=days)).isoformat()
    return node


def _fix_elements(node: Any, rng: random.Random, student: int, counter: list[int]) -> None:
    """Per-student Y-tunnukset and names; every workplace period complete for the 2023 rules."""
    if isinstance(node, dict):
        for key in ("y-tunnus", "tyopaikan-y-tunnus"):
            if key in node:
                node[key] = business_id(rng)
        if node.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE:
            counter[0] += 1
            node["yksiloiva-tunniste"] = f"bench-{student}-{counter[0]}"
            node["osa-aikaisuustieto"] = rng.choice((50, 60, 80, 100, 100, 100))
            details = node.get("tyopaikalla-jarjestettava-koulutus")
            if isinstance(details, dict):
                details["tyopaikan-y-tunnus"] = business_id(rng)
                details["tyopaikan-nimi"] = (
                    f"{rng.choice(PLACES)}n {rng.choice(('Kone', 'Hoiva', 'Rakennus', 'Data'))} Oy"
                )
            if node["osaamisen-hankkimistapa-koodi-uri"] == APPRENTICESHIP:
                node.setdefault("oppisopimuksen-perusta-koodi-uri", "oppisopimuksenperusta_01")
        for value in node.values():
            _fix_elements(value, rng, student, counter)
    elif isinstance(node, list):
        for value in node:
            _fix_elements(value, rng, student, counter)


@dataclass(frozen=True)
class Student:
    index: int
    provider: Provider
    school: str
    tuva: bool
    shift_days: int

    @property
    def study_right_oid(self) -> str:
        return study_right_oid(self.index)

    @property
    def oppija_oid(self) -> str:
        return oppija_oid(self.index)

    @property
    def start(self) -> date:
        return TEMPLATE_START + timedelta(days=self.shift_days)

    @property
    def end(self) -> date:
        return TEMPLATE_END + timedelta(days=self.shift_days)


def student(
    index: int, seed: int, all_providers: list[Provider], cumulative: list[float]
) -> Student:
    rng = random.Random(seed * 1_000_003 + index)
    provider = rng.choices(all_providers, cum_weights=cumulative)[0]
    return Student(
        index=index,
        provider=provider,
        school=rng.choice(provider.schools),
        tuva=rng.random() < 0.05,
        shift_days=rng.randrange(0, 6 * 365),
    )


def hoks_document(st: Student, seed: int, templates: Templates, today: date) -> dict[str, Any]:
    rng = random.Random(seed * 2_000_003 + st.index)
    if st.tuva:
        document = copy.deepcopy(templates.tuva)
    else:
        base = rng.choice(templates.bases)
        document = {key: copy.deepcopy(value) for key, value in base.items()}
        for key in UNIT_LISTS:
            chance, extra = LIST_SHAPE[key]
            pool = templates.pools[key]
            count = 0
            if pool and rng.random() < chance:
                count = 1 + min(8, int(rng.expovariate(1.0 / extra))) if extra else 1
            document[key] = [copy.deepcopy(rng.choice(pool)) for _ in range(count)]
    document = _shift_dates(document, st.shift_days)
    reached = document.get("osaamisen-saavuttamisen-pvm")
    if reached is not None and reached >= today.isoformat():  # §5.5: not in the future
        document["osaamisen-saavuttamisen-pvm"] = (today - timedelta(days=1)).isoformat()
    _fix_elements(document, rng, st.index, [0])
    document["opiskeluoikeus-oid"] = st.study_right_oid
    document["oppija-oid"] = st.oppija_oid
    first, last = rng.choice(FIRST_NAMES).split()[0].lower(), rng.choice(LAST_NAMES).lower()
    document["sahkoposti"] = f"{first}.{last}.{st.index}@example.fi"
    return document


def oppija_document(st: Student, templates: Templates) -> dict[str, Any]:
    code, born = hetu(st.index)
    rng = random.Random(st.index)
    names = rng.choice(FIRST_NAMES)
    right = copy.deepcopy(templates.tuva_study_right if st.tuva else templates.study_right)
    right["oid"] = st.study_right_oid
    provider = st.provider
    school_name = {"fi": f"{provider.name}, oppilaitos", "sv": provider.name, "en": provider.name}
    right["oppilaitos"] = {"oid": st.school, "nimi": school_name}
    right["koulutustoimija"] = {
        "oid": provider.oid,
        "nimi": {"fi": provider.name, "sv": provider.name, "en": provider.name},
        "yTunnus": provider.business_id,
    }
    start, end = st.start.isoformat(), st.end.isoformat()
    right["alkamispäivä"] = start
    right["arvioituPäättymispäivä"] = end
    for period in right["tila"]["opiskeluoikeusjaksot"]:
        period["alku"] = start
    for suoritus in right["suoritukset"]:
        suoritus["alkamispäivä"] = start
        suoritus["toimipiste"] = {"oid": st.school, "nimi": school_name}
        for area in suoritus.get("osaamisala", []):
            area["alku"] = start
    return {
        "henkilö": {
            "oid": st.oppija_oid,
            "hetu": code,
            "syntymäaika": born.isoformat(),
            "etunimet": names,
            "kutsumanimi": names.split()[0],
            "sukunimi": rng.choice(LAST_NAMES),
            "turvakielto": False,
        },
        "opiskeluoikeudet": [right],
    }


# --- the whole data set ------------------------------------------------------------------------


def check_identifiers(st: Student) -> None:
    if not is_valid_opiskeluoikeus_oid(st.study_right_oid):
        raise AssertionError(st.study_right_oid)
    if not is_valid_oppija_oid(st.oppija_oid):
        raise AssertionError(st.oppija_oid)
    if not is_valid_organisation_oid(st.school) or not is_valid_organisation_oid(st.provider.oid):
        raise AssertionError(st.school)
    if not is_valid_business_id(st.provider.business_id):
        raise AssertionError(st.provider.business_id)


def generate(out: Path, scale: int, seed: int, today: date) -> dict[str, Any]:
    """Write the data set for `scale` students (one study right and one HOKS each)."""
    manifest_path = out / "manifest.json"
    wanted = {"version": GENERATOR_VERSION, "scale": scale, "seed": seed, "today": str(today)}
    if manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text())
        if {k: manifest.get(k) for k in wanted} == wanted:
            return manifest
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*"):
        stale.unlink()
    all_providers = providers(seed)
    cumulative = []
    running = 0.0
    for provider in all_providers:
        running += provider.weight
        cumulative.append(running)
    templates = load_templates()
    (out / "organisations.json").write_text(
        json.dumps(organisation_documents(all_providers), ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    total_bytes = 0
    student_files = []
    per_provider = [0] * len(all_providers)
    with (out / "hoks.jsonl").open("wb") as hoks_file:
        for first in range(0, scale, STUDENTS_PER_FILE):
            name = f"students-{first // STUDENTS_PER_FILE:03d}.jsonl"
            student_files.append(name)
            with (out / name).open("wb") as students_file:
                for index in range(first, min(scale, first + STUDENTS_PER_FILE)):
                    st = student(index, seed, all_providers, cumulative)
                    if index < 1000:
                        check_identifiers(st)
                    students_file.write(orjson.dumps(oppija_document(st, templates)) + b"\n")
                    body = orjson.dumps(hoks_document(st, seed, templates, today))
                    total_bytes += len(body)
                    per_provider[st.provider.index] += 1
                    hoks_file.write(b"%d\t%s\n" % (st.provider.index, body))
    manifest = {
        **wanted,
        "providers": [
            {"index": p.index, "oid": p.oid, "hoks": per_provider[p.index]} for p in all_providers
        ],
        "student_files": student_files,
        "hoks_bytes_total": total_bytes,
        "hoks_bytes_mean": round(total_bytes / max(1, scale)),
    }
    manifest_path.write_text(json.dumps(manifest, indent=1))
    return manifest


def read_hoks(path: Path, limit: int | None = None) -> Any:
    """(index, provider, body bytes) for each line of hoks.jsonl, streamed."""
    with path.open("rb") as handle:
        for index, line in enumerate(handle):
            if limit is not None and index >= limit:
                return
            provider, body = line.rstrip(b"\n").split(b"\t", 1)
            yield index, int(provider), body


def read_provider_indexes(path: Path) -> Any:
    """(index, provider) for each line of hoks.jsonl, without reading the bodies further."""
    with path.open("rb") as handle:
        for index, line in enumerate(handle):
            yield index, int(line[: line.index(b"\t")])


def validate_sample(out: Path, seed: int, today: date, limit: int) -> tuple[int, list[str]]:
    """Run the service's own validator on the first `limit` generated HOKS (offline)."""
    from ehoks.hoksmodel import Method, StudyRightFacts, validate_hoks  # noqa: PLC0415

    all_providers = providers(seed)
    cumulative = []
    running = 0.0
    for provider in all_providers:
        running += provider.weight
        cumulative.append(running)
    problems: list[str] = []
    checked = 0
    for index, _provider, body in read_hoks(out / "hoks.jsonl", limit):
        st = student(index, seed, all_providers, cumulative)
        facts = StudyRightFacts(
            oid=st.study_right_oid,
            tyyppi="tuva" if st.tuva else "ammatillinenkoulutus",
            alkamispaiva=st.start,
            arvioitu_paattymispaiva=st.end,
            latest_tila="lasna",
            suoritus_tyypit=frozenset(
                {"tuvakoulutuksensuoritus" if st.tuva else "ammatillinentutkinto"}
            ),
        )
        result = validate_hoks(
            orjson.loads(body), method=Method.POST, study_right=facts, today=today
        )
        checked += 1
        if result.violations:
            problems.append(f"{index}: {[(v.code, v.path) for v in result.violations][:5]}")
    return checked, problems
