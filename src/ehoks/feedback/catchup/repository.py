"""The catch-up run's queries: a batch of plans after a cursor, their study rights, and the
feedback, events and jobs of a batch written with one statement each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select
from sqlalchemy.orm import Session

from ehoks.feedback.models import Feedback, FeedbackCatchUp, FeedbackEvent, FeedbackJob
from ehoks.feedback.repository import insert_builder
from ehoks.hoks.models import Hoks
from ehoks.registry.models import StudyRight

# id, oppija_oid, opiskeluoikeus_oid, koulutustoimija_oid, document
PlanRow = Row[int, str, str, str | None, str]


def progress(session: Session, name: str) -> FeedbackCatchUp | None:
    return session.get(FeedbackCatchUp, name, with_for_update=True)


def begin(session: Session, name: str, now: datetime) -> FeedbackCatchUp:
    """The run's progress row, made at its start (from the first plan)."""
    row = FeedbackCatchUp(
        name=name, last_hoks_id=0, plans=0, surveys=0, started_at=now, updated_at=now
    )
    session.add(row)
    session.flush()
    return row


def plans_after(session: Session, after_id: int, limit: int) -> Sequence[PlanRow]:
    """Live plans after `after_id`, in id order."""
    statement = (
        select(
            Hoks.id,
            Hoks.oppija_oid,
            Hoks.opiskeluoikeus_oid,
            Hoks.koulutustoimija_oid,
            Hoks.document,
        )
        .where(Hoks.id > after_id, Hoks.deleted_at.is_(None))
        .order_by(Hoks.id)
        .limit(limit)
    )
    return session.execute(statement).all()


def study_rights(session: Session, oids: Sequence[str]) -> dict[str, StudyRight]:
    statement = select(StudyRight).where(StudyRight.oid.in_(sorted(set(oids))))
    return {right.oid: right for right in session.scalars(statement)}


def insert_feedback(session: Session, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str]]:
    """Insert the feedback whose key is new (an existing key is left alone, whoever wrote it);
    (id, key) of each inserted. SQLAlchemy sends the rows in as few statements as the
    database's parameter limit allows."""
    if not rows:
        return []
    table = Feedback.__table__
    statement = (
        insert_builder(session, table)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(table.c.id, table.c.key)
    )
    # Core, not the ORM's bulk insert: that splits the rows by which values are None and
    # sends a statement for each small group (measured: one round trip per two rows).
    inserted = session.connection().execute(statement, list(rows))
    return [(feedback_id, key) for feedback_id, key in inserted]


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(insert(FeedbackEvent), list(rows))


def insert_jobs(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        statement = insert_builder(session, FeedbackJob.__table__).on_conflict_do_nothing(
            index_elements=["key"]
        )
        session.connection().execute(statement, list(rows))
