"""Shared helpers and the table of violating documents used by the HOKS model tests.

Each case derives a document from an example file by a few JSON-Pointer edits and lists the
exact violations (code, path) expected. The message test runs every case again to check that
each emitted code has texts whose placeholders its params can fill.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from ehoks.hoksmodel import (
    PART_LISTS,
    Method,
    StudyRightFacts,
    ValidationResult,
    Variant,
    validate_hoks,
)
from ehoks.kit.errors import pointer_parts

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "data" / "examples"
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES_DIR.glob("*.json"))
# Examples whose workplace periods lack yksiloiva-tunniste, with those periods' paths.
MISSING_TUNNISTE = {
    "hoks_ainoastaan_YTOja.json": [
        "/hankittavat-yhteiset-tutkinnon-osat/0/osa-alueet/0/osaamisen-hankkimistavat/0",
        "/hankittavat-yhteiset-tutkinnon-osat/0/osa-alueet/1/osaamisen-hankkimistavat/0",
    ],
    "hoks_ainoastaan_ammatillisia.json": [
        "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0"
    ],
    "hoks_ainoastaan_paikallisia.json": [
        "/hankittavat-paikalliset-tutkinnon-osat/0/osaamisen-hankkimistavat/0"
    ],
    "hoks_yksi_tutkinnonosa.json": [
        "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0"
    ],
}
TODAY = date(2026, 11, 29)
FULL = "hoks-full.json"
TUVA = "hoks_tuva.json"
# The HATO period of hoks-full: oppisopimus 2019-01-11..2019-03-14, part-time 50, with TJK.
OHT = "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0"
HPTO_OHT = "/hankittavat-paikalliset-tutkinnon-osat/0/osaamisen-hankkimistavat/0"
BREAKS = HPTO_OHT + "/keskeytymisajanjaksot"
OO = "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-osoittaminen/0"
KOULUTUSSOPIMUS = "osaamisenhankkimistapa_koulutussopimus"


@cache
def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((EXAMPLES_DIR / name).read_text(encoding="utf-8"))
    return loaded


def example(name: str) -> dict[str, Any]:
    return copy.deepcopy(_load(name))


def study_right(
    tyyppi: str = "ammatillinenkoulutus",
    *,
    alkamispaiva: date | None = date(2000, 1, 1),
    arvioitu_paattymispaiva: date | None = date(2099, 12, 31),
    latest_tila: str | None = "lasna",
    suoritus_tyypit: frozenset[str] = frozenset({"ammatillinentutkinto"}),
) -> StudyRightFacts:
    return StudyRightFacts(
        oid="1.2.246.562.15.10000000009",
        tyyppi=tyyppi,
        alkamispaiva=alkamispaiva,
        arvioitu_paattymispaiva=arvioitu_paattymispaiva,
        latest_tila=latest_tila,
        suoritus_tyypit=suoritus_tyypit,
    )


def right_for(name: str) -> StudyRightFacts:
    return study_right("tuva" if name == TUVA else "ammatillinenkoulutus")


def _parent(doc: Any, path: str) -> tuple[Any, str | int]:
    parts = pointer_parts(path)
    node = doc
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last: str | int = int(parts[-1]) if isinstance(node, list) else parts[-1]
    return node, last


def set_at(doc: Any, path: str, value: Any) -> None:
    node, last = _parent(doc, path)
    node[last] = value


def delete_at(doc: Any, path: str) -> None:
    node, last = _parent(doc, path)
    del node[last]


def get_at(doc: Any, path: str) -> Any:
    node, last = _parent(doc, path)
    return node[last]


def append_at(doc: Any, path: str, value: Any) -> None:
    get_at(doc, path).append(value)


DEL = object()  # a value for `edits` meaning "remove this key"
APPEND = "/-"  # suffix of a path meaning "append to this list"


@dataclass
class Case:
    id: str
    base: str
    edits: dict[str, Any]
    expected: list[tuple[str, str]]
    method: Method = Method.POST
    variant: Variant = Variant.SERVICE
    right: StudyRightFacts | None = field(default_factory=study_right)

    def document(self) -> dict[str, Any]:
        doc = example(self.base)
        if self.method is Method.PATCH:
            for key in PART_LISTS:
                doc.pop(key, None)
        if self.method is not Method.POST:
            doc["id"] = 1
        for path, value in self.edits.items():
            if value is DEL:
                delete_at(doc, path)
            elif path.endswith(APPEND):
                append_at(doc, path.removesuffix(APPEND), copy.deepcopy(value))
            else:
                set_at(doc, path, copy.deepcopy(value))
        return doc

    def run(self) -> ValidationResult:
        return validate_hoks(
            self.document(),
            method=self.method,
            variant=self.variant,
            study_right=self.right,
            today=TODAY,
        )


HATO = {
    "tutkinnon-osa-koodi-uri": "tutkinnonosat_100031",
    "tutkinnon-osa-koodi-versio": 1,
}
KOULUTUKSEN_OSA = {
    "koulutuksen-osa-koodi-uri": "koulutuksenosattuva_102",
    "koulutuksen-osa-koodi-versio": 1,
    "alku": "2022-01-13",
    "loppu": "2022-02-19",
    "laajuus": 5.5,
}
OTO = {"nimi": "Opiskelutaidot", "kuvaus": "Tukea", "alku": "2022-01-01", "loppu": "2022-02-01"}
UNIT_EXAMPLES = {
    "hankittavat-ammat-tutkinnon-osat": HATO,
    "hankittavat-paikalliset-tutkinnon-osat": {},
    "hankittavat-yhteiset-tutkinnon-osat": {**HATO, "osa-alueet": []},
    "aiemmin-hankitut-ammat-tutkinnon-osat": HATO,
    "aiemmin-hankitut-paikalliset-tutkinnon-osat": {
        "valittu-todentamisen-prosessi-koodi-uri": "osaamisentodentamisenprosessi_0001",
        "valittu-todentamisen-prosessi-koodi-versio": 1,
    },
    "aiemmin-hankitut-yhteiset-tutkinnon-osat": {**HATO, "osa-alueet": []},
}
WORKPLACE_2023 = {f"{OHT}/osaamisen-hankkimistapa-koodi-uri": KOULUTUSSOPIMUS}

RULE_CASES: list[Case] = [
    # §5.1 a: part-time percentage for workplace periods ending after 2023-06-30.
    Case("a-missing", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2023-07-01",
         f"{OHT}/osa-aikaisuustieto": DEL}, [("part_time_required", f"{OHT}/osa-aikaisuustieto")]),
    Case("a-zero", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2023-07-01",
         f"{OHT}/osa-aikaisuustieto": 0}, [("part_time_required", f"{OHT}/osa-aikaisuustieto")]),
    Case("a-101", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2023-07-01",
         f"{OHT}/osa-aikaisuustieto": 101}, [("part_time_required", f"{OHT}/osa-aikaisuustieto")]),
    Case("a-before-rule-date", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2023-06-30",
         f"{OHT}/osa-aikaisuustieto": DEL}, []),
    Case("a-telma-exempt", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2023-07-01",
         f"{OHT}/osa-aikaisuustieto": DEL}, [],
         right=study_right(suoritus_tyypit=frozenset({"telma"}))),
    Case("a-telmakoulutuksenosa-exempt", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2023-07-01",
         f"{OHT}/osa-aikaisuustieto": DEL}, [],
         right=study_right(suoritus_tyypit=frozenset({"telmakoulutuksenosa"}))),
    Case("a-needs-study-right", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2023-07-01",
         f"{OHT}/osa-aikaisuustieto": DEL}, [], right=None),
    Case("a-not-workplace", FULL, {f"{OHT}/osaamisen-hankkimistapa-koodi-uri":
         "osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus", f"{OHT}/loppu": "2023-07-01",
         f"{OHT}/osa-aikaisuustieto": 500}, []),
    # a comes before d: an apprenticeship lacking both reports only a.
    Case("a-before-d", FULL, {f"{OHT}/loppu": "2023-07-01", f"{OHT}/osa-aikaisuustieto": DEL},
         [("part_time_required", f"{OHT}/osa-aikaisuustieto")]),
    # §5.1 b: workplace periods need yksiloiva-tunniste (service API only).
    Case("b-missing", FULL, {f"{OHT}/yksiloiva-tunniste": DEL},
         [("period_identifier_required", f"{OHT}/yksiloiva-tunniste")]),
    Case("b-staff-fills", FULL, {f"{OHT}/yksiloiva-tunniste": DEL}, [], variant=Variant.STAFF),
    Case("b-put", FULL, {f"{OHT}/yksiloiva-tunniste": DEL},
         [("period_identifier_required", f"{OHT}/yksiloiva-tunniste")], method=Method.PUT),
    Case("b-not-workplace", FULL, {f"{OHT}/yksiloiva-tunniste": DEL,
         f"{OHT}/osaamisen-hankkimistapa-koodi-uri": "osaamisenhankkimistapa_muu"}, []),
    # §5.1 c: workplace business ID for periods ending after 2021-08-25 when a TJK is given.
    Case("c-missing", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2021-08-26",
         f"{OHT}/tyopaikalla-jarjestettava-koulutus/tyopaikan-y-tunnus": DEL},
         [("workplace_business_id_required",
           f"{OHT}/tyopaikalla-jarjestettava-koulutus/tyopaikan-y-tunnus")]),
    Case("c-on-rule-date", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2021-08-25",
         f"{OHT}/tyopaikalla-jarjestettava-koulutus/tyopaikan-y-tunnus": DEL}, []),
    Case("c-no-tjk", FULL, {**WORKPLACE_2023, f"{OHT}/loppu": "2021-08-26",
         f"{OHT}/tyopaikalla-jarjestettava-koulutus": DEL}, []),
    # §5.1 d: apprenticeship basis from 2021-07-01 on.
    Case("d-missing", FULL, {f"{OHT}/loppu": "2021-07-01"},
         [("apprenticeship_basis_required", f"{OHT}/oppisopimuksen-perusta-koodi-uri")]),
    Case("d-before", FULL, {f"{OHT}/loppu": "2021-06-30"}, []),
    Case("d-given", FULL, {f"{OHT}/loppu": "2021-07-01",
         f"{OHT}/oppisopimuksen-perusta-koodi-uri": "oppisopimuksenperusta_01"}, []),
    # §5.1 e: dates the right way round.
    Case("e-reversed", FULL, {f"{OHT}/alku": "2019-03-15"},
         [("period_dates_reversed", f"{OHT}/loppu")]),
    Case("e-same-day", FULL, {f"{OHT}/alku": "2019-03-14"}, []),
    # §5.1 f and g: inside the study right unless it counts as resigned.
    Case("f-before-start", FULL, {}, [("period_starts_before_study_right", f"{OHT}/alku")],
         right=study_right(alkamispaiva=date(2019, 1, 12))),
    Case("f-resigned", FULL, {}, [],
         right=study_right(alkamispaiva=date(2019, 1, 12), latest_tila="eronnut")),
    Case("f-loma-counts-as-resigned", FULL, {}, [],
         right=study_right(alkamispaiva=date(2019, 1, 12), latest_tila="loma")),
    Case("f-no-start-date", FULL, {}, [], right=study_right(alkamispaiva=None)),
    Case("f-valmistunut-checked", FULL, {},
         [("period_starts_before_study_right", f"{OHT}/alku")],
         right=study_right(alkamispaiva=date(2019, 1, 12), latest_tila="valmistunut")),
    Case("g-after-end", FULL, {}, [("period_ends_after_study_right", f"{OHT}/loppu")],
         right=study_right(arvioitu_paattymispaiva=date(2019, 3, 13))),
    Case("g-resigned", FULL, {}, [],
         right=study_right(arvioitu_paattymispaiva=date(2019, 3, 13),
                           latest_tila="katsotaaneronneeksi")),
    Case("g-no-study-right", FULL, {}, [], right=None),
    # §5.1 h: at most five calendar years; 29 Feb + 5 years = 28 Feb.
    Case("h-too-long", FULL, {f"{OHT}/alku": "2020-02-29", f"{OHT}/loppu": "2025-03-01",
         f"{OHT}/oppisopimuksen-perusta-koodi-uri": "oppisopimuksenperusta_01"},
         [("period_too_long", f"{OHT}/loppu")]),
    Case("h-leap-day", FULL, {f"{OHT}/alku": "2020-02-29", f"{OHT}/loppu": "2025-02-28",
         f"{OHT}/oppisopimuksen-perusta-koodi-uri": "oppisopimuksenperusta_01"}, []),
    Case("h-one-day-over-leap", FULL, {f"{OHT}/alku": "2020-02-29", f"{OHT}/loppu": "2025-03-01",
         f"{OHT}/oppisopimuksen-perusta-koodi-uri": "oppisopimuksenperusta_01"},
         [("period_too_long", f"{OHT}/loppu")], right=None),
    # Rules run only on periods without field-level errors.
    Case("rules-skipped-on-field-error", FULL, {f"{OHT}/alku": "2019-03-15",
         f"{OHT}/yksiloiva-tunniste": DEL, f"{OHT}/osaamisen-hankkimistapa-koodi-versio": "1"},
         [("wrong_type", f"{OHT}/osaamisen-hankkimistapa-koodi-versio")]),
    # §5.2 interruptions.
    Case("breaks-touching", FULL, {BREAKS: [{"alku": "2019-02-10", "loppu": "2019-02-11"},
         {"alku": "2019-02-11", "loppu": "2019-02-12"}]}, [("interruptions_overlap", BREAKS)]),
    Case("breaks-open-earlier", FULL, {BREAKS: [{"alku": "2019-02-13"},
         {"alku": "2019-02-10", "loppu": "2019-02-11"}, {"alku": "2019-02-12"}]},
         [("interruptions_overlap", BREAKS)]),
    Case("breaks-unsorted-ok", FULL, {BREAKS: [{"alku": "2019-02-13"},
         {"alku": "2019-02-10", "loppu": "2019-02-11"}]}, []),
    Case("breaks-single-reversed-ok", FULL, {BREAKS: [{"alku": "2019-02-13",
         "loppu": "2019-02-01"}]}, []),
    Case("breaks-empty-ok", FULL, {BREAKS: []}, []),
    # §5.3 study-right type and TUVA.
    Case("type-perusopetus", FULL, {}, [("study_right_type_not_allowed", "/opiskeluoikeus-oid")],
         right=study_right("perusopetus")),
    Case("type-patch-with-oid", FULL, {}, [("study_right_type_not_allowed", "/opiskeluoikeus-oid")],
         method=Method.PATCH, right=study_right("perusopetus")),
    Case("type-patch-without-oid", FULL, {"/opiskeluoikeus-oid": DEL}, [], method=Method.PATCH,
         right=study_right("perusopetus")),
    Case("tuva-oid-on-tuva", TUVA, {"/tuva-opiskeluoikeus-oid": "1.2.246.562.15.10000000009"},
         [("tuva_study_right_not_allowed", "/tuva-opiskeluoikeus-oid")], right=study_right("tuva")),
    Case("tuva-oid-on-vocational", FULL,
         {"/tuva-opiskeluoikeus-oid": "1.2.246.562.15.10000000009"}, []),
    *(
        Case(f"tuva-{key}", TUVA, {f"/{key}{APPEND}": value},
             [("unit_not_allowed_on_tuva", f"/{key}/0")], right=study_right("tuva"))
        for key, value in UNIT_EXAMPLES.items()
    ),
    Case("tuva-two-units", TUVA, {"/hankittavat-ammat-tutkinnon-osat": [HATO, HATO]},
         [("unit_not_allowed_on_tuva", "/hankittavat-ammat-tutkinnon-osat/0"),
          ("unit_not_allowed_on_tuva", "/hankittavat-ammat-tutkinnon-osat/1")],
         method=Method.PUT, right=study_right("tuva")),
    Case("tuva-oto", TUVA, {f"/opiskeluvalmiuksia-tukevat-opinnot{APPEND}": OTO},
         [("supporting_studies_not_allowed_on_tuva", "/opiskeluvalmiuksia-tukevat-opinnot/0")],
         right=study_right("tuva")),
    Case("training-part-on-vocational", FULL,
         {f"/hankittavat-koulutuksen-osat{APPEND}": KOULUTUKSEN_OSA},
         [("training_part_requires_tuva", "/hankittavat-koulutuksen-osat/0")]),
    Case("tuva-rules-need-study-right", TUVA,
         {f"/hankittavat-ammat-tutkinnon-osat{APPEND}": HATO}, [], right=None),
    # §5.5 single-field rules.
    Case("achievement-2018-01-01", FULL, {"/osaamisen-saavuttamisen-pvm": "2018-01-01"},
         [("achievement_date_out_of_range", "/osaamisen-saavuttamisen-pvm")]),
    Case("achievement-2018-01-02", FULL, {"/osaamisen-saavuttamisen-pvm": "2018-01-02"}, []),
    Case("achievement-today-plus-14", FULL, {"/osaamisen-saavuttamisen-pvm": "2026-12-13"}, []),
    Case("achievement-today-plus-15", FULL, {"/osaamisen-saavuttamisen-pvm": "2026-12-14"},
         [("achievement_date_out_of_range", "/osaamisen-saavuttamisen-pvm")]),
    Case("achievement-patch", FULL, {"/osaamisen-saavuttamisen-pvm": "2030-01-01"},
         [("achievement_date_out_of_range", "/osaamisen-saavuttamisen-pvm")],
         method=Method.PATCH),
    Case("hours-negative-hato", FULL,
         {"/hankittavat-ammat-tutkinnon-osat/0/opetus-ja-ohjaus-maara": -1},
         [("negative_value", "/hankittavat-ammat-tutkinnon-osat/0/opetus-ja-ohjaus-maara")]),
    Case("hours-negative-hpto", FULL,
         {"/hankittavat-paikalliset-tutkinnon-osat/0/opetus-ja-ohjaus-maara": -0.5},
         [("negative_value", "/hankittavat-paikalliset-tutkinnon-osat/0/opetus-ja-ohjaus-maara")]),
    Case("hours-negative-osa-alue", FULL,
         {"/hankittavat-yhteiset-tutkinnon-osat/0/osa-alueet/0/opetus-ja-ohjaus-maara": -2},
         [("negative_value",
           "/hankittavat-yhteiset-tutkinnon-osat/0/osa-alueet/0/opetus-ja-ohjaus-maara")]),
    Case("hours-zero", FULL, {"/hankittavat-ammat-tutkinnon-osat/0/opetus-ja-ohjaus-maara": 0}, []),
    Case("laajuus-negative", TUVA, {"/hankittavat-koulutuksen-osat/0/laajuus": -0.1},
         [("negative_value", "/hankittavat-koulutuksen-osat/0/laajuus")],
         right=study_right("tuva")),
    Case("laajuus-zero", TUVA, {"/hankittavat-koulutuksen-osat/0/laajuus": 0}, [],
         right=study_right("tuva")),
    # §5.6 learning support.
    Case("support-01-missing-loppu", FULL, {"/oppimisen-tuki/0/loppu": DEL},
         [("learning_support_shape", "/oppimisen-tuki/0")]),
    Case("support-02-with-alku", FULL, {"/oppimisen-tuki/1/alku": "2026-08-01"},
         [("learning_support_shape", "/oppimisen-tuki/1")]),
    Case("support-04", FULL, {"/oppimisen-tuki/2/oppimisen-tuen-tyyppi-koodi-uri":
         "ammatillinenkoulutusoppimisentuentyyppi_04"},
         [("learning_support_shape", "/oppimisen-tuki/2")]),
]  # fmt: skip

LONG = "x" * 257
OHT_URI = f"{OHT}/osaamisen-hankkimistapa-koodi-uri"
TJK = f"{OHT}/tyopaikalla-jarjestettava-koulutus"
OHJAAJA = f"{TJK}/vastuullinen-tyopaikka-ohjaaja"
AHYTO = "/aiemmin-hankitut-yhteiset-tutkinnon-osat/0"
AHPTO = "/aiemmin-hankitut-paikalliset-tutkinnon-osat/0"
HYTO = "/hankittavat-yhteiset-tutkinnon-osat/0"

FIELD_CASES: list[Case] = [
    # Not an object.
    # Closed records.
    Case("unknown-top", FULL, {"/extra": 1}, [("unknown_field", "/extra")]),
    Case("unknown-escaped", FULL, {"/a~1b": 1}, [("unknown_field", "/a~1b")]),
    Case("unknown-nested", FULL, {f"{TJK}/tyopaikan-osoite": "Katu 1"},
         [("unknown_field", f"{TJK}/tyopaikan-osoite")]),
    Case("vipunen-only-poistettu", FULL, {"/poistettu": "2024-01-01T00:00:00Z"},
         [("field_not_allowed", "/poistettu")]),
    *(
        Case(f"post-excludes-{key}", FULL, {f"/{key}": value}, [("field_not_allowed", f"/{key}")])
        for key, value in {"id": 1, "eid": "0f8fad5b-d9cb-469f-a165-70867728950e",
                           "manuaalisyotto": False}.items()
    ),
    Case("post-excludes-module-id", FULL,
         {f"{OHT}/module-id": "0f8fad5b-d9cb-469f-a165-70867728950e"},
         [("field_not_allowed", f"{OHT}/module-id")]),
    Case("put-excludes-nested-db-id", FULL, {f"{OHT}/id": 5}, [("field_not_allowed", f"{OHT}/id")],
         method=Method.PUT),
    Case("leftover-ids-accepted", FULL, {f"{TJK}/id": 1, f"{OHJAAJA}/id": 2,
         f"{OHT}/jarjestajan-edustaja/id": 3, f"{OO}/jarjestaja/id": 4,
         f"{OO}/koulutuksen-jarjestaja-osaamisen-arvioijat/0/id": 5,
         f"{OO}/tyoelama-osaamisen-arvioijat/0/id": 6}, []),
    Case("leftover-id-must-be-int", FULL, {f"{TJK}/id": "1"},
         [("wrong_type", f"{TJK}/id")]),
    Case("put-accepts-get-keys", FULL, {"/eid": "0f8fad5b-d9cb-469f-a165-70867728950e",
         "/manuaalisyotto": True, f"{OHT}/module-id": "0f8fad5b-d9cb-469f-a165-70867728950e"}, [],
         method=Method.PUT),
    Case("patch-accepts-eid", FULL, {"/eid": "0f8fad5b-d9cb-469f-a165-70867728950e",
         "/manuaalisyotto": False}, [], method=Method.PATCH),
    Case("put-requires-id", FULL, {"/id": DEL}, [("required", "/id")], method=Method.PUT),
    Case("patch-requires-id-only", FULL, {"/id": DEL, "/ensikertainen-hyvaksyminen": DEL,
         "/osaamisen-hankkimisen-tarve": DEL, "/oppija-oid": DEL}, [("required", "/id")],
         method=Method.PATCH),
    *(
        Case(f"patch-excludes-{key}", FULL, {f"/{key}": []}, [("field_not_allowed", f"/{key}")],
             method=Method.PATCH)
        for key in PART_LISTS
    ),
    Case("post-required-top", FULL, {"/oppija-oid": DEL, "/ensikertainen-hyvaksyminen": DEL},
         [("required", "/oppija-oid"), ("required", "/ensikertainen-hyvaksyminen")]),
    Case("put-optional-oids", FULL, {"/oppija-oid": DEL, "/opiskeluoikeus-oid": DEL}, [],
         method=Method.PUT),
    Case("put-requires-tarve", FULL, {"/osaamisen-hankkimisen-tarve": DEL},
         [("required", "/osaamisen-hankkimisen-tarve")], method=Method.PUT),
    Case("required-nested", FULL, {f"{TJK}/vastuullinen-tyopaikka-ohjaaja": DEL,
         f"{OO}/sisallon-kuvaus": DEL},
         [("required", f"{OO}/sisallon-kuvaus"),
          ("required", f"{TJK}/vastuullinen-tyopaikka-ohjaaja")]),
    Case("ahpto-requires-process", FULL,
         {f"{AHPTO}/valittu-todentamisen-prosessi-koodi-uri": DEL},
         [("required", f"{AHPTO}/valittu-todentamisen-prosessi-koodi-uri")]),
    Case("ahyto-process-optional", FULL,
         {f"{AHYTO}/valittu-todentamisen-prosessi-koodi-uri": DEL}, []),
    Case("hyto-osa-alueet-required", FULL, {f"{HYTO}/osa-alueet": DEL},
         [("required", f"{HYTO}/osa-alueet")]),
    Case("empty-records-ok", FULL, {"/hankittavat-paikalliset-tutkinnon-osat/0": {},
         f"{AHYTO}/tarkentavat-tiedot-osaamisen-arvioija": {}, f"{OO}/jarjestaja": {}}, []),
    # null anywhere.
    Case("null-top", FULL, {"/sahkoposti": None}, [("null_not_allowed", "/sahkoposti")]),
    Case("null-nested", FULL, {f"{OHT}/ajanjakson-tarkenne": None},
         [("null_not_allowed", f"{OHT}/ajanjakson-tarkenne")]),
    Case("null-list-item", FULL, {f"{TJK}/keskeiset-tyotehtavat/0": None},
         [("null_not_allowed", f"{TJK}/keskeiset-tyotehtavat/0")]),
    Case("null-record-in-list", FULL, {"/oppimisen-tuki/1": None},
         [("null_not_allowed", "/oppimisen-tuki/1")]),
    Case("null-required", FULL, {"/ensikertainen-hyvaksyminen": None},
         [("null_not_allowed", "/ensikertainen-hyvaksyminen")]),
    # Types.
    Case("string-not-number", FULL, {"/sahkoposti": 5},
         [("wrong_type", "/sahkoposti")]),
    Case("int-as-string", FULL, {"/versio": "1"}, [("wrong_type", "/versio")]),
    Case("int-as-fraction", FULL, {"/versio": 1.5}, [("wrong_type", "/versio")]),
    Case("int-as-bool", FULL, {"/versio": True}, [("wrong_type", "/versio")]),
    Case("int-too-large", FULL, {"/versio": 2**31}, [("out_of_range", "/versio")]),
    Case("int-too-small", FULL, {"/versio": -(2**31) - 1}, [("out_of_range", "/versio")]),
    Case("int-limits", FULL, {"/versio": 2**31 - 1, "/urasuunnitelma-koodi-versio": -(2**31)}, []),
    Case("number-as-bool", TUVA, {"/hankittavat-koulutuksen-osat/0/laajuus": False},
         [("wrong_type", "/hankittavat-koulutuksen-osat/0/laajuus")], right=study_right("tuva")),
    Case("bool-as-string", FULL, {"/osaamisen-hankkimisen-tarve": "true"},
         [("wrong_type", "/osaamisen-hankkimisen-tarve")]),
    Case("bool-as-int", FULL, {f"{HYTO}/osa-alueet/0/olennainen-seikka": 1},
         [("wrong_type", f"{HYTO}/osa-alueet/0/olennainen-seikka")]),
    Case("list-as-object", FULL, {"/oppimisen-tuki": {}}, [("wrong_type", "/oppimisen-tuki")]),
    Case("record-as-list", FULL, {TJK: []}, [("wrong_type", TJK)]),
    Case("string-list-item", FULL, {f"{TJK}/keskeiset-tyotehtavat/0": 1},
         [("wrong_type", f"{TJK}/keskeiset-tyotehtavat/0")]),
    # Characters and lengths.
    Case("nul-character", FULL, {"/sahkoposti": "a\u0000b"},
         [("invalid_character", "/sahkoposti")]),
    Case("lone-surrogate", FULL, {f"{TJK}/tyopaikan-nimi": "x\ud800"},
         [("invalid_character", f"{TJK}/tyopaikan-nimi")]),
    Case("nul-in-pattern", FULL, {OHT_URI: "osaamisenhankkimistapa_\u0000"},
         [("invalid_character", OHT_URI)]),
    Case("tunniste-blank", FULL, {f"{OHT}/yksiloiva-tunniste": "   "},
         [("empty_value", f"{OHT}/yksiloiva-tunniste")]),
    Case("tunniste-too-long", FULL, {f"{OHT}/yksiloiva-tunniste": LONG},
         [("too_long", f"{OHT}/yksiloiva-tunniste")]),
    Case("tunniste-256-with-spaces", FULL,
         {f"{OHT}/yksiloiva-tunniste": " " + "x" * 256 + " "}, []),
    Case("hoks-phone-too-long", FULL, {"/puhelinnumero": LONG},
         [("too_long", "/puhelinnumero")]),
    Case("hoks-phone-free-form", FULL, {"/puhelinnumero": "soita iltaisin 040-1234567"}, []),
    Case("tarkenne-too-long", FULL, {f"{OHT}/ajanjakson-tarkenne": LONG},
         [("too_long", f"{OHT}/ajanjakson-tarkenne")]),
    Case("code-uri-too-long", FULL, {OHT_URI: "osaamisenhankkimistapa_" + LONG},
         [("too_long", OHT_URI)]),
    Case("naytto-koodi-uri-too-long", FULL, {f"{OO}/osa-alueet/0/koodi-uri": LONG},
         [("too_long", f"{OO}/osa-alueet/0/koodi-uri")]),
    Case("naytto-koodi-uri-no-pattern", FULL, {f"{OO}/osa-alueet/0/koodi-uri": "mita tahansa"}, []),
    Case("ohjaaja-phone-ok", FULL, {f"{OHJAAJA}/puhelinnumero": "+358 (40) 123-4567"}, []),
    Case("ohjaaja-phone-empty-ok", FULL, {f"{OHJAAJA}/puhelinnumero": ""}, []),
    Case("ohjaaja-phone-letters", FULL, {f"{OHJAAJA}/puhelinnumero": "040 123 ext 5"},
         [("invalid_phone_number", f"{OHJAAJA}/puhelinnumero")]),
    Case("ohjaaja-phone-too-long", FULL, {f"{OHJAAJA}/puhelinnumero": "1" * 257},
         [("invalid_phone_number", f"{OHJAAJA}/puhelinnumero")]),
    Case("ohjaaja-email-any", FULL, {f"{OHJAAJA}/sahkoposti": "not an address"}, []),
    # Dates and timestamps.
    Case("date-not-calendar", FULL, {f"{OHT}/alku": "2019-02-30"},
         [("invalid_date", f"{OHT}/alku")]),
    Case("date-short-form", FULL, {"/ensikertainen-hyvaksyminen": "2019-3-18"},
         [("invalid_date", "/ensikertainen-hyvaksyminen")]),
    Case("date-with-time", FULL, {"/ensikertainen-hyvaksyminen": "2019-03-18T00:00:00Z"},
         [("invalid_date", "/ensikertainen-hyvaksyminen")]),
    Case("date-unicode-digits", FULL, {"/ensikertainen-hyvaksyminen": "٢٠١٩-03-18"},
         [("invalid_date", "/ensikertainen-hyvaksyminen")]),
    Case("timestamp-bad", FULL, {"/hyvaksytty": "2024-13-01T00:00:00Z"},
         [("invalid_timestamp", "/hyvaksytty")]),
    Case("timestamp-words", FULL, {"/paivitetty": "yesterday"},
         [("invalid_timestamp", "/paivitetty")]),
    # Formats (§7).
    Case("oppija-oid-pattern", FULL, {"/oppija-oid": "1.2.246.562.15.10000000009"},
         [("invalid_oid", "/oppija-oid")]),
    Case("oppija-oid-checksum", FULL, {"/oppija-oid": "1.2.246.562.24.12312312318"},
         [("invalid_oid_checksum", "/oppija-oid")]),
    Case("opiskeluoikeus-oid-checksum", FULL,
         {"/opiskeluoikeus-oid": "1.2.246.562.15.10000000008"},
         [("invalid_oid_checksum", "/opiskeluoikeus-oid")]),
    Case("opiskeluoikeus-oid-trailing-space", FULL,
         {"/opiskeluoikeus-oid": "1.2.246.562.15.10000000009 "},
         [("invalid_oid", "/opiskeluoikeus-oid")]),
    Case("tuva-oid-checksum", FULL, {"/tuva-opiskeluoikeus-oid": "1.2.246.562.15.10000000001"},
         [("invalid_oid_checksum", "/tuva-opiskeluoikeus-oid")]),
    Case("organisation-oid-pattern", FULL,
         {"/hankittavat-ammat-tutkinnon-osat/0/koulutuksen-jarjestaja-oid": "1.2.246.562.24.1"},
         [("invalid_oid", "/hankittavat-ammat-tutkinnon-osat/0/koulutuksen-jarjestaja-oid")]),
    Case("organisation-oid-no-checksum", FULL,
         {"/hankittavat-ammat-tutkinnon-osat/0/koulutuksen-jarjestaja-oid":
          "1.2.246.562.10.12345678901"}, []),
    Case("organisation-oid-root-and-old", FULL,
         {f"{OHT}/jarjestajan-edustaja/oppilaitos-oid": "1.2.246.562.10.00000000001",
          f"{OHT}/hankkijan-edustaja/oppilaitos-oid": "1.2.246.562.10.2013123456789012345678"},
         []),
    Case("business-id-trailing-space", FULL, {f"{TJK}/tyopaikan-y-tunnus": "1234567-1 "},
         [("invalid_business_id", f"{TJK}/tyopaikan-y-tunnus")]),
    Case("business-id-checksum", FULL, {f"{OO}/nayttoymparisto/y-tunnus": "1234567-2"},
         [("invalid_business_id_checksum", f"{OO}/nayttoymparisto/y-tunnus")]),
    Case("business-id-checksum-organisation", FULL,
         {f"{OO}/tyoelama-osaamisen-arvioijat/0/organisaatio/y-tunnus": "7654321-8"},
         [("invalid_business_id_checksum",
           f"{OO}/tyoelama-osaamisen-arvioijat/0/organisaatio/y-tunnus")]),
    Case("uuid-uppercase", FULL, {f"{OHT}/module-id": "0F8FAD5B-D9CB-469F-A165-70867728950E"},
         [("invalid_uuid", f"{OHT}/module-id")], method=Method.PUT),
    Case("eid-not-uuid", FULL, {"/eid": "abc"}, [("invalid_uuid", "/eid")], method=Method.PATCH),
    Case("code-uri-newline", FULL, {"/urasuunnitelma-koodi-uri": "urasuunnitelma_0001\n"},
         [("invalid_code_uri", "/urasuunnitelma-koodi-uri")]),
    Case("code-uri-trailing-space", FULL, {OHT_URI: " osaamisenhankkimistapa_muu"},
         [("invalid_code_uri", OHT_URI)]),
]  # fmt: skip

# Every koodi-URI field with a pattern: (path in hoks-full, a valid value, an invalid value).
CODE_URI_FIELDS = [
    ("/hankittavat-ammat-tutkinnon-osat/0/tutkinnon-osa-koodi-uri", "tutkinnonosat_1",
     "tutkinnonosat_x1"),
    (f"{HYTO}/osa-alueet/0/osa-alue-koodi-uri", "ammatillisenoppiaineet_x",
     "ammatillisenoppiaineet_"),
    (OHT_URI, "osaamisenhankkimistapa_muu", "osaamisenhankkimistapamuu"),
    (f"{OHT}/oppisopimuksen-perusta-koodi-uri", "oppisopimuksenperusta_01",
     "oppisopimuksenperusta"),
    (f"{HPTO_OHT}/muut-oppimisymparistot/0/oppimisymparisto-koodi-uri",
     "oppimisymparistot_0002", "oppimisymparistot_02"),
    (f"{AHPTO}/valittu-todentamisen-prosessi-koodi-uri", "osaamisentodentamisenprosessi_3",
     "osaamisentodentamisenprosessi_a"),
    ("/urasuunnitelma-koodi-uri", "urasuunnitelma_0005", "urasuunnitelma_005"),
    ("/oppimisen-tuki/0/oppimisen-tuen-tyyppi-koodi-uri",
     "ammatillinenkoulutusoppimisentuentyyppi_01", "ammatillinenkoulutusoppimisentuentyyppi_1"),
    ("/oppimisen-tuki/0/tutkinnon-osan-tyyppi-koodi-uri", "ammatillisentutkinnonosanryhma_2",
     "ammatillisentutkinnonosanryhma_3"),
]  # fmt: skip
TUVA_CODE_URI = ("/hankittavat-koulutuksen-osat/0/koulutuksen-osa-koodi-uri",
                 "koulutuksenosattuva_101", "koulutuksenosattuva_1011")  # fmt: skip
