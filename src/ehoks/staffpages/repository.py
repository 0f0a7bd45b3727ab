"""Queries of the staff pages: the student list (one statement per page) and a student's plans.

Nothing here decides access: the service passes the caller's scope (`Access.hoks_scope`) and the
chosen organisation's subtree, and every statement applies both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    Date,
    ScalarSelect,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.lists import repository as lists
from ehoks.hoks.models import Hoks, HoksNameWord
from ehoks.kit.db import driver
from ehoks.kit.db.counts import memo_of
from ehoks.kit.db.shapes import ShapeCache, planned_per_run_when
from ehoks.kit.folding import name_words
from ehoks.registry.models import Person, StudyRight
from ehoks.registry.scoping import (
    ScopeShape,
    WithinShape,
    bound_owned_within,
    owned_within,
    owner_legs,
    owner_ranges,
    scope_shape,
    scope_values,
    within_shape,
    within_values,
)
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


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the list's statement depends on; the rest (OIDs, words, dates, page) is bound."""

    scope: ScopeShape
    within: WithinShape
    words: int
    qualification: bool
    state: StudyRightState  # ANY when the day is not known
    approval: Approval
    order: Order
    lang: str
    counted: bool  # the statement counts the matches too
    drive: int | None  # the name word read as ranges of the name-word table; None: LIKE filters
    intersected: bool  # several words, each read as ranges of that table and intersected


def student_page(session: Session, query: StudentQuery) -> StudentPage:
    """One page of the list and the number of matches, in one statement.

    The count stops at `COUNT_CAP`, or `NAME_COUNT_CAP` when a name is searched (or at the end
    of the page asked for, if further): the page then says "more than". A count remembered for
    the same question (`kit.db.counts`) is not asked again; only a page past the end, which has
    no row to carry the count, asks for it apart. The statement is built once per shape of
    question (`kit.db.shapes`); a question binds its values to it.
    """
    cap = hoks_repository.NAME_COUNT_CAP if name_words(query.name) else hoks_repository.COUNT_CAP
    bound = max(cap, query.offset + query.size)
    memo = memo_of(session)
    question = ("staff-students", replace(query, page=1, order=Order.NAME), bound)
    known = memo.get(question) if memo is not None else None
    shape = _shape_of(query, counted=known is None)
    values = _values_of(query, offset=query.offset, limit=query.size, bound=bound)
    connection = session.connection()
    found = driver.rows(connection, _STATEMENTS(shape), values)
    if known is not None:
        rows = [StudentListRow(*row) for row in found]
        return StudentPage(rows, min(known, bound), query, more=known > bound)
    rows = [StudentListRow(*row[:-1]) for row in found]
    if found:
        total = int(found[0][-1])
    elif query.offset == 0:
        total = 0
    else:
        count = _COUNTS(replace(shape, counted=False))
        total = int(connection.execute(count, values).scalar_one())
    if memo is not None:
        memo.put(question, total)
    return StudentPage(rows, min(total, bound), query, more=total > bound)


def student_window(
    session: Session, query: StudentQuery, *, offset: int, limit: int
) -> list[StudentListRow]:
    """`limit` rows of the list from `offset` (a student's neighbours), without the count."""
    values = _values_of(query, offset=offset, limit=limit, bound=0)
    found = session.connection().execute(_STATEMENTS(_shape_of(query, counted=False)), values)
    return [StudentListRow(*row) for row in found.all()]


def _shape_of(query: StudentQuery, *, counted: bool) -> _Shape:
    qualification = bool(query.qualification.strip())
    return _Shape(
        scope=scope_shape(query.scope),
        within=within_shape(query.within),
        words=len(name_words(query.name)),
        qualification=qualification,
        state=query.state if query.today is not None else StudyRightState.ANY,
        approval=query.approval,
        order=query.order,
        lang=query.lang if qualification else "",
        counted=counted,
        drive=lists.driving_word(name_words(query.name), within_shape(query.within)),
        intersected=lists.intersected(name_words(query.name), within_shape(query.within)),
    )


def _hits(shape: _Shape) -> CTE | None:
    if not shape.intersected or not isinstance(shape.within, int):
        return None
    return lists.word_hits(shape.within, shape.words, HoksNameWord)


def _values_of(query: StudentQuery, *, offset: int, limit: int, bound: int) -> dict[str, Any]:
    """The question's values under the names its statement binds them by."""
    values: dict[str, Any] = {
        **scope_values(query.scope),
        **within_values(query.within),
        "offset": offset,
        "limit": limit,
        "leg_end": offset + limit,
        "count_reads": bound + 1,
        "today": query.today,
    }
    # Each word must begin a part of the name (surname or a first name), accents folded: the
    # stored search name has a space before every word.
    for index, word in enumerate(name_words(query.name)):
        values[f"word_{index}"] = f"% {_escape(word)}%"
    values.update(lists.word_values(name_words(query.name)))
    if query.qualification.strip():
        values["qualification"] = f"%{_escape(query.qualification.strip().lower())}%"
    return values


def _counted(shape: _Shape, hits: CTE | None) -> ScalarSelect[int]:
    if hits is not None:
        return lists.hits_count(_filter_of(shape), hits, bindparam("count_reads"))
    if shape.drive is not None and isinstance(shape.within, int):
        words = (shape.within, shape.words, shape.drive)
        return lists.word_count(_filter_of(shape), *words, bindparam("count_reads"))
    return lists.capped_count(
        _filter_of(shape),
        owner_legs(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, shape.within),
        bindparam("count_reads"),
    )


def _count_statement(shape: _Shape) -> Select[Any]:
    return select(_counted(shape, _hits(shape)))


def _statement(shape: _Shape) -> Select[Any]:
    """The list's rows from the offset; in name order a merge of ordered index range scans."""
    hits = _hits(shape)
    total = [_counted(shape, hits).label("total")] if shape.counted else []
    columns = [*_ROW_COLUMNS, *total]
    limit: BindParameter[int] = bindparam("limit")
    offset: BindParameter[int] = bindparam("offset")
    if shape.order not in (Order.NAME, Order.NAME_DESC):
        statement = _filtered(_joined(select(*columns).select_from(Hoks)), shape, joined=True)
        if shape.within is not None:
            statement = statement.where(
                bound_owned_within(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, shape.within)
            )
        if hits is not None:
            statement = statement.where(Hoks.id.in_(select(hits.c.hoks_id)))
        elif shape.drive is not None and isinstance(shape.within, int):
            matches = lists.word_matches(shape.within, shape.words, shape.drive)
            statement = statement.where(Hoks.id.in_(matches))
        return statement.order_by(*_order(shape.order)).limit(limit).offset(offset)
    descending = shape.order is Order.NAME_DESC
    ranges: dict[str, Any] = {"offset": offset, "limit": limit, "leg_end": bindparam("leg_end")}
    if hits is not None:
        page = lists.hits_page(
            _filter_of(shape), hits, descending=descending, offset=offset, limit=limit
        )
    elif shape.drive is not None and isinstance(shape.within, int):
        words = (shape.within, shape.words, shape.drive)
        page = lists.word_page(_filter_of(shape), *words, descending=descending, **ranges)
    else:
        legs = owner_ranges(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, shape.within)
        page = lists.name_ordered_page(_filter_of(shape), legs, descending=descending, **ranges)
    keys: list[Any] = [page.c.sort_name, page.c.id]
    if descending:
        keys = [key.desc() for key in keys]
    statement = select(*columns).select_from(page).join(Hoks, Hoks.id == page.c.id)
    return _joined(statement).order_by(*keys)


def _by_words(shape: _Shape) -> bool:
    """Whether the statement matches typed words with LIKE patterns (a name read through the
    name-word table is planned the same for any word: it is prepared, as a list without words)."""
    if shape.qualification:
        return True
    return bool(shape.words) and shape.drive is None


# A search by words (a name, a qualification) is planned for its words on every run: a plan kept
# for any word reads the wrong index for many (at 350 000 plans a one-word name search took 4
# times the PostgreSQL CPU with the generic plan; docs/operations.md). Lists without words keep
# their prepared plan.
_STATEMENTS: ShapeCache[_Shape, Select[Any]] = ShapeCache(
    planned_per_run_when(_statement, _by_words)
)
_COUNTS: ShapeCache[_Shape, Select[Any]] = ShapeCache(
    planned_per_run_when(_count_statement, _by_words)
)


def _joined(statement: Select[Any]) -> Select[Any]:
    """The study right and the person of each HOKS row (by primary key)."""
    return statement.outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid).outerjoin(
        Person, Person.oid == Hoks.oppija_oid
    )


def _filter_of(shape: _Shape) -> lists.ListFilter:
    """The list's joins and filters but the organisation (each leg of the list has its own)."""

    def filtered(statement: Select[Any]) -> Select[Any]:
        return _filtered(statement.select_from(Hoks), shape, joined=False)

    return filtered


def _filtered(statement: Select[Any], shape: _Shape, *, joined: bool) -> Select[Any]:
    """`statement` with the list's conditions; `joined`: it has the study right joined already
    (otherwise it is joined only when a condition needs it, so a leg reads one index)."""
    statement = statement.where(
        Hoks.deleted_at.is_(None), hoks_repository.in_bound_scope_of(shape.scope)
    )
    for index in range(shape.words if shape.drive is None else 0):
        word: BindParameter[str] = bindparam(f"word_{index}")
        statement = statement.where(Hoks.search_name.like(word, escape="\\"))
    needs_study_right = shape.qualification or shape.state is not StudyRightState.ANY
    if needs_study_right and not joined:
        statement = statement.outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
    if shape.qualification:
        statement = statement.where(
            func.lower(_localised(StudyRight.tutkinto_nimi, shape.lang)).like(
                bindparam("qualification"), escape="\\"
            )
        )
    if shape.state is not StudyRightState.ANY:
        today: BindParameter[date] = bindparam("today", type_=Date)
        statement = statement.where(
            _ended(today)
            if shape.state is StudyRightState.ENDED
            else StudyRight.oid.is_not(None) & _active(today)
        )
    if shape.approval is Approval.APPROVED:
        statement = statement.where(Hoks.ensikertainen_hyvaksyminen.is_not(None))
    elif shape.approval is Approval.NOT_APPROVED:
        statement = statement.where(Hoks.ensikertainen_hyvaksyminen.is_(None))
    return statement


def _ended(today: Any) -> ColumnElement[bool]:
    """A study right that has ended: an end date reached, or a final state in Koski."""
    clause: ColumnElement[bool] = or_(
        StudyRight.paattymispaiva <= today, StudyRight.latest_tila.in_(sorted(ENDED_STATES))
    )
    return clause


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _active(today: Any) -> ColumnElement[bool]:
    """A study right that has not ended, written out with its NULLs: an open end date or no
    state yet is active, where NOT of `_ended` would be unknown and drop the row."""
    clause: ColumnElement[bool] = and_(
        or_(StudyRight.paattymispaiva.is_(None), StudyRight.paattymispaiva > today),
        or_(StudyRight.latest_tila.is_(None), StudyRight.latest_tila.not_in(sorted(ENDED_STATES))),
    )
    return clause


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
