"""What the history pages show, built inside the request's unit of work.

Each function decides access first (`history.readable_plan`: the HOKS read decision, audited),
then reads. The student pages (`routes.py`) call them; the staff pages can call them with a
staff unit, since the decision is the same HOKS read decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from ehoks.kit.errors import ApiError
from ehoks.kit.i18n import Lang
from ehoks.pipeline.unit import AuditedUnit
from ehoks.planhistory import history
from ehoks.planhistory.describe import ChangeLine, describe
from ehoks.planhistory.diff import changes
from ehoks.planhistory.seen import SeenPage, seen_page
from ehoks.planview.names import names_for
from ehoks.planview.plan import PlanView, plan_view
from ehoks.registry import repository as registry_repository

Unit = AuditedUnit[Any]
_FINNISH_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


@dataclass(frozen=True, slots=True)
class Versions:
    hoks_id: int
    versions: list[history.Version]  # newest first


@dataclass(frozen=True, slots=True)
class VersionView:
    hoks_id: int
    version: history.Version
    plan: PlanView
    on: date | None  # the date asked for, when the version was found by date


@dataclass(frozen=True, slots=True)
class Comparison:
    hoks_id: int
    older: history.Version
    newer: history.Version
    lines: list[ChangeLine]


# The days a plan's history can be asked about: any this service can mean, with room to count.
EARLIEST_DAY: Final = date(1900, 1, 1)
LATEST_DAY: Final = date(2999, 12, 31)


def parse_day(text: str) -> date:
    """A date as a person types it (2.12.2026) or as a date field sends it (2026-12-02)."""
    found = _FINNISH_DATE.match(text)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            day_asked = date(year, month, day)
        else:
            day_asked = date.fromisoformat(text.strip())
    except ValueError:
        raise ApiError(400, "invalid_history_date") from None
    # The day's end is found with date arithmetic: 31.12.9999 would overflow (a 500).
    if not EARLIEST_DAY <= day_asked <= LATEST_DAY:
        raise ApiError(400, "invalid_history_date")
    return day_asked


def versions_of(unit: Unit, hoks_id: int) -> Versions:
    row = history.readable_plan(unit.session, unit.access, hoks_id, unit.audit)
    found = history.versions(unit.session, row)
    unit.audit.about(view="versions")
    return Versions(hoks_id, found)


def version_view(
    unit: Unit, hoks_id: int, lang: Lang, *, number: int | None = None, on: date | None = None
) -> VersionView | None:
    """The plan as version `number` said it, or as it stood at the end of day `on`; None when
    the plan did not exist yet on that day."""
    row = history.readable_plan(unit.session, unit.access, hoks_id, unit.audit)
    found = history.versions(unit.session, row)
    if on is not None:
        version = history.version_on(found, on)
        if version is None:
            return None
    else:
        version = next((v for v in found if v.number == number), None)
        if version is None:
            raise ApiError(404, "version_not_found", params={"version": number})
    document = history.document_of(unit.session, row, version.number)
    unit.audit.about(version=version.number)
    names = names_for(unit.session, [document], set())
    shown_on = on or (version.valid_to.date() if version.valid_to else unit.today)
    return VersionView(hoks_id, version, plan_view(document, names, lang, shown_on), on)


def comparison(unit: Unit, hoks_id: int, older: int, newer: int, lang: Lang) -> Comparison:
    """What changed from version `older` to version `newer` (in either order), in words."""
    row = history.readable_plan(unit.session, unit.access, hoks_id, unit.audit)
    found = {v.number: v for v in history.versions(unit.session, row)}
    first, second = sorted((older, newer))
    for number in (first, second):
        if number not in found:
            raise ApiError(404, "version_not_found", params={"version": number})
    old = history.document_of(unit.session, row, first)
    new = history.document_of(unit.session, row, second)
    unit.audit.about(versions=[first, second])
    names = names_for(unit.session, [old, new], set())
    lines = describe(changes(old, new), old, new, names, lang)
    return Comparison(hoks_id, found[first], found[second], lines)


def seen(unit: Unit, hoks_id: int, *, page: int, with_student: bool) -> SeenPage:
    """Who has read or changed the plan, a page at a time (see `seen.py`)."""
    row = history.readable_plan(unit.session, unit.access, hoks_id, unit.audit)
    oids = registry_repository.same_person_oids(unit.session, row.oppija_oid)
    return seen_page(unit.session, row.id, oids, page=page, with_student=with_student)
