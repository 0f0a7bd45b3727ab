"""How far a unit is, and what is coming, worked out from the plan's dates as the national app does.

A unit still to be acquired is *planned* while nothing in it has dates, *scheduled* once a
learning period or demonstration has dates, and *completed* when it has demonstrations and every
one of them ended more than 14 days ago (the national app's rule: assessment follows a
demonstration within two weeks). A common unit counts its sub-areas' periods and demonstrations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

from ehoks.kit.formatting import as_date
from ehoks.kit.translations import N_

COMPLETED_AFTER: Final = timedelta(days=14)
COMING_DAYS: Final = 30
PERIODS: Final = "osaamisen-hankkimistavat"
DEMONSTRATIONS: Final = "osaamisen-osoittaminen"


class Status(StrEnum):
    PLANNED = "planned"
    SCHEDULED = "scheduled"
    COMPLETED = "completed"


STATUS_LABELS: Final = {
    Status.PLANNED: N_("Planned"),
    Status.SCHEDULED: N_("Scheduled"),
    Status.COMPLETED: N_("Completed"),
}


def _parts(unit: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The unit and its sub-areas: where periods and demonstrations are kept."""
    yield unit
    for area in unit.get("osa-alueet") or []:
        if isinstance(area, Mapping) and ("osa-alue-koodi-uri" in area):
            yield area


def _records(unit: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    return [r for part in _parts(unit) for r in part.get(key) or [] if isinstance(r, Mapping)]


def unit_status(unit: Mapping[str, Any], today: date) -> Status:
    periods = _records(unit, PERIODS)
    demonstrations = _records(unit, DEMONSTRATIONS)
    dated = [r for r in (*periods, *demonstrations) if as_date(r.get("alku")) is not None]
    if not dated:
        return Status.PLANNED
    ends = [as_date(d.get("loppu")) for d in demonstrations]
    if ends and all(end is not None and end + COMPLETED_AFTER < today for end in ends):
        return Status.COMPLETED
    return Status.SCHEDULED


Upcoming = tuple[Mapping[str, Any], str, Mapping[str, Any]]


def coming(units: list[Mapping[str, Any]], today: date) -> list[Upcoming]:
    """(unit, "period" | "demonstration", record) starting today or in the next 30 days."""
    last = today + timedelta(days=COMING_DAYS)
    found: list[tuple[date, Mapping[str, Any], str, Mapping[str, Any]]] = []
    for unit in units:
        for kind, key in (("period", PERIODS), ("demonstration", DEMONSTRATIONS)):
            for record in _records(unit, key):
                start = as_date(record.get("alku"))
                if start is not None and today <= start <= last:
                    found.append((start, unit, kind, record))
    found.sort(key=lambda item: item[0])
    return [(unit, kind, record) for _, unit, kind, record in found]
