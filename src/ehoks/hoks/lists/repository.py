"""Lists of plans in name order: a page as a merge of ordered ranges, and a count that stops.

Two kinds of range: an owner's plans in the (owner, sort name, id) indexes of the HOKS table
(`name_ordered_page`, `capped_count`), and, for a name search, the plans whose name has a word
beginning with the typed one in the name-word table (`word_page`, `word_count`), or, for a search
of any part of a name, a word's ending beginning with it in the name-suffix table (the same
functions with `table=HoksNameSuffix`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    ScalarSelect,
    Select,
    Subquery,
    bindparam,
    exists,
    func,
    intersect,
    select,
    union,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.types import Boolean

from ehoks.hoks.models import Hoks, HoksNameSuffix, HoksNameWord
from ehoks.hoks.names.repository import WORD_END
from ehoks.registry.scoping import OWNERS, WithinShape

# Adds a list's joins and filters (all but the owner condition) to a statement on the HOKS table.
ListFilter = Callable[[Select[Any]], Select[Any]]


def name_ordered_page(
    filtered: ListFilter,
    legs: Sequence[ColumnElement[bool]],
    *,
    descending: bool,
    offset: Any,
    limit: Any,
    leg_end: Any,
) -> Subquery:
    """The ids and sort names of one page of a list ordered by (sort name, id), as `page`.

    Each leg (`registry.scoping.owner_ranges`) is read in order from its (owner, sort name, id)
    index and stops at the page's end; the legs' rows are merged and a row found by two legs (a
    school's plan is also its provider's) counts once. The cost grows with the page's end, not
    with the number of matching rows. `offset`, `limit`, `leg_end` (their sum): numbers or binds.
    """
    page_keys: tuple[Any, ...] = (Hoks.id, Hoks.sort_name)
    ordered: list[Any] = [Hoks.sort_name, Hoks.id]
    if descending:
        ordered = [column.desc() for column in ordered]

    def leg_rows(leg: ColumnElement[bool], amount: Any, skip: Any = 0) -> Select[Any]:
        statement = filtered(select(*page_keys)).where(leg)
        return statement.order_by(*ordered).limit(amount).offset(skip)

    if len(legs) == 1:
        return leg_rows(legs[0], limit, offset).subquery("page")
    # Each leg's first (offset + limit) rows hold every row of the page: a row of the page is
    # at most that far into any leg that has it. Each leg in a subquery of its own: SQLite
    # allows no ORDER BY in a UNION's member.
    parts = [leg_rows(leg, leg_end) for leg in legs]
    return _merged(parts, descending=descending, offset=offset, limit=limit)


def _merged(parts: Sequence[Select[Any]], *, descending: bool, offset: Any, limit: Any) -> Subquery:
    """The page of the (id, sort name) rows of ordered `parts`, a row found twice once."""
    subqueries = [part.subquery() for part in parts]
    merged = union_all(*(select(part.c.id, part.c.sort_name) for part in subqueries)).subquery()
    keys: list[Any] = [merged.c.sort_name, merged.c.id]
    if descending:
        keys = [column.desc() for column in keys]
    rows = select(merged.c.id, merged.c.sort_name).distinct().order_by(*keys)
    return rows.limit(limit).offset(offset).subquery("page")


def capped_count(
    filtered: ListFilter, legs: Sequence[ColumnElement[bool]], reads: Any
) -> ScalarSelect[int]:
    """The number of matching rows, counted up to `reads` (a number or a bind; then it stops).

    The legs must not overlap (`registry.scoping.owner_legs`): each row is counted once.
    """
    parts = [filtered(select(Hoks.id)).where(leg) for leg in legs]
    rows = parts[0] if len(parts) == 1 else union_all(*parts)
    counted = select(func.count()).select_from(rows.limit(reads).subquery())
    return counted.scalar_subquery()


# --- name searches through the name-word table ------------------------------------------------
#
# The typed words are bound as `name_word_<n>` and `name_word_<n>_end` (`word_values`). One word
# of them (`drive`) is read as ranges of the table; each other word must be among the same
# plan's words (its primary key: plan, owner, word).


# A table of a plan's name parts per owner: (owner, part, sort name, plan) indexed in that order.
WordTable = type[HoksNameWord] | type[HoksNameSuffix]


def _part(found: Any) -> Any:
    """The name part column of a row of a `WordTable` (or of an alias of one)."""
    return found.suffix if hasattr(found, "suffix") else found.word


# A typed word this long or longer is read as ranges of the name-word table (the plans of its
# longer words sorted apart); a shorter one begins so many names that the organisation's
# name-ordered range finds a page of them sooner.
MIN_RANGE_WORD = 3


def driving_word(words: Sequence[str], within: WithinShape) -> int | None:
    """Which of the typed words a list reads as name-word ranges: the longest (likely the
    rarest; the first of equals) if it is at least MIN_RANGE_WORD long, when the list is of a few
    organisations (each a range); otherwise None."""
    if not words or not isinstance(within, int) or not within:
        return None
    longest = max(range(len(words)), key=lambda index: len(words[index]))
    return longest if len(words[longest]) >= MIN_RANGE_WORD else None


def intersected(words: Sequence[str], within: WithinShape) -> bool:
    """Whether a list finds the plans with every typed word first (`word_hits`): two words or
    more, each long enough to be a short range of the name-word table."""
    return (
        len(words) > 1
        and driving_word(words, within) is not None
        and min(len(word) for word in words) >= MIN_RANGE_WORD
    )


def word_values(words: Sequence[str]) -> dict[str, str]:
    """The parameters of `word_page` and `word_count` for these folded words."""
    values: dict[str, str] = {}
    for index, word in enumerate(words):
        values[f"name_word_{index}"] = word
        values[f"name_word_{index}_end"] = word + WORD_END
    return values


def word_page(
    filtered: ListFilter,
    owners: int,
    words: int,
    drive: int,
    *,
    descending: bool,
    offset: Any,
    limit: Any,
    leg_end: Any,
    table: WordTable = HoksNameWord,
) -> Subquery:
    """One page, as `name_ordered_page`, of the plans of the organisations bound as
    `owners_<n>` whose name has a word beginning with each typed word.

    For each organisation two ranges of (owner, word, sort name, id): the words equal to the
    driving word, read in the list's order and stopping at the page's end, and the longer words
    that begin with it (a plan can have two such words: its repeats dropped), sorted.
    Every other typed word must begin a word of the same plan (`_other_words`). With
    `table=HoksNameSuffix` each "word" is a word's ending: the plans whose name has each typed
    part in one of its words.
    """
    parts: list[Select[Any]] = []
    for index in range(owners):
        owner: BindParameter[str] = bindparam(f"{OWNERS}_{index}")
        typed: BindParameter[str] = bindparam(f"name_word_{drive}")
        found: Any = aliased(table)
        keys = _keys(found, descending=descending)
        columns: Any = select(found.hoks_id.label("id"), found.sort_name)
        equal = (
            filtered(columns)
            .join(found, found.hoks_id == Hoks.id)
            .where(
                found.owner_oid == owner,
                _part(found) == typed,
                *_other_words(found, words, drive, table),
            )
        )
        parts.append(equal.order_by(*keys).limit(leg_end))
        # The longer words' plans sorted from the index alone, then joined in that order (each
        # plan's row read only until the leg has its rows).
        other: Any = aliased(table)
        longer = (
            select(other.hoks_id, other.sort_name)
            .where(
                other.owner_oid == owner,
                _part(other) > typed,
                _part(other) < bindparam(f"name_word_{drive}_end"),
                *_other_words(other, words, drive, table),
            )
            .distinct()
            .order_by(*_keys(other, descending=descending))
            .subquery()
        )
        rows: Any = filtered(select(longer.c.hoks_id.label("id"), longer.c.sort_name))
        rows = rows.join(longer, longer.c.hoks_id == Hoks.id)
        parts.append(rows.order_by(*_keys(longer.c, descending=descending)).limit(leg_end))
    return _merged(parts, descending=descending, offset=offset, limit=limit)


def _keys(columns: Any, *, descending: bool) -> list[Any]:
    keys: list[Any] = [columns.sort_name, columns.hoks_id]
    return [key.desc() for key in keys] if descending else keys


def word_matches(
    owners: int, words: int, drive: int, table: WordTable = HoksNameWord
) -> Select[Any]:
    """The ids of the plans of the organisations bound as `owners_<n>` whose name has a word
    beginning with each typed word: the driving word's range of each organisation (an equality
    on the owner each, so that each is one range of the index), a plan in two of them twice."""
    ranges = []
    for index in range(owners):
        found: Any = aliased(table)
        ranges.append(
            select(found.hoks_id).where(
                found.owner_oid == bindparam(f"{OWNERS}_{index}"),
                _part(found) >= bindparam(f"name_word_{drive}"),
                _part(found) < bindparam(f"name_word_{drive}_end"),
                *_other_words(found, words, drive, table),
            )
        )
    matching: Any = ranges[0] if len(ranges) == 1 else union_all(*ranges)
    return select(matching.subquery().c.hoks_id)


def word_count(  # noqa: PLR0917 - word_page's parts and the reads
    filtered: ListFilter,
    owners: int,
    words: int,
    drive: int,
    reads: Any,
    table: WordTable = HoksNameWord,
) -> ScalarSelect[int]:
    """The number of plans `word_page` would list, counted up to `reads` (each plan once)."""
    matches = word_matches(owners, words, drive, table)
    rows = filtered(select(Hoks.id)).where(Hoks.id.in_(matches))
    counted = select(func.count()).select_from(rows.limit(reads).subquery())
    return counted.scalar_subquery()


def _other_words(found: Any, words: int, drive: int, table: WordTable) -> list[ColumnElement[bool]]:
    """Each typed word but the driving one begins a word (or a word's ending) of the same
    plan's name."""
    conditions: list[ColumnElement[bool]] = []
    for index in range(words):
        if index == drive:
            continue
        other: Any = aliased(table)
        conditions.append(
            exists().where(
                other.hoks_id == found.hoks_id,
                other.owner_oid == found.owner_oid,
                _part(other) >= bindparam(f"name_word_{index}"),
                _part(other) < bindparam(f"name_word_{index}_end"),
            )
        )
    return conditions


# --- several typed parts: the plans that have them all, found first --------------------------


def word_hits(owners: int, words: int, table: WordTable) -> CTE:
    """The ids of the plans of the organisations bound as `owners_<n>` whose name has a row of
    `table` in each typed word's range: per organisation the intersection of the words' ranges
    (each read from the index alone and hashed), the organisations' ids then merged, each once.

    Computed once (MATERIALIZED) for the page and its count: for two words or more the plans
    that have them all are few (a first name and a surname: ~1 in 250 of an organisation's plans
    in the generated data), where the plans in the longest word's range and sort order are many,
    each to be checked for the other words."""
    per_owner: list[Select[Any]] = []
    for index in range(owners):
        owner: BindParameter[str] = bindparam(f"{OWNERS}_{index}")
        ranges: list[Select[Any]] = []
        for word in range(words):
            found: Any = aliased(table)
            ranges.append(
                select(found.hoks_id).where(
                    found.owner_oid == owner,
                    _part(found) >= bindparam(f"name_word_{word}"),
                    _part(found) < bindparam(f"name_word_{word}_end"),
                )
            )
        # Each intersection a subquery of its own: SQLite allows no compound select in another.
        both = intersect(*ranges).subquery()
        per_owner.append(select(both.c.hoks_id))
    hits: Any = per_owner[0] if len(per_owner) == 1 else union(*per_owner)
    found_once: CTE = hits.cte("name_hits").prefix_with("MATERIALIZED")
    return found_once


class _AmongIds(ColumnElement[bool]):
    """`column` is one of the ids `ids` selects: on PostgreSQL `column = ANY(ARRAY(ids))`, the
    ids gathered once and each plan then read by its primary key (as `IN (ids)` the planner
    misjudges how many there are and may read every plan of the organisations to hash them);
    elsewhere `column IN (ids)`."""

    inherit_cache = False
    type = Boolean()

    def __init__(self, column: ColumnElement[Any], ids: Select[Any]) -> None:
        self.column = column
        self.ids = ids


@compiles(_AmongIds)
def _among_ids(element: _AmongIds, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.column.in_(element.ids), **kw))


@compiles(_AmongIds, "postgresql")
def _among_ids_postgresql(element: _AmongIds, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY(ARRAY({compiler.process(element.ids, **kw)}))"


def among_hits(column: Any, hits: CTE) -> ColumnElement[bool]:
    """`column` (a plan id) is among `hits` (`word_hits`)."""
    return _AmongIds(column, select(hits.c.hoks_id))


def hits_page(
    filtered: ListFilter, hits: CTE, *, descending: bool, offset: Any, limit: Any
) -> Subquery:
    """One page, as `name_ordered_page`, of the plans among `hits` (`word_hits`), sorted."""
    keys: list[Any] = [Hoks.sort_name, Hoks.id]
    if descending:
        keys = [key.desc() for key in keys]
    columns: Any = select(Hoks.id, Hoks.sort_name)
    rows = filtered(columns).where(among_hits(Hoks.id, hits))
    return rows.order_by(*keys).limit(limit).offset(offset).subquery("page")


def hits_count(filtered: ListFilter, hits: CTE, reads: Any) -> ScalarSelect[int]:
    """The number of plans among `hits` the list's filters keep, counted up to `reads`."""
    rows = filtered(select(Hoks.id)).where(among_hits(Hoks.id, hits))
    counted = select(func.count()).select_from(rows.limit(reads).subquery())
    return counted.scalar_subquery()
