"""The staff student search's statement: built once per shape of search (`kit.db.shapes`), its
values bound per request. Nothing here decides access; `people.staff_service` passes the caller's
scope and the organisation's subtree, and the statement applies both."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    bindparam,
    func,
    select,
)
from sqlalchemy.orm import Session

from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.lists import repository as lists
from ehoks.hoks.models import Hoks, HoksNameSuffix
from ehoks.hoks.names.repository import MIN_SUFFIX
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
    parts: int  # the typed parts looked up in the name-suffix table (`name_parts`)
    drive: int | None  # 0: the longest part is read as ranges of that table; None: LIKE filters


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


def name_parts(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The parts of the typed name the name-suffix table can find, longest first (the likely
    rarest; equals in their typed order): each token folded as the stored search name is, cut at
    its spaces (a hyphen folds to one), the pieces of MIN_SUFFIX letters or more, each once.
    Each lies within one word of every matching name."""
    parts: dict[str, None] = {}
    for token in tokens:
        for piece in fold_letters(token.lower()).split(" "):
            if len(piece) >= MIN_SUFFIX:
                parts[piece] = None
    return tuple(sorted(parts, key=len, reverse=True))


def _driven(search: StudentSearch, parts: tuple[str, ...]) -> bool:
    """Whether the longest part is read as ranges of the name-suffix table: when the search is
    of a few organisations (each a range) and not of one plan by its id."""
    within = within_shape(search.within)
    return bool(parts) and isinstance(within, int) and within > 0 and search.hoks_id is None


def _shape_of(search: StudentSearch, *, counted: bool) -> _Shape:
    localised = bool(search.tutkinto or search.osaamisala) or search.order_by != "nimi"
    parts = name_parts(search.name_tokens)
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
        parts=len(parts),
        drive=0 if _driven(search, parts) else None,
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
    values.update(lists.word_values(name_parts(search.name_tokens)))
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


def _hits(shape: _Shape) -> CTE | None:
    """For two typed parts or more read through the name-suffix table: the plans that have
    them all (`lists.word_hits`), found once for the page and its count."""
    if shape.drive is None or not isinstance(shape.within, int) or shape.parts < 2:  # noqa: PLR2004
        return None
    return lists.word_hits(shape.within, shape.parts, HoksNameSuffix)


def _counted(shape: _Shape, hits: CTE | None) -> ScalarSelect[int]:
    reads: BindParameter[int] = bindparam("count_reads")
    if hits is not None:
        return lists.hits_count(_filter_of(shape), hits, reads)
    if shape.drive is not None and isinstance(shape.within, int):
        return lists.word_count(_filter_of(shape), shape.within, 1, 0, reads, HoksNameSuffix)
    return lists.capped_count(
        _filter_of(shape),
        owner_legs(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, shape.within),
        reads,
    )


def _count_statement(shape: _Shape) -> Select[Any]:
    return select(_counted(shape, _hits(shape)))


def _statement(shape: _Shape) -> Select[Any]:
    hits = _hits(shape)
    total_column: list[Any] = [_counted(shape, hits).label("total")] if shape.counted else []
    if shape.order_by == "nimi":
        ranges: dict[str, Any] = {
            "descending": shape.descending,
            "offset": bindparam("offset"),
            "limit": bindparam("limit"),
        }
        if hits is not None:
            page = lists.hits_page(_filter_of(shape), hits, **ranges)
        elif shape.drive is not None and isinstance(shape.within, int):
            owners = shape.within
            page = lists.word_page(
                _filter_of(shape),
                owners,
                1,
                0,
                leg_end=bindparam("leg_end"),
                table=HoksNameSuffix,
                **ranges,
            )
        else:
            legs = owner_ranges(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, shape.within)
            page = lists.name_ordered_page(
                _filter_of(shape), legs, leg_end=bindparam("leg_end"), **ranges
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
    if hits is not None:
        statement = statement.where(Hoks.id.in_(select(hits.c.hoks_id)))
    elif shape.drive is not None and isinstance(shape.within, int):
        statement = statement.where(
            Hoks.id.in_(lists.word_matches(shape.within, 1, 0, HoksNameSuffix))
        )
    statement = statement.order_by(*_order(shape))
    return statement.limit(bindparam("limit")).offset(bindparam("offset"))


def _by_words(shape: _Shape) -> bool:
    """Whether the statement matches typed words with LIKE patterns an index could serve. A name
    read through the name-suffix table is not: its plan is the same for any part (ranges of the
    table, plans by primary key), so it is prepared once, as a list without words is."""
    if shape.tutkinto or shape.osaamisala:
        return True
    return bool(shape.name_tokens) and shape.drive is None


# A search by words (a name, a qualification) is planned for its words on every run: a plan kept
# for any word reads the wrong index for many (at 350 000 plans a one-word name search took 4
# times the PostgreSQL CPU with the generic plan; docs/operations.md). Lists without words, and
# names read through the name-suffix table (planning was a third of their CPU), keep their
# prepared plan.
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
    # Names are searched and sorted on the HOKS row's copies of the student's name: each token
    # a part of the lower-cased name. The folded name holds it folded too, which the trigram
    # indexes can find; read through the name-suffix table instead, that condition is left out,
    # so that the planner does not start from those indexes.
    for index in range(shape.name_tokens):
        if shape.drive is None:
            statement = statement.where(
                Hoks.search_name.contains(bindparam(f"folded_{index}"), escape="/")
            )
        statement = statement.where(Hoks.sort_name.contains(bindparam(f"name_{index}"), escape="/"))
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
