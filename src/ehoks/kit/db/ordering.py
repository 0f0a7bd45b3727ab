"""Commit order for change feeds: which transaction wrote a row, and which rows are settled.

A sequence number handed out while a transaction runs does not follow commit order: of two
writers, the one that took the lower number may commit later, and a reader that had already
moved its cursor past the higher number would never see the lower one. Both databases get the
same guarantee in their own way:

* PostgreSQL: every change row carries its transaction's id (`pg_current_xact_id`). A reader's
  snapshot knows which transactions were still running when it was taken; below the lowest of
  them, every transaction has ended and is visible, so the rows below that horizon can no longer
  grow. A feed shows only those, ordered by (transaction id, sequence). Running transactions of
  other databases on the same server cannot write these rows, so they do not hold the horizon
  back (they are read from `pg_stat_activity` before the snapshot is taken; one that starts in
  between counts as ours, which only delays).
* SQLite: one writer at a time (`BEGIN IMMEDIATE`), so commit order is sequence order; every
  row is written with transaction id 0 and every committed row is settled.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ColumnElement, column, literal, literal_column, text
from sqlalchemy.orm import Session

POSTGRESQL = "postgresql"


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def writing_transaction(session: Session) -> ColumnElement[int]:
    """The id of the transaction that writes the row, as a value to insert."""
    if _dialect(session) == POSTGRESQL:
        # The top-level transaction's id even inside a savepoint; xid8 never wraps round.
        return literal_column("pg_current_xact_id()::text::bigint", BigInteger)
    return literal(0, BigInteger)


# The transaction ids (32-bit, as pg_stat_activity shows them) of other databases' writers.
_FOREIGN_WRITERS = text(
    "SELECT backend_xid::text::bigint FROM pg_stat_activity "
    "WHERE backend_xid IS NOT NULL AND datname IS DISTINCT FROM current_database()"
)
# The lowest running transaction of the statement's snapshot that may be ours, else the
# snapshot's xmax (every id below it has ended). xid8 ids compare with the 32-bit ones modulo 2^32.
_HORIZON = (
    "coalesce((SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) AS x "
    "WHERE NOT (x::text::bigint % 4294967296) = ANY(CAST(:foreign_writers AS bigint[]))), "
    "pg_snapshot_xmax(pg_current_snapshot())::text::bigint)"
)


def settled_horizon(session: Session) -> ColumnElement[int] | None:
    """Rows written by transactions below this id are final (None: every committed row is).

    Evaluated in the statement that reads the rows, so that it belongs to that snapshot.
    """
    if _dialect(session) != POSTGRESQL:
        return None
    foreign = [int(xid) for xid in session.scalars(_FOREIGN_WRITERS)]
    horizon = text(f"SELECT {_HORIZON} AS horizon").bindparams(foreign_writers=foreign)
    return horizon.columns(column("horizon", BigInteger)).scalar_subquery()
