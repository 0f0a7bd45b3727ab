"""Sending a workplace period to its instructor: from the period's page the student has the
service e-mail the period's responsible instructor a sign-in link (the instructors' own sign-in,
docs/workplace-instructors.md), so the instructor sees the period without an account.

The link goes only to the address the plan itself names for the period, and only while the
instructor may see the period (its visibility window); nothing else is shared by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from ehoks.instructor import service as instructor_service
from ehoks.instructor.projection import normalise_email
from ehoks.kit.errors import ApiError
from ehoks.kit.i18n import Lang
from ehoks.planview.build import Builder, Entry
from ehoks.planview.names import plan_names
from ehoks.sharing import service
from ehoks.sharing.content import PERIODS, shareable_units, unit_title, withheld


@dataclass(frozen=True, slots=True)
class PeriodPage:
    hoks_id: int
    module_id: str
    unit: str
    period: Entry
    instructor_name: str
    has_address: bool
    visible_from: date | None
    visible_until: date | None
    visible_now: bool


@dataclass(frozen=True, slots=True)
class Sent:
    """Whether a link went out (None: the instructor may not see the period now, or the
    address has had its three links of the last 15 minutes)."""

    link: instructor_service.NewLink | None
    email: str


def _find(document: dict[str, Any], module_id: str) -> tuple[Any, dict[str, Any]]:
    for unit in shareable_units(document):
        for period in unit.record.get(PERIODS) or []:
            if isinstance(period, dict) and period.get("module-id") == module_id:
                return unit, period
    raise ApiError(404, "not_found")


def _instructor(period: dict[str, Any]) -> dict[str, Any]:
    workplace = period.get("tyopaikalla-jarjestettava-koulutus") or {}
    found = workplace.get("vastuullinen-tyopaikka-ohjaaja") if isinstance(workplace, dict) else None
    return found if isinstance(found, dict) else {}


def period_page(unit: service.StudentUnit, hoks_id: int, module_id: str, lang: Lang) -> PeriodPage:
    """One workplace period of one of the student's own plans; 404 for anyone else's."""
    plan = service.own_plan(unit, hoks_id)
    document = orjson.loads(plan.document)
    owner, period = _find(document, module_id)
    _, names = plan_names(unit.session, document)
    instructor = _instructor(period)
    window = instructor_service.window(unit.settings, unit.today)
    start, end = _dates(period)
    visible = start is not None and end is not None and window.shows(start, end)
    return PeriodPage(
        hoks_id=plan.id,
        module_id=module_id,
        unit=unit_title(owner, names, lang),
        period=Builder(names, lang).entry("OsaamisenHankkimistapa", withheld(period)),
        instructor_name=str(instructor.get("nimi") or ""),
        has_address=normalise_email(instructor.get("sahkoposti")) is not None,
        visible_from=(
            date.fromordinal(start.toordinal() - unit.settings.instructor_days_before)
            if start
            else None
        ),
        visible_until=window.visible_until(end) if end else None,
        visible_now=visible,
    )


def send(unit: service.StudentUnit, hoks_id: int, module_id: str) -> Sent:
    """A sign-in link for the period's instructor, stored; the caller sends the e-mail."""
    plan = service.own_plan(unit, hoks_id)
    _, period = _find(orjson.loads(plan.document), module_id)
    email = normalise_email(_instructor(period).get("sahkoposti"))
    if email is None:
        raise ApiError(404, "not_found")
    unit.audit.about(module_id=module_id)
    link = instructor_service.request_link(
        unit.session, unit.settings, email, today=unit.today, now=unit.now
    )
    return Sent(link, email)


def _dates(period: dict[str, Any]) -> tuple[date | None, date | None]:
    try:
        return date.fromisoformat(str(period["alku"])[:10]), date.fromisoformat(
            str(period["loppu"])[:10]
        )
    except (KeyError, ValueError):
        return None, None
