"""The reports' queries. Each applies the caller's scope and the organisation's subtree, given by
the service; nothing here decides access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    exists,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from ehoks.hoksmodel.rules import ALLOWED_STUDY_RIGHT_TYPES as PLANNED_STUDY_RIGHT_TYPES
from ehoks.instructor.models import WorkplacePeriod
from ehoks.registry.models import Person, StudyRight
from ehoks.registry.scoping import (
    in_scope,
    owned_within,
    owner_legs,
    within_shape,
    within_values,
)
from ehoks.reports.rows import PeriodRow, Student, StudyRightRow, WithoutPlanRow

# Koski's final states of a study right (opiskeluoikeudentila).
ENDED_STATES = ("eronnut", "katsotaaneronneeksi", "mitatoity", "peruutettu", "valmistunut")

_STUDY_RIGHT_COLUMNS: tuple[Any, ...] = (
    Hoks.id,
    Hoks.oppija_oid,
    Person.first_names,
    Person.last_name,
    Hoks.opiskeluoikeus_oid,
    Hoks.oppilaitos_oid,
    StudyRight.oid,
    StudyRight.paattymispaiva,
    StudyRight.latest_tila,
)
_PERIOD_COLUMNS: tuple[Any, ...] = (
    WorkplacePeriod.hoks_id,
    Hoks.oppija_oid,
    Person.first_names,
    Person.last_name,
    WorkplacePeriod.alku,
    WorkplacePeriod.loppu,
    WorkplacePeriod.workplace_name,
    WorkplacePeriod.instructor_name,
    WorkplacePeriod.instructor_email,
    WorkplacePeriod.yksiloiva_tunniste,
    WorkplacePeriod.summary,
)


def _plans(statement: Select[Any], scope: HoksScope, within: OrganisationSet) -> Select[Any]:
    return statement.where(
        Hoks.deleted_at.is_(None),
        hoks_repository.in_scope_of(scope),
        owned_within(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, within),
    )


def _page(
    session: Session, statement: Select[Any], limit: int | None, offset: int
) -> tuple[list[Any], int]:
    """Rows of a page and the count of all (one statement: a window count)."""
    counted = statement.add_columns(func.count().over().label("total"))
    if limit is not None:
        counted = counted.limit(limit).offset(offset)
    found = session.execute(counted).all()
    if found:
        return [row[:-1] for row in found], int(found[0][-1])
    if offset == 0:
        return [], 0
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    return [], int(total or 0)


def _study_right_ended(today: date) -> ColumnElement[bool]:
    """The study right has ended: its end date is reached or Koski gives it a final state."""
    ended: ColumnElement[bool] = or_(
        StudyRight.paattymispaiva <= today, StudyRight.latest_tila.in_(ENDED_STATES)
    )
    return ended


def study_right_problems(
    session: Session,
    scope: HoksScope,
    within: OrganisationSet,
    today: date,
    *,
    limit: int | None,
    offset: int = 0,
) -> tuple[list[StudyRightRow], int]:
    """Plans whose study right is not in the registry, or has ended (date reached or final
    state), by student name."""
    ended: ColumnElement[bool] = or_(StudyRight.oid.is_(None), _study_right_ended(today))
    statement = _plans(
        select(*_STUDY_RIGHT_COLUMNS)
        .select_from(Hoks)
        .outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
        .outerjoin(Person, Person.oid == Hoks.oppija_oid),
        scope,
        within,
    ).where(ended)
    rows, total = _page(session, statement.order_by(Hoks.sort_name, Hoks.id), limit, offset)
    return [
        StudyRightRow(
            hoks_id=row[0],
            student=Student(row[1], row[2], row[3]),
            opiskeluoikeus_oid=row[4],
            oppilaitos_oid=row[5],
            missing=row[6] is None,
            ended=row[7],
            state=row[8],
        )
        for row in rows
    ], total


def periods_between(
    session: Session,
    scope: HoksScope,
    within: OrganisationSet,
    first: date,
    last: date,
    *,
    limit: int | None,
    offset: int = 0,
) -> tuple[list[PeriodRow], int]:
    """Workplace periods of live plans that overlap the days `first`..`last`, by start date."""
    statement = _periods(scope, within).where(
        WorkplacePeriod.alku <= last, WorkplacePeriod.loppu >= first
    )
    ordered = statement.order_by(WorkplacePeriod.alku, WorkplacePeriod.loppu, WorkplacePeriod.id)
    rows, total = _page(session, ordered, limit, offset)
    return [_period_row(row) for row in rows], total


def periods_ending(
    session: Session, scope: HoksScope, within: OrganisationSet, first: date, last: date
) -> list[PeriodRow]:
    """Workplace periods of live plans that end on the days `first`..`last`, by end date."""
    statement = _periods(scope, within).where(
        WorkplacePeriod.loppu >= first, WorkplacePeriod.loppu <= last
    )
    found = session.execute(statement.order_by(WorkplacePeriod.loppu, WorkplacePeriod.id)).all()
    return [_period_row(row) for row in found]


def _periods(scope: HoksScope, within: OrganisationSet) -> Select[Any]:
    return _plans(
        select(*_PERIOD_COLUMNS)
        .select_from(WorkplacePeriod)
        .join(Hoks, Hoks.id == WorkplacePeriod.hoks_id)
        .outerjoin(Person, Person.oid == Hoks.oppija_oid),
        scope,
        within,
    )


def _period_row(row: Any) -> PeriodRow:
    summary = row[10] if isinstance(row[10], dict) else {}
    workplace = summary.get("tyopaikalla-jarjestettava-koulutus")
    workplace = workplace if isinstance(workplace, dict) else {}
    return PeriodRow(
        hoks_id=row[0],
        student=Student(row[1], row[2], row[3]),
        alku=row[4],
        loppu=row[5],
        workplace=row[6],
        y_tunnus=workplace.get("tyopaikan-y-tunnus"),
        instructor_name=row[7],
        instructor_email=row[8],
        part_time=summary.get("osa-aikaisuustieto"),
        yksiloiva_tunniste=row[9],
        summary=summary,
    )


@dataclass(frozen=True, slots=True)
class PlanAlertRow:
    hoks_id: int
    oppija_oid: str
    opiskeluoikeus_oid: str
    due: date | None  # the study right's end, when that is the reason
    student: Student


_PLAN_ALERT_COLUMNS: tuple[Any, ...] = (
    Hoks.id,
    Hoks.oppija_oid,
    Hoks.opiskeluoikeus_oid,
    Person.first_names,
    Person.last_name,
)


def _plan_alert_row(row: Any, due: date | None) -> PlanAlertRow:
    return PlanAlertRow(row[0], row[1], row[2], due, Student(row[1], row[3], row[4]))


def plans_without_approval_date(
    session: Session, scope: HoksScope, within: OrganisationSet, limit: int | None
) -> list[PlanAlertRow]:
    """Live plans with no date of first approval, by id (`limit` None: all)."""
    statement = _plans(
        select(*_PLAN_ALERT_COLUMNS).outerjoin(Person, Person.oid == Hoks.oppija_oid),
        scope,
        within,
    ).where(Hoks.ensikertainen_hyvaksyminen.is_(None))
    found = session.execute(statement.order_by(Hoks.id).limit(limit))
    return [_plan_alert_row(row, None) for row in found]


def plans_open_after_study_right(
    session: Session, scope: HoksScope, within: OrganisationSet, today: date, limit: int | None
) -> list[PlanAlertRow]:
    """Live plans whose study right has ended while the plan has no date when the competence
    was reached, by the study right's end (`limit` None: all)."""
    statement = (
        _plans(
            select(*_PLAN_ALERT_COLUMNS, StudyRight.paattymispaiva)
            .join(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
            .outerjoin(Person, Person.oid == Hoks.oppija_oid),
            scope,
            within,
        )
        .where(_study_right_ended(today), Hoks.osaamisen_saavuttamisen_pvm.is_(None))
        .order_by(StudyRight.paattymispaiva, Hoks.id)
        .limit(limit)
    )
    return [_plan_alert_row(row, row[5]) for row in session.execute(statement)]


def _study_right_active(today: date) -> ColumnElement[bool]:
    """The study right has not ended: no end date reached and no final Koski state. Written out
    with its NULLs (no end date, no state yet), which the negation of `_study_right_ended`
    would drop: SQL's NOT of an unknown comparison is unknown, not true."""
    active: ColumnElement[bool] = and_(
        or_(StudyRight.paattymispaiva.is_(None), StudyRight.paattymispaiva > today),
        or_(StudyRight.latest_tila.is_(None), StudyRight.latest_tila.not_in(ENDED_STATES)),
    )
    return active


def study_rights_without_plan(
    session: Session,
    scope: HoksScope,
    within: OrganisationSet,
    today: date,
    *,
    limit: int | None,
    offset: int = 0,
) -> tuple[list[WithoutPlanRow], int]:
    """Active study rights of a type that needs a plan, standing on their own (procured training
    is planned in the study right it is part of), with no live plan: longest waiting first.

    One statement: the page of study rights and their count are read from the study right's
    columns alone, each checked against the live plans' index on the study right; the person,
    the qualification's name and a deleted plan are joined to the page's rows only. A study
    right whose plan was deleted is listed with that plan's id: the plan keeps its claim on the
    study right, so it is restored rather than made again.
    """
    waiting = _without_plan(scope, within, today).subquery("waiting")
    candidates = select(waiting.c.oid, waiting.c.started, func.count().over().label("total"))
    if limit is not None:
        candidates = (
            candidates.order_by(waiting.c.started.asc().nulls_last(), waiting.c.oid)
            .limit(limit)
            .offset(offset)
        )
    listed = candidates.subquery("listed")
    right = aliased(StudyRight, name="listed_right")
    statement = (
        select(
            listed.c.oid,
            right.oppija_oid,
            Person.first_names,
            Person.last_name,
            listed.c.started,
            right.tutkinto_nimi,
            right.oppilaitos_oid,
            Hoks.id,
            listed.c.total,
        )
        .select_from(listed)
        .join(right, right.oid == listed.c.oid)
        .outerjoin(Person, Person.oid == right.oppija_oid)
        .outerjoin(Hoks, Hoks.opiskeluoikeus_oid == listed.c.oid)
        .order_by(listed.c.started.asc().nulls_last(), listed.c.oid)
    )
    found = session.execute(statement, within_values(within)).all()
    if found:
        total = int(found[0][-1])
    elif offset:  # past the end: no row to carry the count
        counted = select(func.count()).select_from(_without_plan(scope, within, today).subquery())
        total = int(session.scalar(counted, within_values(within)) or 0)
    else:
        total = 0
    return [
        WithoutPlanRow(
            student=Student(row[1], row[2], row[3]),
            opiskeluoikeus_oid=row[0],
            started=row[4],
            qualification=row[5] if isinstance(row[5], dict) else {},
            oppilaitos_oid=row[6],
            deleted_plan=row[7],
        )
        for row in found
    ], total


def _without_plan(
    scope: HoksScope, within: OrganisationSet, today: date
) -> Select[Any] | CompoundSelect[Any]:
    """The study rights without a plan (oid, start), on the study right's own columns.

    One part per owner of the subtree (`owner_legs`, disjoint), joined with UNION ALL: each is
    an index-only scan of the owner's covering index of study rights that stand on their own
    (migration 0020), where one scan with the OR of every owner would be a bitmap scan reading
    each study right's row, document and all. The live plan is looked for in the live plans'
    index by study right, again without a table row.
    """
    live_plan = exists().where(Hoks.opiskeluoikeus_oid == StudyRight.oid, Hoks.deleted_at.is_(None))
    common = [
        StudyRight.contained_in_oid.is_(None),
        StudyRight.tyyppi.in_(sorted(PLANNED_STUDY_RIGHT_TYPES)),
        _study_right_active(today),
        in_scope(
            scope,
            study_right_oid=StudyRight.oid,
            oppilaitos=StudyRight.oppilaitos_oid,
            koulutustoimija=StudyRight.koulutustoimija_oid,
            oppija_oid=StudyRight.oppija_oid,
        ),
        ~live_plan,
    ]
    shape = within_shape(within)
    legs = owner_legs(StudyRight.oppilaitos_oid, StudyRight.koulutustoimija_oid, shape)
    parts = [select(*_WAITING_COLUMNS).where(leg, *common) for leg in legs]
    return parts[0] if len(parts) == 1 else union_all(*parts)


_WAITING_COLUMNS: tuple[Any, ...] = (
    StudyRight.oid.label("oid"),
    StudyRight.alkamispaiva.label("started"),
)
