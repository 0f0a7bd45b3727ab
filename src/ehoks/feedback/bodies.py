"""Arvo's request bodies, with the fields the national client sends (ehoks-api.md 5.7).

Built from the feedback row, the plan as stored and the study right of the local Koski copy.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from datetime import date
from typing import Any, Final

from ehoks.feedback.models import Feedback
from ehoks.feedback.rules import VOCATIONAL_SUORITUS, Kind, answer_window_end

ARVO_KIND: Final = {
    Kind.START: "aloittaneet",
    Kind.COMPLETED: "tutkinnon_suorittaneet",
    Kind.UNITS_COMPLETED: "tutkinnon_osia_suorittaneet",
}
_UNIT_LISTS: Final = (
    ("hankittavat-ammat-tutkinnon-osat", False),
    ("hankittavat-paikalliset-tutkinnon-osat", True),
    ("hankittavat-yhteiset-tutkinnon-osat", False),
)


def code(uri: object) -> str | None:
    """`tutkinnonosat_100031` → `100031`: Arvo takes the code value without its koodisto."""
    return uri.rsplit("_", 1)[-1] if isinstance(uri, str) and uri else None


def vocational_suoritus(study_right: dict[str, Any]) -> dict[str, Any]:
    for suoritus in study_right.get("suoritukset") or []:
        if (suoritus.get("tyyppi") or {}).get("koodiarvo") in VOCATIONAL_SUORITUS:
            return dict(suoritus)
    return {}


def _osaamisalat(suoritus: dict[str, Any], on: date) -> list[str]:
    found = []
    for item in suoritus.get("osaamisala") or []:
        start, end = item.get("alku"), item.get("loppu")
        if (start and date.fromisoformat(start) > on) or (end and date.fromisoformat(end) < on):
            continue
        value = (item.get("osaamisala") or {}).get("koodiarvo")
        if value:
            found.append(str(value))
    return found


def _tutkintotunnus(suoritus: dict[str, Any]) -> str | None:
    tunniste = ((suoritus.get("koulutusmoduuli") or {}).get("tunniste")) or {}
    value = tunniste.get("koodiarvo")
    return str(value) if value else None


def _toimipiste(suoritus: dict[str, Any]) -> str | None:
    value = (suoritus.get("toimipiste") or {}).get("oid")
    return str(value) if value else None


def _units(document: dict[str, Any]) -> list[dict[str, Any]]:
    units = []
    for key, local in _UNIT_LISTS:
        for unit in document.get(key) or []:
            periods = list(unit.get("osaamisen-hankkimistavat") or [])
            for area in unit.get("osa-alueet") or []:
                periods += area.get("osaamisen-hankkimistavat") or []
            entry: dict[str, Any] = {
                "osaamisen_hankkimistavat": sorted(
                    {c for p in periods if (c := code(p.get("osaamisen-hankkimistapa-koodi-uri")))}
                ),
                "oppisopimuksen_perustat": sorted(
                    {c for p in periods if (c := code(p.get("oppisopimuksen-perusta-koodi-uri")))}
                ),
                "tutkinnon_osa": code(unit.get("tutkinnon-osa-koodi-uri")),
                "paikallinen_tutkinnon_osa": local,
            }
            if local:
                entry["paikallinen_tutkinnon_osa_nimi"] = unit.get("nimi")
            units.append(entry)
    return units


def student_body(
    feedback: Feedback, document: dict[str, Any], study_right: dict[str, Any], today: date
) -> dict[str, Any]:
    suoritus = vocational_suoritus(study_right)
    start = max(feedback.herate_date, today)
    end = answer_window_end(feedback.herate_date, start)
    late = today > end
    by_method: dict[str, list[str]] = defaultdict(list)
    for unit in _units(document):
        for method in unit["osaamisen_hankkimistavat"]:
            if unit["tutkinnon_osa"]:
                by_method[method].append(unit["tutkinnon_osa"])
    language = ((suoritus.get("suorituskieli") or {}).get("koodiarvo") or "fi").lower()
    return {
        "hankintakoulutuksen_toteuttaja": None,
        "tutkinnon_suorituskieli": language,
        "kyselyn_tyyppi": ARVO_KIND[Kind(feedback.kind)],
        "osaamisala": _osaamisalat(suoritus, feedback.herate_date),
        "tutkinnonosat_hankkimistavoittain": dict(by_method),
        "vastaamisajan_alkupvm": start.isoformat(),
        "vastaamisajan_loppupvm": end.isoformat(),
        "metatiedot": {
            "tila": "ei_kuulu_lahetettavien_perusjoukkoon" if late else "odottaa_lahetysta",
            "ei_kuulu_lahetettavien_perusjoukkoon": late,
        },
        "toimipiste_oid": _toimipiste(suoritus),
        "tutkintotunnus": _tutkintotunnus(suoritus),
        "tutkinnon_osat": _units(document),
        "oppilaitos_oid": feedback.oppilaitos_oid,
        "koulutustoimija_oid": feedback.koulutustoimija_oid,
        "heratepvm": feedback.herate_date.isoformat(),
        "request_id": feedback.request_id,
    }


def normalised(name: str) -> str:
    """A workplace name as Arvo compares them: lower-case ASCII letters and digits, _ between."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "_".join("".join(c if c.isalnum() else " " for c in ascii_name.lower()).split())


def workplace_body(feedback: Feedback, study_right: dict[str, Any], today: date) -> dict[str, Any]:
    details = feedback.details
    suoritus = vocational_suoritus(study_right)
    start = max(feedback.herate_date, today)
    end = answer_window_end(feedback.herate_date, start)
    name = str(details.get("tyopaikan_nimi") or "")
    return {
        "koulutustoimija_oid": feedback.koulutustoimija_oid,
        "tyonantaja": details.get("tyopaikan_y_tunnus"),
        "tyopaikka": name,
        "tyopaikka_normalisoitu": normalised(name),
        "tutkintotunnus": _tutkintotunnus(suoritus),
        "tutkinnon_osa": code(details.get("tutkinnon_osa")),
        "paikallinen_tutkinnon_osa": details.get("paikallinen_tutkinnon_osa"),
        "tutkintonimike": [
            str(t.get("koodiarvo")) for t in suoritus.get("tutkintonimike") or [] if t
        ],
        "osaamisala": _osaamisalat(suoritus, feedback.herate_date),
        "tyopaikkajakson_alkupvm": details.get("alku"),
        "tyopaikkajakson_loppupvm": details.get("loppu"),
        "rahoituskausi_pvm": details.get("loppu"),
        "osa_aikaisuus": details.get("osa_aikaisuus"),
        "sopimustyyppi": code(details.get("hankkimistapa")),
        "oppisopimuksen_perusta": code(details.get("oppisopimuksen_perusta")),
        "vastaamisajan_alkupvm": start.isoformat(),
        "vastaamisajan_loppupvm": end.isoformat(),
        "metatiedot": {"ei_kuulu_lahetettavien_perusjoukkoon": today > end},
        "oppilaitos_oid": feedback.oppilaitos_oid,
        "toimipiste_oid": _toimipiste(suoritus),
        "request_id": feedback.request_id,
    }
