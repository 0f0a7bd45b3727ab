"""The staff student search's statement: built once per shape of search (`kit.db.shapes`), its
values bound per request. Nothing here decides access; `people.staff_service` passes the caller's
scope and the organisation's subtree, and the statement applies both."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, bindparam, func, select
from sqlalchemy.orm import Session

from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.lists import repository as lists
from ehoks.hoks.models import Hoks
from ehoks.kit.db import driver
from ehoks.kit.db.counts import memo_of
from ehoks.kit.db.shapes import ShapeCache, planned_per_run_when
from ehoks.kit.folding import fold_letters
from ehoks.people.search import SearchResult, StudentRow, StudentSearch
from ehoks.registry.models import Person, StudyRight
from ehoks.registry.scoping import (
    ScopeShape,
    WithinShape,
    bound_owned_within,
    owner_legs,
    owner_ranges,
    scope_shape,
    scope_values,
    within_shape,
    within_values,
)


@dataclass(frozen=True, slots=True)
class _Shape:
    """What the search's statement depends on; the rest (OIDs, words, page) is bound."""

    scope: ScopeShape
    within: WithinShape
    name_tokens: int
    tutkinto: bool
    osaamisala: bool
    locale: str
    hoks_id: bool
    order_by: str
    descending: bool
    counted: bool  # the statement counts the matches too


def search_students(session: Session, search: StudentSearch) -> SearchResult:
    """One page of (student, study right, HOKS) rows of non-deleted HOKS, and the number of
    matches counted up to `COUNT_CAP` (`NAME_COUNT_CAP` by name; or the page's end), in one
    statement.

    In name order a page is a merge of ordered index range scans, one per organisation and
    owner column (`owner_ranges`); study right and person are joined by primary key to the page's
    rows only. Only a page past the end asks for the count apart. The statement is built once
    per shape of search (`kit.db.shapes`); a search binds its values to it.
    """
    cap = hoks_repository.NAME_COUNT_CAP if search.name_tokens else hoks_repository.COUNT_CAP
    bound = max(cap, search.offset + search.limit)
    memo = memo_of(session)
    question = ("staff-search", replace(search, offset=0, order_by="nimi", descending=False), bound)
    known = memo.get(question) if memo is not None else None
    shape = _shape_of(search, counted=known is None)
    values = _values_of(search, bound)
    connection = session.connection()
    found = driver.rows(connection, _STATEMENTS(shape), values)
    if known is not None:
        return SearchResult([StudentRow(*row) for row in found], min(known, bound), known > bound)
    if found:
        total = int(found[0][-1])
    elif search.offset == 0:
        total = 0
    else:
        total = int(connection.execute(_COUNTS(replace(shape, counted=False)), values).scalar_one())
    if memo is not None:
        memo.put(question, total)
    return SearchResult([StudentRow(*row[:-1]) for row in found], min(total, bound), total > bound)


def _shape_of(search: StudentSearch, *, counted: bool) -> _Shape:
    localised = bool(search.tutkinto or search.osaamisala) or search.order_by != "nimi"
    return _Shape(
        scope=scope_shape(search.scope),
        within=within_shape(search.within),
        name_tokens=len(search.name_tokens),
        tutkinto=bool(search.tutkinto),
        osaamisala=bool(search.osaamisala),
        locale=search.locale if localised else "",
        hoks_id=search.hoks_id is not None,
        order_by=search.order_by,
        descending=search.descending,
        counted=counted,
    )


def _values_of(search: StudentSearch, bound: int) -> dict[str, Any]:
    """The search's values under the names its statement binds them by."""
    values: dict[str, Any] = {
        **scope_values(search.scope),
        **within_values(search.within),
        "offset": search.offset,
        "limit": search.limit,
        "leg_end": search.offset + search.limit,
        "count_reads": bound + 1,
    }
    # Every word must occur in the lower-cased name; the folded name holds it folded too (folding
    # maps a part of a name to a part of the folded name), which a trigram index can find.
    for index, token in enumerate(search.name_tokens):
        values[f"name_{index}"] = _like_escaped(token.lower())
        values[f"folded_{index}"] = _like_escaped(fold_letters(token.lower()))
    if search.tutkinto:
        values["tutkinto"] = _like_escaped(search.tutkinto.lower())
    if search.osaamisala:
        values["osaamisala"] = _like_escaped(search.osaamisala.lower())
    if search.hoks_id is not None:
        values["hoks_id"] = search.hoks_id
    return values


def _like_escaped(text: str) -> str:
    """`text` for `contains(..., escape="/")`: its wildcards and the escape taken literally."""
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


_COLUMNS = (
    Hoks.oppija_oid,
    Person.first_names,
    Person.last_name,
    Hoks.opiskeluoikeus_oid,
    Hoks.id,
    StudyRight.tutkinto_nimi,
    StudyRight.osaamisala_nimi,
)


def _counted(shape: _Shape) -> ScalarSelect[int]:
    return lists.capped_count(
        _filter_of(shape),
        owner_legs(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, shape.within),
        bindparam("count_reads"),
    )


def _count_statement(shape: _Shape) -> Select[Any]:
    return select(_counted(shape))


def _statement(shape: _Shape) -> Select[Any]:
    total_column: list[Any] = [_counted(shape).label("total")] if shape.counted else []
    if shape.order_by == "nimi":
        page = lists.name_ordered_page(
            _filter_of(shape),
            owner_ranges(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, shape.within),
            descending=shape.descending,
            offset=bindparam("offset"),
            limit=bindparam("limit"),
            leg_end=bindparam("leg_end"),
        )
        keys: list[Any] = [page.c.sort_name, page.c.id]
        if shape.descending:
            keys = [key.desc() for key in keys]
        rows = select(*_COLUMNS, *total_column).select_from(page)
        return _joined(rows.join(Hoks, Hoks.id == page.c.id)).order_by(*keys)
    rows = select(*_COLUMNS, *total_column).select_from(Hoks)
    statement = _filtered(_joined(rows), shape, joined=True)
    if shape.within is not None:
        statement = statement.where(
            bound_owned_within(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, shape.within)
        )
    statement = statement.order_by(*_order(shape))
    return statement.limit(bindparam("limit")).offset(bindparam("offset"))


def _by_words(shape: _Shape) -> bool:
    """Whether the statement matches typed words (LIKE patterns)."""
    return bool(shape.name_tokens or shape.tutkinto or shape.osaamisala)


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
    def filtered(statement: Select[Any]) -> Select[Any]:
        return _filtered(statement.select_from(Hoks), shape, joined=False)

    return filtered


def _filtered(statement: Select[Any], shape: _Shape, *, joined: bool) -> Select[Any]:
    statement = statement.where(
        Hoks.deleted_at.is_(None), hoks_repository.in_bound_scope_of(shape.scope)
    )
    # Names are searched and sorted on the HOKS row's copies of the student's name.
    for index in range(shape.name_tokens):
        statement = statement.where(
            Hoks.search_name.contains(bindparam(f"folded_{index}"), escape="/"),
            Hoks.sort_name.contains(bindparam(f"name_{index}"), escape="/"),
        )
    if (shape.tutkinto or shape.osaamisala) and not joined:
        statement = statement.outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
    if shape.tutkinto:
        statement = statement.where(
            func.lower(_localised(StudyRight.tutkinto_nimi, shape.locale)).contains(
                bindparam("tutkinto"), escape="/"
            )
        )
    if shape.osaamisala:
        statement = statement.where(
            func.lower(_localised(StudyRight.osaamisala_nimi, shape.locale)).contains(
                bindparam("osaamisala"), escape="/"
            )
        )
    if shape.hoks_id:
        statement = statement.where(Hoks.id == bindparam("hoks_id"))
    return statement


def _localised(column: Any, locale: str) -> ColumnElement[str]:
    value: ColumnElement[str] = column[locale].as_string()
    return value


def _order(shape: _Shape) -> list[ColumnElement[Any]]:
    if shape.order_by == "tutkinto":
        keys: list[ColumnElement[Any]] = [_localised(StudyRight.tutkinto_nimi, shape.locale)]
    elif shape.order_by == "osaamisala":
        keys = [_localised(StudyRight.osaamisala_nimi, shape.locale)]
    else:
        # Surname first: how people look a student up in a list.
        keys = [Hoks.sort_name.expression]
    keys = [k.desc() if shape.descending else k.asc() for k in keys]
    return [*keys, Hoks.id.desc() if shape.descending else Hoks.id.asc()]
