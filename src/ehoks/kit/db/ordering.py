"""Commit order for change feeds: which transaction wrote a row, and which rows are settled.

A sequence number handed out while a transaction runs does not follow commit order: of two
writers, the one that took the lower number may commit later, and a reader that had already
moved its cursor past the higher number would never see the lower one. Both databases get the
same guarantee in their own way:

* PostgreSQL: every change row carries its transaction's id (`pg_current_xact_id`). Every
  transaction with an id below the snapshot's `xmin` has ended, so the rows below that horizon
  can no longer grow; a feed shows only those, ordered by (transaction id, sequence).
* SQLite: one writer at a time (`BEGIN IMMEDIATE`), so commit order is sequence order; every
  row is written with transaction id 0 and every committed row is settled.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ColumnElement, literal, literal_column
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


def settled_horizon(session: Session) -> ColumnElement[int] | None:
    """Rows written by transactions below this id are final (None: every committed row is).

    Evaluated in the statement that reads the rows, so that it belongs to the same snapshot.
    """
    if _dialect(session) == POSTGRESQL:
        return literal_column("pg_snapshot_xmin(pg_current_snapshot())::text::bigint", BigInteger)
    return None
