"""Keeping the workplace-period projection in step with the HOKS documents.

`on_hoks_written` listens to the HOKS package's "HOKS written" hook (connected by
`ehoks.wiring`), so it runs in the same transaction as every write of a HOKS. A workplace period
(työpaikkajakso) is an osaamisen hankkimistapa whose code is koulutussopimus or oppisopimus
(hoks-model.md 4.6). Its row carries `summary`: everything a responsible workplace instructor
may see of it (law 531/2017 109 a §: only the training they are named for), copied out of the
document here so that reading it never needs the document itself.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.hoks.hooks import HoksWritten, Operation
from ehoks.instructor import repository

WORKPLACE_CODES: Final = frozenset(
    {"osaamisenhankkimistapa_koulutussopimus", "osaamisenhankkimistapa_oppisopimus"}
)
# Unit kinds as the instructor's view names them.
VOCATIONAL: Final = "ammatillinen"
LOCAL: Final = "paikallinen"
COMMON: Final = "yhteinen"

# (document key of the list, unit kind): the units still to be acquired, which alone have periods.
_UNIT_LISTS: Final = (
    ("hankittavat-ammat-tutkinnon-osat", VOCATIONAL),
    ("hankittavat-paikalliset-tutkinnon-osat", LOCAL),
)
_COMMON_UNITS: Final = "hankittavat-yhteiset-tutkinnon-osat"
_PERIODS: Final = "osaamisen-hankkimistavat"
_PERIOD_KEYS: Final = (
    "alku",
    "loppu",
    "osaamisen-hankkimistapa-koodi-uri",
    "ajanjakson-tarkenne",
    "osa-aikaisuustieto",
)
_WORKPLACE_KEYS: Final = ("tyopaikan-nimi", "tyopaikan-y-tunnus", "keskeiset-tyotehtavat")
_CONTACT_KEYS: Final = ("nimi", "rooli", "oppilaitos-oid")
# The instructor's contact data, which the removal job clears three months after the period.
_INSTRUCTOR_CONTACT_KEYS: Final = ("sahkoposti", "puhelinnumero")
_DEMONSTRATIONS: Final = "osaamisen-osoittaminen"
_DEMONSTRATION_KEYS: Final = ("alku", "loppu", "sisallon-kuvaus")
_ENVIRONMENT_KEYS: Final = ("nimi", "kuvaus")


def on_hoks_written(session: Session, writes: Sequence[HoksWritten]) -> None:
    """Rewrite the periods of every HOKS written; new ones in a single INSERT."""
    add_periods_of_new(
        session,
        [(w.hoks_id, w.document) for w in writes if w.operation is Operation.CREATE and w.document],
    )
    for write in writes:
        if write.operation is not Operation.CREATE:
            refresh_periods(session, write.hoks_id, write.document)


def refresh_periods(session: Session, hoks_id: int, document: dict[str, Any] | None) -> None:
    """Rewrite the workplace periods of one HOKS from its document (None: the HOKS is hidden).

    One DELETE and at most one bulk INSERT: this runs on every write of every HOKS.
    """
    repository.delete_periods(session, hoks_id)
    if document is None:
        return
    repository.insert_periods(
        session,
        [_row(hoks_id, period, unit, held) for period, unit, held in _workplace_periods(document)],
    )


def add_periods_of_new(session: Session, documents: list[tuple[int, dict[str, Any]]]) -> None:
    """The workplace periods of newly created HOKS, in one INSERT (nothing to delete yet)."""
    repository.insert_periods(
        session,
        [
            _row(hoks_id, period, unit, shown)
            for hoks_id, document in documents
            for period, unit, shown in _workplace_periods(document)
        ],
    )


def _workplace_periods(
    document: dict[str, Any],
) -> Iterator[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]]:
    """(period, unit description, demonstrations during it) of every workplace period, in
    document order."""
    for key, kind in _UNIT_LISTS:
        for unit in _records(document.get(key)):
            yield from _periods_of(unit, _unit(kind, unit))
    for unit in _records(document.get(_COMMON_UNITS)):
        for area in _records(unit.get("osa-alueet")):
            yield from _periods_of(area, _unit(COMMON, unit, area))


def _periods_of(
    holder: dict[str, Any], described: dict[str, Any]
) -> Iterator[tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]]:
    demonstrations = _records(holder.get(_DEMONSTRATIONS))
    for period in _records(holder.get(_PERIODS)):
        if period.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_CODES:
            yield period, described, _during(demonstrations, period)


def _during(demonstrations: list[dict[str, Any]], period: dict[str, Any]) -> list[dict[str, Any]]:
    """The unit's demonstrations whose dates overlap the period (ISO dates compare as text).

    A demonstration belongs to the unit, not to a period; the instructor of a period sees the
    ones held while it runs, which are the ones their workplace is likely to host.
    """
    shown = []
    for demonstration in demonstrations:
        starts, ends = demonstration.get("alku"), demonstration.get("loppu")
        if not (isinstance(starts, str) and isinstance(ends, str)):
            continue
        if starts <= str(period.get("loppu", "")) and ends >= str(period.get("alku", "")):
            picked = _pick(demonstration, _DEMONSTRATION_KEYS)
            environment = demonstration.get("nayttoymparisto")
            if isinstance(environment, dict):
                picked["nayttoymparisto"] = _pick(environment, _ENVIRONMENT_KEYS)
            shown.append(picked)
    return sorted(shown, key=lambda d: (d["alku"], d["loppu"]))


def _records(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _unit(kind: str, unit: dict[str, Any], area: dict[str, Any] | None = None) -> dict[str, Any]:
    """The unit a period belongs to: its kind, code or local name and, for YTO, the sub-area."""
    described: dict[str, Any] = {"tyyppi": kind, "module-id": unit.get("module-id")}
    if kind == LOCAL:
        described["nimi"] = unit.get("nimi")
    else:
        described["tutkinnon-osa-koodi-uri"] = unit.get("tutkinnon-osa-koodi-uri")
    if area is not None:
        described["module-id"] = area.get("module-id")
        described["osa-alue-koodi-uri"] = area.get("osa-alue-koodi-uri")
    return described


def _row(
    hoks_id: int,
    period: dict[str, Any],
    unit: dict[str, Any],
    demonstrations: list[dict[str, Any]],
) -> dict[str, Any]:
    workplace = period.get("tyopaikalla-jarjestettava-koulutus")
    workplace = workplace if isinstance(workplace, dict) else {}
    instructor = workplace.get("vastuullinen-tyopaikka-ohjaaja")
    instructor = instructor if isinstance(instructor, dict) else {}
    return {
        "hoks_id": hoks_id,
        "module_id": str(period.get("module-id", "")),
        "unit_module_id": str(unit.get("module-id") or ""),
        "yksiloiva_tunniste": period.get("yksiloiva-tunniste"),
        "alku": date.fromisoformat(period["alku"]),
        "loppu": date.fromisoformat(period["loppu"]),
        "instructor_email": normalise_email(instructor.get("sahkoposti")),
        "instructor_name": instructor.get("nimi"),
        # Any value the removal job would clear counts, so the flag is down once it has run.
        "has_instructor_contact": any(
            instructor.get(key) is not None for key in _INSTRUCTOR_CONTACT_KEYS
        ),
        "workplace_name": workplace.get("tyopaikan-nimi"),
        "summary": _summary(period, workplace, instructor, unit, demonstrations),
    }


def _summary(
    period: dict[str, Any],
    workplace: dict[str, Any],
    instructor: dict[str, Any],
    unit: dict[str, Any],
    demonstrations: list[dict[str, Any]],
) -> dict[str, Any]:
    """Exactly what the instructor may see: nothing of the student, nothing of other periods.

    Of a demonstration: its dates, environment and content, not its individual criteria or
    assessors (criteria may reveal a need for special support).
    """
    summary = _pick(period, _PERIOD_KEYS)
    summary["keskeytymisajanjaksot"] = [
        _pick(pause, ("alku", "loppu")) for pause in _records(period.get("keskeytymisajanjaksot"))
    ]
    shown_workplace = _pick(workplace, _WORKPLACE_KEYS)
    if "nimi" in instructor:
        shown_workplace["vastuullinen-tyopaikka-ohjaaja"] = {"nimi": instructor["nimi"]}
    summary["tyopaikalla-jarjestettava-koulutus"] = shown_workplace
    summary["tutkinnon-osa"] = {k: v for k, v in unit.items() if k != "module-id" and v}
    contact = period.get("jarjestajan-edustaja")
    if isinstance(contact, dict):
        summary["jarjestajan-edustaja"] = _pick(contact, _CONTACT_KEYS)
    summary["naytot"] = demonstrations
    return summary


def _pick(record: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: record[key] for key in keys if record.get(key) is not None}


def normalise_email(value: object) -> str | None:
    """An e-mail address as the projection and the sign-in compare it: trimmed, lower-case."""
    if not isinstance(value, str):
        return None
    cleaned = value.strip().lower()
    return cleaned or None
