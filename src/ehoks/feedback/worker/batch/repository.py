"""The queries of a claimed batch: one statement for all its jobs where one job took several.

A batch reads its surveys (locked, in id order), plans and study rights with one query each,
and writes its outcomes with one statement a table: the surveys' new states (an UPDATE sent
with many parameter sets, which psycopg pipelines), their events, the jobs they schedule, the
invitations and the claimed jobs finished.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from ehoks.feedback.models import (
    Feedback,
    FeedbackEvent,
    FeedbackJob,
    FeedbackMessage,
    FeedbackMessageItem,
)
from ehoks.feedback.repository import insert_builder
from ehoks.hoks.models import Hoks
from ehoks.kit.db.rows import insert_rows
from ehoks.registry.models import StudyRight

PENDING = "pending"
DONE = "done"
WAITING = "odottaa_lahetysta"
FAILED = "lahetys_epaonnistunut"


def feedback_for_update(session: Session, ids: Sequence[int]) -> dict[int, Feedback]:
    """Surveys by id, locked for the transaction in id order (as every batch locks them, so
    that two batches wait for each other rather than deadlock)."""
    if not ids:
        return {}
    statement = (
        select(Feedback)
        .where(Feedback.id.in_(sorted(set(ids))))
        .order_by(Feedback.id)
        .with_for_update()
    )
    rows = session.scalars(statement.execution_options(populate_existing=True))
    return {row.id: row for row in rows}


def plans(session: Session, ids: Sequence[int]) -> dict[int, Hoks]:
    if not ids:
        return {}
    statement = select(Hoks).where(Hoks.id.in_(sorted(set(ids))))
    return {row.id: row for row in session.scalars(statement)}


def study_rights(session: Session, oids: Sequence[str]) -> dict[str, StudyRight]:
    if not oids:
        return {}
    statement = select(StudyRight).where(StudyRight.oid.in_(sorted(set(oids))))
    return {row.oid: row for row in session.scalars(statement)}


def finish(session: Session, jobs: Sequence[FeedbackJob], now: datetime) -> set[int]:
    """Mark jobs of one claim done; the ids of those that were still this worker's (a job whose
    lease another worker took over is left to it)."""
    if not jobs:
        return set()
    result = session.execute(
        update(FeedbackJob)
        .where(
            FeedbackJob.id.in_([job.id for job in jobs]),
            FeedbackJob.lease_token == _token(jobs),
        )
        .values(state=DONE, finished_at=now, lease_token=None, leased_until=None, last_error=None)
        .returning(FeedbackJob.id)
        .execution_options(synchronize_session=False)
    )
    return set(result.scalars())


def postpone(session: Session, jobs: Sequence[FeedbackJob], *, at: datetime) -> None:
    """Jobs of one claim due again at `at`, without counting the attempt (a closed window)."""
    if not jobs:
        return
    session.execute(
        update(FeedbackJob)
        .where(
            FeedbackJob.id.in_([job.id for job in jobs]),
            FeedbackJob.lease_token == _token(jobs),
        )
        .values(due_at=at, attempts=FeedbackJob.attempts - 1, lease_token=None, leased_until=None)
        .execution_options(synchronize_session=False)
    )


def _token(jobs: Sequence[FeedbackJob]) -> str | None:
    tokens = {job.lease_token for job in jobs}
    if len(tokens) != 1:
        raise ValueError("jobs of one claim only")
    return tokens.pop()


def move(
    session: Session,
    moves: Sequence[tuple[Feedback, str, dict[str, Any]]],
    *,
    event: str,
    now: datetime,
) -> None:
    """`feedback.repository.move` for many surveys: (survey, new state, its other new columns,
    `reason` among them when there is one) each; the events with one statement."""
    if not moves:
        return
    rows = [
        {"id": feedback.id, "state": str(state), "reason": None, "updated_at": now, **values}
        for feedback, state, values in moves
    ]
    update_rows(session, Feedback.__table__, rows)  # type: ignore[arg-type]
    session.connection().execute(
        insert(FeedbackEvent),
        [
            {
                "feedback_id": feedback.id,
                "event": event,
                "old_state": feedback.state,
                "new_state": str(state),
                "reason": values.get("reason"),
                "at": now,
                "details": {},
            }
            for feedback, state, values in moves
        ],
    )


def update_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Rows' new values by `id`: one UPDATE for each set of columns, sent with every row's
    parameters at once."""
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_columns[tuple(sorted(name for name in row if name != "id"))].append(row)
    for columns, group in by_columns.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(f"new_{name}", type_=table.c[name].type) for name in columns})
        )
        session.connection().execute(
            statement,
            [
                {"row_id": row["id"], **{f"new_{name}": row[name] for name in columns}}
                for row in group
            ],
        )


def schedule_jobs(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """`feedback.repository.schedule_job` (restarting an existing key) for many jobs: `key`,
    `kind`, `feedback_id` and `due_at` each, one statement."""
    if not rows:
        return
    statement = insert_builder(session, FeedbackJob.__table__)
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "state": PENDING,
            "due_at": statement.excluded.due_at,
            "attempts": 0,
            "last_error": None,
            "lease_token": None,
            "leased_until": None,
            "finished_at": None,
        },
    )
    values = [{"payload": {}, "state": PENDING, "attempts": 0, **row} for row in rows]
    session.connection().execute(statement, values)


def add_messages(session: Session, messages: Sequence[tuple[int, dict[str, Any]]]) -> list[int]:
    """One invitation each: (its survey's id, the message's columns, each with a `message_id`
    header of its own), with two statements; the new messages' ids in the same order."""
    if not messages:
        return []
    rows = [values for _, values in messages]
    inserted = insert_rows(session, FeedbackMessage, rows, returning=("message_id", "id"))
    ids = {str(header): int(row_id) for header, row_id in inserted}
    ordered = [ids[str(values["message_id"])] for _, values in messages]
    session.connection().execute(
        insert(FeedbackMessageItem),
        [
            {"message_id": message_id, "feedback_id": feedback_id}
            for message_id, (feedback_id, _) in zip(ordered, messages, strict=True)
        ],
    )
    return ordered


def update_messages(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Many messages' new values by `id`."""
    if rows:
        update_rows(session, FeedbackMessage.__table__, rows)  # type: ignore[arg-type]


def unknown_deliveries(
    session: Session, prefixes: dict[int, tuple[str, int]], *, reason: str
) -> set[int]:
    """`worker.repository.unknown_delivery` for many jobs (job id -> its header prefix and its
    survey's id), a read and, when it finds any, one update; the ids of the jobs that had a
    message still being handed over (now of unknown delivery)."""
    if not prefixes:
        return set()
    # The messages still being handed over are read first (rare; a statement of one shape,
    # which SQLAlchemy compiles once, where one condition a job's prefix was compiled anew for
    # every batch), and only theirs are changed.
    waiting = session.execute(
        select(FeedbackMessage.id, FeedbackMessage.message_id)
        .join(FeedbackMessageItem, FeedbackMessageItem.message_id == FeedbackMessage.id)
        .where(
            FeedbackMessageItem.feedback_id.in_(sorted({f for _, f in prefixes.values()})),
            FeedbackMessage.state == WAITING,
        )
    ).all()
    wanted = tuple(prefix for prefix, _ in prefixes.values())
    ids = sorted({row_id for row_id, header in waiting if header and header.startswith(wanted)})
    if not ids:
        return set()
    result = session.execute(
        update(FeedbackMessage)
        .where(FeedbackMessage.id.in_(ids), FeedbackMessage.state == WAITING)
        .values(state=FAILED, reason=reason)
        .returning(FeedbackMessage.message_id)
        .execution_options(synchronize_session=False)
    )
    headers = [str(header) for header in result.scalars()]
    return {
        job_id
        for job_id, (prefix, _) in prefixes.items()
        if any(header.startswith(prefix) for header in headers)
    }
