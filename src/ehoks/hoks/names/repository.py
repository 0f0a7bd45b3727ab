"""The name-word table (`HoksNameWord`): kept with every write of a plan, read by name searches.

Every live plan has one row per word of its stored search name (`Hoks.search_name`: the student's
name folded by `ehoks.kit.folding`, a space before each word) and per owner organisation. A typed
word `w` begins a part of the name exactly when the plan has a row whose word is in
[w, w + U+10FFFF): the words hold no space, and they compare by code point on both databases.
Deleted plans have no rows; a restored plan gets them again.

The suffix table (`HoksNameSuffix`) holds, the same way, every ending of 3 letters or more of
each word (the word itself included): a typed part `p` of 3 letters or more, without a space,
occurs in a word of the name exactly when the plan has a row whose suffix is in
[p, p + U+10FFFF). Both tables are written and replaced together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ehoks.hoks.models import Hoks, HoksNameSuffix, HoksNameWord
from ehoks.kit.db.rows import insert_rows
from ehoks.kit.folding import search_name

# Above every character: "begins with w" is `w <= word < w + WORD_END`.
WORD_END: Final = "\U0010ffff"

# The shortest ending kept: a shorter typed part occurs in so many names that the organisation's
# name-ordered range finds a page of them sooner.
MIN_SUFFIX: Final = 3

# (plan id, oppilaitos, koulutustoimija, sort name)
PlanName = tuple[int, str | None, str | None, str]


def words_of(folded: str) -> list[str]:
    """The distinct words of a stored search name, split as `LIKE '% w%'` sees them (spaces)."""
    return sorted({word for word in folded.split(" ") if word})


def suffixes_of(folded: str) -> list[str]:
    """The distinct endings of MIN_SUFFIX letters or more of the words of a stored search name."""
    return sorted(
        {word[start:] for word in words_of(folded) for start in range(len(word) - MIN_SUFFIX + 1)}
    )


def rows_of(plans: Iterable[PlanName]) -> list[dict[str, Any]]:
    """The name-word table's rows of these plans."""
    return _rows_of(plans, words_of, "word")


def suffix_rows_of(plans: Iterable[PlanName]) -> list[dict[str, Any]]:
    """The suffix table's rows of these plans."""
    return _rows_of(plans, suffixes_of, "suffix")


def _rows_of(
    plans: Iterable[PlanName], parts_of: Callable[[str], list[str]], column: str
) -> list[dict[str, Any]]:
    """A row per part of each plan's folded name (`parts_of`, under `column`) and owner."""
    rows: list[dict[str, Any]] = []
    for hoks_id, oppilaitos, koulutustoimija, sort_name in plans:
        parts = parts_of(search_name(sort_name))
        for owner in sorted({o for o in (oppilaitos, koulutustoimija) if o}):
            rows.extend(
                {"hoks_id": hoks_id, "owner_oid": owner, column: part, "sort_name": sort_name}
                for part in parts
            )
    return rows


def add(session: Session, plans: Sequence[PlanName]) -> None:
    """Write the rows of these live plans, one statement a table for all of them."""
    rows = rows_of(plans)
    if rows:
        insert_rows(session, HoksNameWord, rows)
    suffixes = suffix_rows_of(plans)
    if suffixes:
        insert_rows(session, HoksNameSuffix, suffixes)


def remove(session: Session, hoks_ids: Sequence[int]) -> None:
    if hoks_ids:
        wanted = sorted(hoks_ids)
        session.execute(delete(HoksNameWord).where(HoksNameWord.hoks_id.in_(wanted)))
        session.execute(delete(HoksNameSuffix).where(HoksNameSuffix.hoks_id.in_(wanted)))


def follow_write(
    session: Session, before: Hoks, written: Any, sort_name: str, *, live: bool
) -> None:
    """After `compare_and_set`: the plan's rows follow a new name, a deletion or a restore (the
    owners of a plan never change, so any other write leaves its rows as they are)."""
    was_live = before.deleted_at is None
    if was_live == live and (not live or sort_name == before.sort_name):
        return
    if was_live:
        remove(session, [before.id])
    if live:
        add(session, [(before.id, written.oppilaitos_oid, written.koulutustoimija_oid, sort_name)])


# Students per statement when names change: an import of files can rename tens of thousands,
# more than a statement's parameters may be (SQLite 32 766, PostgreSQL 65 535).
RENAMES_PER_STATEMENT: Final = 1000


def follow_renames(session: Session, oppija_oids: Sequence[str]) -> None:
    """After the students' sort names changed on their plans: their live plans' rows anew."""
    wanted = sorted(oppija_oids)
    for start in range(0, len(wanted), RENAMES_PER_STATEMENT):
        students = wanted[start : start + RENAMES_PER_STATEMENT]
        plans = select(Hoks.id).where(Hoks.oppija_oid.in_(students))
        session.execute(delete(HoksNameWord).where(HoksNameWord.hoks_id.in_(plans)))
        session.execute(delete(HoksNameSuffix).where(HoksNameSuffix.hoks_id.in_(plans)))
        found = session.execute(
            select(Hoks.id, Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, Hoks.sort_name).where(
                Hoks.oppija_oid.in_(students), Hoks.deleted_at.is_(None)
            )
        ).all()
        add(session, [(row[0], row[1], row[2], row[3]) for row in found])
