"""Queries of the audit log: moving a chain's head, appending records, reading them back.

Prepared Core statements on the session's connection, not the ORM: appending runs on every
request (on PostgreSQL as the driver's own text, `kit.db.driver`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import bindparam, func, insert, select, true, update
from sqlalchemy.orm import Session

from ehoks.audit.models import AuditChain, AuditEvent
from ehoks.audit.records import ChainedRecord
from ehoks.kit.db import driver
from ehoks.kit.db.rows import insert_rows

_CHAINS = AuditChain.metadata.tables["audit_chain"]
_ADVANCE = (
    update(_CHAINS)
    .where(_CHAINS.c.chain == bindparam("number"))
    .values(length=_CHAINS.c.length + bindparam("count"))
    .returning(_CHAINS.c.length, _CHAINS.c.head_hash)
)
# The same, and this transaction's commit not waiting for the disk (PostgreSQL; `SET LOCAL
# synchronous_commit TO off` as a function, in the statement a read's record needs anyway).
_ADVANCE_RELAXED = _ADVANCE.returning(func.set_config("synchronous_commit", "off", true()))
_SET_HEAD = (
    update(_CHAINS)
    .where(_CHAINS.c.chain == bindparam("number"))
    .values(head_hash=bindparam("head"))
)
_EVENTS = AuditEvent.metadata.tables["audit_event"]
_INSERT_EVENT = insert(_EVENTS)
# Every column but the generated id, written from the chained record.
_INSERTED_COLUMNS = tuple(column.name for column in _EVENTS.columns if column.name != "id")
# One record and the chain's new head in one statement (PostgreSQL: an INSERT in a WITH of the
# UPDATE), which is what a request's audit record is nearly always.
_APPEND_ONE = _SET_HEAD.add_cte(
    insert(_EVENTS)
    .values({name: bindparam(f"e_{name}", _EVENTS.c[name].type) for name in _INSERTED_COLUMNS})
    .cte("added")
)


def advance_chain(
    session: Session, number: int, count: int, *, relaxed: bool = False
) -> tuple[int, str]:
    """Take the next `count` positions of a chain, locking its head for the transaction.

    Returns the last position taken and the hash of the record before the first one.
    `relaxed`: the transaction's commit need not wait for the disk, as with
    `ehoks.kit.db.engine.relax_commit_durability`, without a statement of its own.
    """
    connection = session.connection()
    relaxing = relaxed and connection.dialect.name == "postgresql"
    statement = _ADVANCE_RELAXED if relaxing else _ADVANCE
    [row] = driver.rows(connection, statement, {"number": number, "count": count})
    return int(row[0]), str(row[1])


def append_to_chain(session: Session, number: int, rows: Sequence[ChainedRecord]) -> None:
    """Insert chained records (their positions taken with `advance_chain`); the last one is
    the chain's new head."""
    connection = session.connection()
    if len(rows) == 1 and connection.dialect.name == "postgresql":
        [row] = rows
        one = {f"e_{column}": getattr(row, column) for column in _INSERTED_COLUMNS}
        driver.rows(connection, _APPEND_ONE, {**one, "number": number, "head": row.hash})
        return
    values = [{column: getattr(row, column) for column in _INSERTED_COLUMNS} for row in rows]
    if connection.dialect.name == "postgresql":
        # One array per column (a batch's records: one statement, not one per record).
        insert_rows(session, AuditEvent, values)
    else:
        connection.execute(_INSERT_EVENT, values)
    connection.execute(_SET_HEAD, {"number": number, "head": rows[-1].hash})


def chain_heads(session: Session) -> dict[int, AuditChain]:
    return {head.chain: head for head in session.scalars(select(AuditChain)).all()}


def chain_rows(session: Session, number: int, batch: int) -> Iterator[AuditEvent]:
    """Every record of a chain in position order, read `batch` at a time."""
    last = 0
    while True:
        rows: Sequence[AuditEvent] = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.chain == number, AuditEvent.position > last)
            .order_by(AuditEvent.position)
            .limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].position
        session.expunge_all()


def events_about(
    session: Session, oppija_oid: str, *, outcome: str, limit: int
) -> Sequence[AuditEvent]:
    """Events of one outcome about a student, newest first."""
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.oppija_oid == oppija_oid, AuditEvent.outcome == outcome)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    ).all()
