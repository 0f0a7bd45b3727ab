"""Queries of the feedback package: surveys, their events, messages and the worker's jobs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ehoks.feedback.models import (
    Feedback,
    FeedbackEvent,
    FeedbackJob,
    FeedbackMessage,
    FeedbackMessageItem,
)
from ehoks.hoks.models import Hoks
from ehoks.kit.db.rows import insert_rows
from ehoks.registry.models import StudyRight

PENDING_JOB = "pending"


def insert_builder(session: Session, table: Any) -> Any:
    """An INSERT that can say ON CONFLICT, in the dialect of the session's database."""
    dialect = session.get_bind().dialect.name
    builder = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return builder(table)


def study_right(session: Session, oid: str) -> StudyRight | None:
    return session.get(StudyRight, oid)


def koulutustoimija_of_hoks(session: Session, hoks_id: int) -> str | None:
    return session.scalar(select(Hoks.koulutustoimija_oid).where(Hoks.id == hoks_id))


def by_key(session: Session, key: str, *, lock: bool = False) -> Feedback | None:
    statement = select(Feedback).where(Feedback.key == key)
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


def insert_new(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a feedback unless its key exists (another writer may hold it); its id or None."""
    statement: Insert = (
        insert_builder(session, Feedback)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return session.scalar(statement.returning(Feedback.id))


def by_keys(session: Session, keys: Sequence[str], *, lock: bool = False) -> dict[str, Feedback]:
    """The surveys of these keys that exist, by key (locked for the transaction with `lock`)."""
    if not keys:
        return {}
    statement = select(Feedback).where(Feedback.key.in_(sorted(set(keys))))
    if lock:
        statement = statement.with_for_update()
    return {row.key: row for row in session.scalars(statement)}


def insert_many_new(session: Session, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert new surveys, skipping keys another writer holds; the new ids by key."""
    inserted = insert_rows(
        session, Feedback, rows, returning=("key", "id"), skip_conflicts_on="key"
    )
    return {str(row[0]): int(row[1]) for row in inserted}


def add_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert survey events (columns of `FeedbackEvent`) with one statement."""
    insert_rows(session, FeedbackEvent, rows)


def schedule_new_jobs(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Jobs of `kind` "handle" for surveys just created (`key`, `feedback_id`, `due_at` each):
    pending from scratch. Such a survey's job cannot exist yet; a key that does is left as it is."""
    if not rows:
        return
    values = [
        {"kind": "handle", "payload": {}, "state": PENDING_JOB, "attempts": 0, **row}
        for row in rows
    ]
    insert_rows(session, FeedbackJob, values, skip_conflicts_on="key")


def of_hoks(session: Session, hoks_id: int, states: Sequence[str] | None = None) -> list[Feedback]:
    statement = select(Feedback).where(Feedback.hoks_id == hoks_id)
    if states is not None:
        statement = statement.where(Feedback.state.in_(states))
    return list(session.scalars(statement.order_by(Feedback.id)))


def add_event(
    session: Session,
    feedback_id: int,
    *,
    event: str,
    old_state: str | None,
    new_state: str,
    reason: str | None,
    at: datetime,
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        FeedbackEvent(
            feedback_id=feedback_id,
            event=event,
            old_state=old_state,
            new_state=new_state,
            reason=reason,
            at=at,
            details=details or {},
        )
    )


def move(
    session: Session,
    feedback: Feedback,
    state: str,
    *,
    event: str,
    now: datetime,
    reason: str | None = None,
    extra: dict[str, Any] | None = None,
) -> None:
    """Put a survey in `state` and record the step as an event, in the caller's transaction."""
    set_state(
        session,
        feedback.id,
        {"state": str(state), "reason": reason, "updated_at": now, **(extra or {})},
    )
    add_event(
        session,
        feedback.id,
        event=event,
        old_state=feedback.state,
        new_state=state,
        reason=reason,
        at=now,
    )


def events_of(session: Session, feedback_id: int) -> list[FeedbackEvent]:
    statement = (
        select(FeedbackEvent)
        .where(FeedbackEvent.feedback_id == feedback_id)
        .order_by(FeedbackEvent.id)
    )
    return list(session.scalars(statement))


def schedule_job(
    session: Session,
    *,
    key: str,
    kind: str,
    due_at: datetime,
    feedback_id: int | None = None,
    payload: dict[str, Any] | None = None,
    restart: bool = True,
) -> None:
    """Make sure a job with `key` is due at `due_at`.

    A job that already exists is made pending again from scratch (`restart`), e.g. when a plan
    write opens a feedback again; without `restart` an existing job is left as it is (a grouped
    e-mail already waiting gathers the newcomer when it runs).
    """
    values = {
        "key": key,
        "kind": kind,
        "feedback_id": feedback_id,
        "payload": payload or {},
        "state": PENDING_JOB,
        "due_at": due_at,
        "attempts": 0,
    }
    statement = insert_builder(session, FeedbackJob).values(**values)
    if restart:
        statement = statement.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "state": PENDING_JOB,
                "due_at": due_at,
                "attempts": 0,
                "last_error": None,
                "lease_token": None,
                "leased_until": None,
                "finished_at": None,
            },
        )
    else:
        # Pending again if it was done (a newcomer after the e-mail went); otherwise untouched.
        statement = statement.on_conflict_do_update(
            index_elements=["key"],
            set_={"state": PENDING_JOB, "due_at": due_at, "attempts": 0, "finished_at": None},
            where=FeedbackJob.state == "done",
        )
    session.execute(statement)


def set_state(session: Session, feedback_id: int, values: dict[str, Any]) -> None:
    session.execute(update(Feedback).where(Feedback.id == feedback_id).values(**values))


def open_student_links(session: Session, oppija_oids: Sequence[str], today: date) -> list[str]:
    """The student's survey links that are open today (made, not answered, not expired)."""
    statement = (
        select(Feedback.link)
        .where(
            Feedback.oppija_oid.in_(oppija_oids),
            Feedback.kind != "tyopaikkajakson_suorittaneet",
            # A bounced invitation leaves the link as answerable as ever.
            Feedback.state.in_(["kysely_muodostettu", "lahetetty", "lahetys_epaonnistunut"]),
            Feedback.link.is_not(None),
            Feedback.valid_from <= today,
            Feedback.valid_to >= today,
        )
        .order_by(Feedback.herate_date, Feedback.id)
    )
    return [link for link in session.scalars(statement) if link]


def latest_messages(session: Session, feedback_ids: Sequence[int]) -> dict[int, FeedbackMessage]:
    """The newest invitation message of each feedback."""
    statement = (
        select(FeedbackMessageItem.feedback_id, FeedbackMessage)
        .join(FeedbackMessage, FeedbackMessage.id == FeedbackMessageItem.message_id)
        .where(FeedbackMessageItem.feedback_id.in_(feedback_ids))
        .order_by(FeedbackMessage.id)
    )
    return {feedback_id: message for feedback_id, message in session.execute(statement)}  # noqa: C416 - rows, not pairs


def events_of_many(session: Session, feedback_ids: Sequence[int]) -> list[FeedbackEvent]:
    statement = (
        select(FeedbackEvent)
        .where(FeedbackEvent.feedback_id.in_(feedback_ids))
        .order_by(FeedbackEvent.id)
    )
    return list(session.scalars(statement))


def by_tunnus(session: Session, tunnus: str, *, lock: bool = False) -> Feedback | None:
    statement = select(Feedback).where(Feedback.arvo_tunniste == tunnus)
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


def parked_jobs(session: Session, limit: int = 500) -> list[tuple[FeedbackJob, int | None]]:
    """Parked jobs, newest first, with the plan their feedback belongs to."""
    statement = (
        select(FeedbackJob, Feedback.hoks_id)
        .outerjoin(Feedback, Feedback.id == FeedbackJob.feedback_id)
        .where(FeedbackJob.state == "parked")
        .order_by(FeedbackJob.finished_at.desc(), FeedbackJob.id.desc())
        .limit(limit)
    )
    return [(job, hoks_id) for job, hoks_id in session.execute(statement)]


def insert_recorded(session: Session, values: dict[str, Any]) -> int | None:
    """Insert a survey recorded from a provider system; None when its key or its link exists
    (any unique column: the link may be one of this service's own)."""
    statement: Insert = insert_builder(session, Feedback).values(**values).on_conflict_do_nothing()
    return session.scalar(statement.returning(Feedback.id))


def by_link(session: Session, link: str, *, lock: bool = False) -> Feedback | None:
    statement = select(Feedback).where(Feedback.link == link)
    if lock:
        statement = statement.with_for_update()
    return session.scalars(statement).one_or_none()


def add_recorded_message(
    session: Session,
    feedback_id: int,
    *,
    recipient: str | None,
    state: str,
    sent_at: datetime,
    now: datetime,
) -> None:
    """An invitation that a provider's system says it sent, beside this service's own."""
    message = FeedbackMessage(recipient=recipient, state=state, sent_at=sent_at, created_at=now)
    session.add(message)
    session.flush()
    session.add(FeedbackMessageItem(message_id=message.id, feedback_id=feedback_id))


def message_by_header_id(session: Session, message_id: str) -> FeedbackMessage | None:
    """An invitation by its `Message-ID` header (a bounce names it)."""
    statement = select(FeedbackMessage).where(FeedbackMessage.message_id == message_id)
    return session.scalars(statement.with_for_update()).first()


def set_message_state(session: Session, message_id: int, *, state: str, reason: str) -> None:
    session.execute(
        update(FeedbackMessage)
        .where(FeedbackMessage.id == message_id)
        .values(state=state, reason=reason)
    )


def feedback_of_message(session: Session, message_id: int) -> list[Feedback]:
    """The surveys an invitation was about, locked for the transaction."""
    statement = (
        select(Feedback)
        .join(FeedbackMessageItem, FeedbackMessageItem.feedback_id == Feedback.id)
        .where(FeedbackMessageItem.message_id == message_id)
        .with_for_update(of=Feedback)
    )
    return list(session.scalars(statement))
