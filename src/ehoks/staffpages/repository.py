"""Queries of the staff pages: the student list (one statement per page) and a student's plans.

Nothing here decides access: the service passes the caller's scope (`Access.hoks_scope`) and the
chosen organisation's subtree, and every statement applies both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, or_, select
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from ehoks.registry.models import Organisation, Person, StudyRight
from ehoks.registry.scoping import owned_within
from ehoks.staffpages.folding import fold_sql, name_words
from ehoks.staffpages.listing import (
    ENDED_STATES,
    Approval,
    DeletedPlan,
    Order,
    StudentListRow,
    StudentPage,
    StudentQuery,
    StudyRightState,
)

_ROW_COLUMNS = (
    Hoks.oppija_oid,
    Person.first_names,
    Person.last_name,
    Hoks.id,
    Hoks.opiskeluoikeus_oid,
    StudyRight.tutkinto_nimi,
    StudyRight.osaamisala_nimi,
    StudyRight.alkamispaiva,
    StudyRight.paattymispaiva,
    StudyRight.latest_tila,
    Hoks.ensikertainen_hyvaksyminen,
)


def student_page(session: Session, query: StudentQuery) -> StudentPage:
    """One page of the list and the number of all matches, in one statement (a window count);
    only a page past the end, which has no row to carry the count, asks for the count apart."""
    total_column = func.count().over().label("total")
    statement = _filtered(select(*_ROW_COLUMNS, total_column), query)
    found = session.execute(
        statement.order_by(*_order(query.order)).limit(query.size).offset(query.offset)
    ).all()
    rows = [StudentListRow(*row[:-1]) for row in found]
    if found:
        total = int(found[0][-1])
    elif query.offset == 0:
        total = 0
    else:
        total = int(session.scalar(_filtered(select(func.count(Hoks.id)), query)) or 0)
    return StudentPage(rows, total, query)


def student_window(
    session: Session, query: StudentQuery, *, offset: int, limit: int
) -> list[StudentListRow]:
    """`limit` rows of the list from `offset` (a student's neighbours), without the count."""
    statement = _filtered(select(*_ROW_COLUMNS), query)
    found = session.execute(statement.order_by(*_order(query.order)).limit(limit).offset(offset))
    return [StudentListRow(*row) for row in found.all()]


def _filtered(statement: Select[Any], query: StudentQuery) -> Select[Any]:
    statement = (
        statement.select_from(Hoks)
        .outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
        .outerjoin(Person, Person.oid == Hoks.oppija_oid)
        .where(Hoks.deleted_at.is_(None), hoks_repository.in_scope_of(query.scope))
    )
    if query.within is not None:
        statement = statement.where(
            owned_within(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, query.within)
        )
    # Each word must begin a part of the name (surname or a first name), accents folded.
    spaced = literal(" ") + fold_sql(Hoks.sort_name)
    for word in name_words(query.name):
        statement = statement.where(spaced.like(f"% {_escape(word)}%", escape="\\"))
    if query.qualification.strip():
        wanted = query.qualification.strip().lower()
        statement = statement.where(
            func.lower(_localised(StudyRight.tutkinto_nimi, query.lang)).contains(
                wanted, autoescape=True
            )
        )
    if query.state is not StudyRightState.ANY and query.today is not None:
        ended = _ended(query.today)
        statement = statement.where(
            ended if query.state is StudyRightState.ENDED else StudyRight.oid.is_not(None) & ~ended
        )
    if query.approval is Approval.APPROVED:
        statement = statement.where(Hoks.ensikertainen_hyvaksyminen.is_not(None))
    elif query.approval is Approval.NOT_APPROVED:
        statement = statement.where(Hoks.ensikertainen_hyvaksyminen.is_(None))
    return statement


def _ended(today: date) -> ColumnElement[bool]:
    """A study right that has ended: an end date reached, or a final state in Koski."""
    clause: ColumnElement[bool] = or_(
        StudyRight.paattymispaiva <= today, StudyRight.latest_tila.in_(sorted(ENDED_STATES))
    )
    return clause


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _localised(column: Any, lang: str) -> ColumnElement[str]:
    value: ColumnElement[str] = func.coalesce(column[lang].as_string(), column["fi"].as_string())
    return value


def _order(order: Order) -> list[ColumnElement[Any]]:
    descending = order in (Order.NAME_DESC, Order.START_DESC)
    name = Hoks.sort_name.desc() if descending else Hoks.sort_name.asc()
    tie = Hoks.id.desc() if descending else Hoks.id.asc()
    if order in (Order.START, Order.START_DESC):
        started = StudyRight.alkamispaiva.desc() if descending else StudyRight.alkamispaiva.asc()
        # Plans without a known start date go last either way.
        return [StudyRight.alkamispaiva.is_(None), started, name, tie]
    return [name, tie]


# --- a student ---------------------------------------------------------------------------------


def plans_of(session: Session, hoks_ids: Iterable[int]) -> Sequence[tuple[Hoks, StudyRight | None]]:
    """The plans (non-deleted) with their study rights, oldest first."""
    wanted = sorted(set(hoks_ids))
    if not wanted:
        return []
    rows = session.execute(
        select(Hoks, StudyRight)
        .outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
        .where(Hoks.id.in_(wanted), Hoks.deleted_at.is_(None))
        .order_by(Hoks.id)
    ).all()
    return [(hoks, study_right) for hoks, study_right in rows]


def plan_row(session: Session, hoks_id: int) -> Hoks | None:
    """A live plan's row (its columns: owner, identifiers, times)."""
    return session.scalars(
        select(Hoks).where(Hoks.id == hoks_id, Hoks.deleted_at.is_(None))
    ).first()


def deleted_plans(
    session: Session, scope: HoksScope, within: OrganisationSet, *, limit: int = 500
) -> list[DeletedPlan]:
    """Deleted plans in the scope and the organisations, latest deletion first."""
    found = session.execute(
        select(
            Hoks.id,
            Hoks.oppija_oid,
            Person.first_names,
            Person.last_name,
            StudyRight.tutkinto_nimi,
            Hoks.deleted_at,
        )
        .select_from(Hoks)
        .outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
        .outerjoin(Person, Person.oid == Hoks.oppija_oid)
        .where(
            Hoks.deleted_at.is_not(None),
            hoks_repository.in_scope_of(scope),
            owned_within(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, within),
        )
        .order_by(Hoks.deleted_at.desc(), Hoks.id.desc())
        .limit(limit)
    ).all()
    return [
        DeletedPlan(
            hoks_id=row[0],
            oppija_oid=row[1],
            student=", ".join(p for p in (row[3], row[2]) if p) or row[1],
            qualification=row[4],
            deleted=row[5],
        )
        for row in found
    ]


def child_organisations(session: Session, parent_oids: Iterable[str]) -> dict[str, str]:
    """{child OID: parent OID} of the organisations directly below the given ones."""
    wanted = sorted(set(parent_oids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Organisation.oid, Organisation.parent_oid).where(Organisation.parent_oid.in_(wanted))
    ).all()
    return {oid: parent for oid, parent in rows if parent is not None}
