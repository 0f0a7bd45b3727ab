"""Where feedback rows may hold a workplace instructor's contact data: the survey's details
(the address copied from the plan, and the e-mail group of rows linked before the group was
kept as a digest), its events, the jobs that handle it or mail its group, and the messages
that invited to it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ehoks.feedback.models import (
    Feedback,
    FeedbackEvent,
    FeedbackJob,
    FeedbackMessage,
    FeedbackMessageItem,
)
from ehoks.feedback.rules import Kind


def workplace_feedback_holding_contacts(
    session: Session, *, ended_before: date, limit: int
) -> list[Feedback]:
    """Workplace feedback of periods that ended before `ended_before` whose details still name
    the instructor's address (directly or in the e-mail group), locked: a worker linking one
    at the same moment waits, then reads the cleared details."""
    statement = (
        select(Feedback)
        .where(
            Feedback.kind == Kind.WORKPLACE.value,
            Feedback.herate_date < ended_before,
            or_(
                Feedback.details["ohjaaja_sahkoposti"].as_string().is_not(None),
                Feedback.details["group"].as_string().is_not(None),
            ),
        )
        .order_by(Feedback.id)
        .limit(limit)
        .with_for_update()
    )
    return list(session.scalars(statement))


def events_of(session: Session, feedback_ids: Collection[int]) -> list[FeedbackEvent]:
    statement = select(FeedbackEvent).where(FeedbackEvent.feedback_id.in_(sorted(feedback_ids)))
    return list(session.scalars(statement.order_by(FeedbackEvent.id)))


def jobs_of(
    session: Session, feedback_ids: Collection[int], keys: Collection[str]
) -> list[FeedbackJob]:
    """The jobs of these feedback, and the jobs with these keys (a group's e-mail job)."""
    statement = select(FeedbackJob).where(
        or_(FeedbackJob.feedback_id.in_(sorted(feedback_ids)), FeedbackJob.key.in_(sorted(keys)))
    )
    return list(session.scalars(statement.order_by(FeedbackJob.id)))


def key_taken(session: Session, key: str) -> bool:
    return session.scalar(select(FeedbackJob.id).where(FeedbackJob.key == key)) is not None


def messages_of(
    session: Session, feedback_ids: Collection[int]
) -> Sequence[tuple[int, FeedbackMessage]]:
    """(feedback id, message) of every message that invited to one of these feedback."""
    statement = (
        select(FeedbackMessageItem.feedback_id, FeedbackMessage)
        .join(FeedbackMessage, FeedbackMessage.id == FeedbackMessageItem.message_id)
        .where(FeedbackMessageItem.feedback_id.in_(sorted(feedback_ids)))
        .order_by(FeedbackMessage.id)
    )
    return [(feedback_id, message) for feedback_id, message in session.execute(statement)]


def student_messages_of(session: Session, hoks_id: int) -> Sequence[FeedbackMessage]:
    """The invitations sent to the student about the plan's surveys (those still naming
    someone)."""
    statement = (
        select(FeedbackMessage)
        .join(FeedbackMessageItem, FeedbackMessageItem.message_id == FeedbackMessage.id)
        .join(Feedback, Feedback.id == FeedbackMessageItem.feedback_id)
        .where(
            Feedback.hoks_id == hoks_id,
            Feedback.kind != Kind.WORKPLACE.value,
            FeedbackMessage.recipient.is_not(None),
        )
        .order_by(FeedbackMessage.id)
        .distinct()
    )
    return session.scalars(statement).all()
