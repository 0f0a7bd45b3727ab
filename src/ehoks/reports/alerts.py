"""Deadline and data-quality alerts for provider systems: the staff reports' rules, as an API.

For the caller's organisation (and everything below it), exactly the plans a single read would
give them: workplace periods ending within the next days or ended lately that break a rule of
`ehoks.reports.quality` (what feedback and funding need), plans without a date of first approval,
and plans still open although their study right has ended. Each alert names its rule's code and
says what is wrong in Finnish, Swedish and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from sqlalchemy.orm import Session

from ehoks.access.rules import Access
from ehoks.kit.i18n import Lang
from ehoks.kit.translations import translator
from ehoks.reports import quality, repository
from ehoks.reports.service import ENDED_LOOKBACK

MAX_ALERTS: Final = 5000


@dataclass(frozen=True, slots=True)
class Alert:
    rule: str
    hoks_id: int
    oppija_oid: str
    opiskeluoikeus_oid: str | None = None
    due: date | None = None  # the period's end, or the study right's end
    yksiloiva_tunniste: str | None = None
    alku: date | None = None
    loppu: date | None = None

    @property
    def message(self) -> dict[str, str]:
        """What is wrong, in each language."""
        english = quality.DESCRIPTIONS[self.rule]
        return {lang.value: translator(lang).gettext(english) for lang in Lang}


@dataclass(frozen=True, slots=True)
class Alerts:
    alerts: list[Alert]
    truncated: bool


def alerts_for(
    session: Session,
    access: Access,
    organisation_oid: str,
    *,
    today: date,
    ahead_days: int,
    limit: int = MAX_ALERTS,
) -> Alerts:
    """Every alert of the organisation's plans that the caller may read, at most `limit`."""
    scope = access.hoks_scope(procured=False)
    within = access.within(organisation_oid)
    found: list[Alert] = []
    periods = repository.periods_ending(
        session, scope, within, today - ENDED_LOOKBACK, today + timedelta(days=ahead_days)
    )
    for period in periods:
        found += [
            Alert(
                rule=code,
                hoks_id=period.hoks_id,
                oppija_oid=period.student.oppija_oid,
                due=period.loppu,
                yksiloiva_tunniste=period.yksiloiva_tunniste,
                alku=period.alku,
                loppu=period.loppu,
            )
            for code in quality.problems(period)
        ]
    unapproved = repository.plans_without_approval_date(session, scope, within, limit + 1)
    ended = repository.plans_open_after_study_right(session, scope, within, today, limit + 1)
    for rule, rows in (
        (quality.APPROVAL_DATE_MISSING, unapproved),
        (quality.STUDY_RIGHT_ENDED_PLAN_OPEN, ended),
    ):
        found += [
            Alert(rule.code, row.hoks_id, row.oppija_oid, row.opiskeluoikeus_oid, due=row.due)
            for row in rows
        ]
    return Alerts(found[:limit], truncated=len(found) > limit)
