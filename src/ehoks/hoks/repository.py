"""Queries of the HOKS tables. Nothing here decides policy; the service does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final, NamedTuple

from psycopg import AsyncConnection
from sqlalchemy import (
    ColumnElement,
    Row,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import psycopg as psycopg_dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope
from ehoks.hoks.changes.repository import PLAN, change_row, insert_many_changes
from ehoks.hoks.models import ChangeKind, Hoks, HoksChangeEntry, HoksRevision
from ehoks.hoks.names import repository as name_words
from ehoks.kit.db.rows import insert_rows
from ehoks.kit.folding import search_name
from ehoks.registry.scoping import ScopeShape, in_bound_scope, in_scope

# A list counts its matches up to this many (or to the end of the page asked for, if further):
# counting every one of a large provider's plans would read them all on every page.
COUNT_CAP: Final = 10_000
NAME_COUNT_CAP: Final = 200  # by name: the matches lie scattered in the name order, read to here


@dataclass(frozen=True, slots=True)
class NewHoks:
    eid: str
    oppija_oid: str
    opiskeluoikeus_oid: str
    oppilaitos_oid: str | None
    koulutustoimija_oid: str | None
    ensikertainen_hyvaksyminen: date | None
    osaamisen_saavuttamisen_pvm: date | None
    manuaalisyotto: bool
    document: str
    actor: str
    now: datetime
    sort_name: str = ""


# What a read needs, selected with prepared Core statements: reads are the hot path, and loading
# ORM objects would cost more than the query itself.
_VIEW_COLUMNS = (
    Hoks.id,
    Hoks.eid,
    Hoks.revision,
    Hoks.manuaalisyotto,
    Hoks.document,
    Hoks.oppija_oid,
    Hoks.opiskeluoikeus_oid,
    Hoks.oppilaitos_oid,
    Hoks.koulutustoimija_oid,
)
_VIEW_BY_ID = select(*_VIEW_COLUMNS).where(Hoks.id == bindparam("key"), Hoks.deleted_at.is_(None))
_VIEW_BY_STUDY_RIGHT = select(*_VIEW_COLUMNS).where(
    Hoks.opiskeluoikeus_oid == bindparam("key"), Hoks.deleted_at.is_(None)
)


# id, eid, revision, manuaalisyotto, document, oppija_oid, opiskeluoikeus_oid, oppilaitos_oid,
# koulutustoimija_oid
HoksView = Row[int, str, int, bool, str, str, str, str | None, str | None]


def view(session: Session, hoks_id: int) -> HoksView | None:
    """A live HOKS for reading (columns as attributes), or None."""
    return session.connection().execute(_VIEW_BY_ID, {"key": hoks_id}).first()


class HoksRead(NamedTuple):
    """The columns of `HoksView`, as read on the event loop (`view_on_loop`)."""

    id: int
    eid: str
    revision: int
    manuaalisyotto: bool
    document: str
    oppija_oid: str
    opiskeluoikeus_oid: str
    oppilaitos_oid: str | None
    koulutustoimija_oid: str | None


# The statements of `view` and `view_by_study_right` as psycopg runs them (PostgreSQL only),
# compiled once.
_PSYCOPG: Final = psycopg_dialect.dialect()  # type: ignore[no-untyped-call]  # untyped in SQLAlchemy
_VIEW_BY_ID_ON_LOOP: Final = str(_VIEW_BY_ID.compile(dialect=_PSYCOPG))
_VIEW_BY_STUDY_RIGHT_ON_LOOP: Final = str(_VIEW_BY_STUDY_RIGHT.compile(dialect=_PSYCOPG))


async def view_on_loop(connection: AsyncConnection[Any], hoks_id: int) -> HoksRead | None:
    """`view` on an asynchronous connection of the event loop's pool (`ehoks.kit.db.loop_pool`),
    in autocommit: the one statement is the whole round trip."""
    return await _one(connection, _VIEW_BY_ID_ON_LOOP, hoks_id)


async def view_by_study_right_on_loop(
    connection: AsyncConnection[Any], opiskeluoikeus_oid: str
) -> HoksRead | None:
    """`view_by_study_right` as `view_on_loop` is `view`."""
    return await _one(connection, _VIEW_BY_STUDY_RIGHT_ON_LOOP, opiskeluoikeus_oid)


async def _one(connection: AsyncConnection[Any], statement: str, key: object) -> HoksRead | None:
    cursor = await connection.execute(statement, {"key": key})
    row = await cursor.fetchone()
    return HoksRead(*row) if row is not None else None


def view_by_study_right(session: Session, opiskeluoikeus_oid: str) -> HoksView | None:
    return session.connection().execute(_VIEW_BY_STUDY_RIGHT, {"key": opiskeluoikeus_oid}).first()


def reload(session: Session, hoks_id: int, *, include_deleted: bool = False) -> Hoks | None:
    """`get` after forgetting what this session has loaded (another writer got there first)."""
    session.expire_all()
    return get(session, hoks_id, include_deleted=include_deleted)


def get(session: Session, hoks_id: int, *, include_deleted: bool = False) -> Hoks | None:
    statement = select(Hoks).where(Hoks.id == hoks_id)
    if not include_deleted:
        statement = statement.where(Hoks.deleted_at.is_(None))
    return session.scalars(statement).first()


def get_by_study_right(
    session: Session, opiskeluoikeus_oid: str, *, include_deleted: bool = False
) -> Hoks | None:
    statement = select(Hoks).where(Hoks.opiskeluoikeus_oid == opiskeluoikeus_oid)
    if not include_deleted:
        statement = statement.where(Hoks.deleted_at.is_(None))
    return session.scalars(statement).first()


def by_study_rights(session: Session, oids: Sequence[str]) -> dict[str, Hoks]:
    """The HOKS (soft-deleted ones included) of these study rights, by study right."""
    rows = session.scalars(select(Hoks).where(Hoks.opiskeluoikeus_oid.in_(sorted(set(oids)))))
    return {row.opiskeluoikeus_oid: row for row in rows}


# The constraint that keeps one HOKS per study right (the metadata's naming convention).
STUDY_RIGHT_UNIQUE: Final = "uq_hoks_opiskeluoikeus_oid"


def _study_right_taken(error: IntegrityError) -> bool:
    """Whether `error` is the one-HOKS-per-study-right constraint refusing a row, and nothing else.

    PostgreSQL names the violated constraint; SQLite names only the column it covers.
    """
    diagnostics = getattr(error.orig, "diag", None)
    if diagnostics is not None:
        return getattr(diagnostics, "constraint_name", None) == STUDY_RIGHT_UNIQUE
    return "UNIQUE constraint failed: hoks.opiskeluoikeus_oid" in str(error.orig)


def insert_hoks(session: Session, new: NewHoks) -> HoksView | None:
    """Insert a new HOKS; its stored columns as a read would give them, or None when another
    transaction gave the study right its HOKS first (the insert is undone; ours goes on)."""
    try:
        with session.begin_nested():
            return _insert(session, new)
    except IntegrityError as error:
        if not _study_right_taken(error):
            raise
        return None


def _insert(session: Session, new: NewHoks) -> HoksView:
    result = session.execute(insert(Hoks).values(_values(new)).returning(*_VIEW_COLUMNS))
    created = result.one()
    record_changes(session, [(created.id, 1, ChangeKind.CREATED)], new.now)
    owners = (new.oppilaitos_oid, new.koulutustoimija_oid)
    name_words.add(session, [(created.id, *owners, new.sort_name)])
    return created


def insert_many(session: Session, rows: Sequence[NewHoks]) -> list[int] | None:
    """Insert new HOKS with one statement; their ids, in the order of `rows`, or None (nothing
    inserted) when another transaction gave one of their study rights its HOKS first."""
    if not rows:
        return []
    try:
        with session.begin_nested():
            # One array per column (`ehoks.kit.db.rows`); the ids come back by study right,
            # which is unique among the rows.
            inserted = insert_rows(
                session,
                Hoks,
                [_values(new) for new in rows],
                returning=("opiskeluoikeus_oid", "id"),
            )
            id_of = {str(row[0]): int(row[1]) for row in inserted}
            ids = [id_of[new.opiskeluoikeus_oid] for new in rows]
    except IntegrityError as error:
        if not _study_right_taken(error):
            raise
        return None
    record_changes(session, [(hoks_id, 1, ChangeKind.CREATED) for hoks_id in ids], rows[0].now)
    plans = zip(ids, rows, strict=True)
    name_words.add(
        session, [(i, n.oppilaitos_oid, n.koulutustoimija_oid, n.sort_name) for i, n in plans]
    )
    return ids


# The feed's word for what each write operation did to a HOKS.
_KIND_OF_OPERATION = {"delete": ChangeKind.DELETED, "restore": ChangeKind.RESTORED}


def record_changes(
    session: Session, changes: Sequence[tuple[int, int, ChangeKind]], at: datetime
) -> None:
    """Note (HOKS id, new revision, kind) in the change feed, in this transaction and in order."""
    if not changes:
        return
    connection = session.connection()
    if len(changes) > 1 and connection.dialect.name == "postgresql":
        insert_many_changes(session, changes, at)
        return
    connection.execute(
        insert(HoksChangeEntry).values(**change_row(session, at)),
        [{PLAN: hoks_id, "revision": rev, "kind": kind} for hoks_id, rev, kind in changes],
    )


def _values(new: NewHoks) -> dict[str, object]:
    """The columns of a new HOKS row (revision 1, created and updated now)."""
    return {
        "eid": new.eid,
        "oppija_oid": new.oppija_oid,
        "opiskeluoikeus_oid": new.opiskeluoikeus_oid,
        "oppilaitos_oid": new.oppilaitos_oid,
        "koulutustoimija_oid": new.koulutustoimija_oid,
        "ensikertainen_hyvaksyminen": new.ensikertainen_hyvaksyminen,
        "osaamisen_saavuttamisen_pvm": new.osaamisen_saavuttamisen_pvm,
        "manuaalisyotto": new.manuaalisyotto,
        "sort_name": new.sort_name,
        "search_name": search_name(new.sort_name),
        "revision": 1,
        "document": new.document,
        "created_at": new.now,
        "created_by": new.actor,
        "updated_at": new.now,
        "updated_by": new.actor,
    }


@dataclass(frozen=True, slots=True)
class HoksChange:
    """The new state of a HOKS row; written only if the row is still at `expected_revision`."""

    document: str
    oppija_oid: str
    ensikertainen_hyvaksyminen: date | None
    osaamisen_saavuttamisen_pvm: date | None
    deleted_at: datetime | None
    actor: str
    now: datetime
    sort_name: str | None = None  # None: unchanged


def compare_and_set(
    session: Session, current: Hoks, change: HoksChange, *, operation: str
) -> HoksView | None:
    """Write `change` if nobody else has written since `current` was read, keeping history.

    The UPDATE's WHERE on the revision is the lock: of two writers that read the same revision,
    the second finds no row (PostgreSQL re-checks the condition after the first commits; SQLite
    runs writers one at a time). Returns the written columns, or None when the row had moved on.
    """
    sort_name = current.sort_name if change.sort_name is None else change.sort_name
    result = session.execute(
        update(Hoks)
        .where(Hoks.id == current.id, Hoks.revision == current.revision)
        .values(
            document=change.document,
            oppija_oid=change.oppija_oid,
            ensikertainen_hyvaksyminen=change.ensikertainen_hyvaksyminen,
            osaamisen_saavuttamisen_pvm=change.osaamisen_saavuttamisen_pvm,
            deleted_at=change.deleted_at,
            sort_name=sort_name,
            search_name=current.search_name
            if change.sort_name is None
            else search_name(change.sort_name),
            revision=current.revision + 1,
            updated_at=change.now,
            updated_by=change.actor,
        )
        .returning(*_VIEW_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    written = result.first()
    if written is None:
        return None
    name_words.follow_write(session, current, written, sort_name, live=change.deleted_at is None)
    session.execute(
        insert(HoksRevision).values(
            hoks_id=current.id,
            revision=current.revision,
            document=current.document,
            deleted_at=current.deleted_at,
            valid_from=current.updated_at,
            valid_to=change.now,
            changed_by=current.updated_by,
            superseded_by_operation=operation,
        )
    )
    kind = _KIND_OF_OPERATION.get(operation, ChangeKind.CHANGED)
    record_changes(session, [(current.id, written.revision, kind)], change.now)
    return written


def revisions(session: Session, hoks_id: int) -> Sequence[HoksRevision]:
    return session.scalars(
        select(HoksRevision).where(HoksRevision.hoks_id == hoks_id).order_by(HoksRevision.revision)
    ).all()


def page_in_scope(
    session: Session,
    scope: HoksScope,
    *,
    after_id: int,
    amount: int,
    updated_after: datetime | None,
) -> Sequence[Hoks]:
    """HOKS of an access scope in id order, soft-deleted ones included (the export feed)."""
    statement = (
        select(Hoks).where(Hoks.id > after_id, in_scope_of(scope)).order_by(Hoks.id).limit(amount)
    )
    if updated_after is not None:
        statement = statement.where(Hoks.updated_at > updated_after)
    return session.scalars(statement).all()


# The columns of a HOKS row that name its owner, as `registry.scoping` asks for them.
_OWNER_COLUMNS: Final[dict[str, Any]] = {
    "study_right_oid": Hoks.opiskeluoikeus_oid,
    "oppilaitos": Hoks.oppilaitos_oid,
    "koulutustoimija": Hoks.koulutustoimija_oid,
    "oppija_oid": Hoks.oppija_oid,
}


def in_scope_of(scope: HoksScope) -> ColumnElement[bool]:
    """The HOKS rows an access scope holds, as a condition."""
    return in_scope(scope, **_OWNER_COLUMNS)


def in_bound_scope_of(shape: ScopeShape) -> ColumnElement[bool]:
    """`in_scope_of` a scope of this shape, its values bound by name (`registry.scoping`)."""
    return in_bound_scope(shape, **_OWNER_COLUMNS)


def refresh_sort_names(session: Session, names: dict[str, str]) -> None:
    """Copy changed student names (oppija OID -> sort name) onto their HOKS."""
    if not names:
        return
    session.execute(
        update(Hoks.__table__)  # type: ignore[arg-type]
        .where(Hoks.__table__.c.oppija_oid == bindparam("oid"))
        .values(sort_name=bindparam("name"), search_name=bindparam("folded")),
        [{"oid": oid, "name": name, "folded": search_name(name)} for oid, name in names.items()],
    )
    name_words.follow_renames(session, list(names))


def ids_mentioning(session: Session, text: str, limit: int = 2) -> list[int]:
    """Live HOKS whose stored document contains `text` (a part's module-id).

    A scan of the documents: used only by the national route that finds a learning period by its
    id, which is rare. `text` must not hold LIKE wildcards (callers pass a checked UUID).
    """
    statement = (
        select(Hoks.id)
        .where(Hoks.deleted_at.is_(None), Hoks.document.contains(text, autoescape=True))
        .order_by(Hoks.id)
        .limit(limit)
    )
    return list(session.scalars(statement))
