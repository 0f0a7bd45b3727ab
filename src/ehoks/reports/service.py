"""The reports of one organisation: the read role on it (or above it) is needed, and the rows are
those of the caller's list scope within the organisation and below it, exactly the plans a single
read would give them. Every report read is audited with the students it showed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Final, Protocol, TypeVar

from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.access.rules import Access
from ehoks.access.subjects import Role
from ehoks.audit.scope import AuditScope
from ehoks.reports import quality, repository
from ehoks.reports.rows import (
    PAGE_SIZE,
    PeriodRow,
    Report,
    Student,
    StudyRightRow,
    WithoutPlanRow,
)

# How far back the data-quality report looks at periods already ended: feedback on a workplace
# period can still be asked for this long after it ends, so its data is still worth fixing.
ENDED_LOOKBACK: Final = timedelta(days=60)
MAX_AHEAD_DAYS: Final = 365


def _scope(access: Access, audit: AuditScope, organisation_oid: str) -> Access:
    decision = access.organisation(organisation_oid, Role.READ)
    audit.decided(decision)
    decision.enforce()
    return access


def _listed(audit: AuditScope, organisation_oid: str, oppija_oids: Iterable[str]) -> None:
    """Name in the read's audit record the organisation and every student the report showed."""
    audit.about(organisation=organisation_oid, listed=sorted(set(oppija_oids)))


class _OfStudent(Protocol):
    @property
    def student(self) -> Student: ...


_Row = TypeVar("_Row", bound=_OfStudent)
# A report's query: (the caller's plan scope, the organisation and those below it, limit,
# offset) -> (the page's rows, how many rows in all).
_Query = Callable[[HoksScope, OrganisationSet, int | None, int], tuple[list[_Row], int]]


def _paged(
    access: Access,
    organisation_oid: str,
    audit: AuditScope,
    page: int | None,
    query: _Query[_Row],
) -> Report[_Row]:
    """One page of a report (`page` None: every row, for a download), read in the caller's
    list scope within the organisation and audited with the students it showed."""
    _scope(access, audit, organisation_oid)
    limit, offset = (None, 0) if page is None else (PAGE_SIZE, (page - 1) * PAGE_SIZE)
    rows, total = query(
        access.hoks_scope(procured=False), access.within(organisation_oid), limit, offset
    )
    _listed(audit, organisation_oid, (row.student.oppija_oid for row in rows))
    return Report(rows, total, page or 1)


def study_rights(
    session: Session,
    access: Access,
    organisation_oid: str,
    audit: AuditScope,
    *,
    today: date,
    page: int | None,
) -> Report[StudyRightRow]:
    """Plans whose study right is missing or has ended; `page` None gives every row."""
    return _paged(
        access,
        organisation_oid,
        audit,
        page,
        lambda scope, within, limit, offset: repository.study_right_problems(
            session, scope, within, today, limit=limit, offset=offset
        ),
    )


def without_plan(
    session: Session,
    access: Access,
    organisation_oid: str,
    audit: AuditScope,
    *,
    today: date,
    page: int | None,
) -> Report[WithoutPlanRow]:
    """Active study rights of the organisation with no live plan; `page` None gives every row.
    The same list scope as the students page, applied to the study rights themselves."""
    return _paged(
        access,
        organisation_oid,
        audit,
        page,
        lambda scope, within, limit, offset: repository.study_rights_without_plan(
            session, scope, within, today, limit=limit, offset=offset
        ),
    )


def periods(
    session: Session,
    access: Access,
    organisation_oid: str,
    audit: AuditScope,
    *,
    first: date,
    last: date,
    page: int | None,
) -> Report[PeriodRow]:
    """Workplace periods overlapping `first`..`last`; `page` None gives every row."""
    return _paged(
        access,
        organisation_oid,
        audit,
        page,
        lambda scope, within, limit, offset: repository.periods_between(
            session, scope, within, first, last, limit=limit, offset=offset
        ),
    )


def data_quality(
    session: Session,
    access: Access,
    organisation_oid: str,
    audit: AuditScope,
    *,
    today: date,
    ahead_days: int,
) -> list[PeriodRow]:
    """Workplace periods ending in the next `ahead_days` days or ended in the last
    `ENDED_LOOKBACK` that break a rule of `quality`, each with the codes it breaks."""
    _scope(access, audit, organisation_oid)
    found = repository.periods_ending(
        session,
        access.hoks_scope(procured=False),
        access.within(organisation_oid),
        today - ENDED_LOOKBACK,
        today + timedelta(days=min(ahead_days, MAX_AHEAD_DAYS)),
    )
    rows = [replace(row, problems=codes) for row in found if (codes := quality.problems(row))]
    _listed(audit, organisation_oid, (row.student.oppija_oid for row in rows))
    return rows


@dataclass(frozen=True, slots=True)
class PlanProblem:
    """A plan that breaks a rule about the plan as a whole (`quality.PLAN_RULES`)."""

    rule: quality.PlanRule
    plan: repository.PlanAlertRow


def plan_quality(
    session: Session,
    access: Access,
    organisation_oid: str,
    audit: AuditScope,
    *,
    today: date,
    limit: int | None,
) -> tuple[list[PlanProblem], bool]:
    """Live plans without a date of first approval, then those still open after their study
    right ended: at most `limit` of each (None: all), and whether any list was cut."""
    _scope(access, audit, organisation_oid)
    scope = access.hoks_scope(procured=False)
    within = access.within(organisation_oid)
    asked = None if limit is None else limit + 1
    found = (
        (
            quality.APPROVAL_DATE_MISSING,
            repository.plans_without_approval_date(session, scope, within, asked),
        ),
        (
            quality.STUDY_RIGHT_ENDED_PLAN_OPEN,
            repository.plans_open_after_study_right(session, scope, within, today, asked),
        ),
    )
    cut = limit is not None and any(len(plans) > limit for _, plans in found)
    problems = [PlanProblem(rule, plan) for rule, plans in found for plan in plans[:limit]]
    _listed(audit, organisation_oid, (problem.plan.oppija_oid for problem in problems))
    return problems, cut
