"""The workplace instructor's address goes from the feedback rows too, three months after the
period ended: details, events, jobs and messages; the statistics and the link stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import MetaData, Select, select, update
from sqlalchemy.orm import Session, sessionmaker

from ehoks.audit.models import AuditEvent
from ehoks.feedback.models import Feedback, FeedbackJob, FeedbackMessage, FeedbackMessageItem
from ehoks.feedback.rules import mail_group_digest, next_first_of_month
from ehoks.feedback.worker.run import run_once
from ehoks.feedback.worker.setup import build_context
from tests.feedback.conftest import feedback_rows, post, today, weekday_morning
from tests.feedback.test_exclusions import workplace_plan

AIMO = "aimo.ohjaaja@esimerkki2.com"
OPERATION = "retention.remove-contact-data"


def database_text(factory: sessionmaker[Session]) -> str:
    """Every value of every table, as text: where an address could still be."""
    metadata = MetaData()
    with factory() as session:
        connection = session.connection()
        metadata.reflect(connection)
        parts = [
            repr(tuple(row))
            for table in metadata.sorted_tables
            for row in connection.execute(select(table))
        ]
    return "\n".join(parts).lower()


def test_the_instructors_address_leaves_every_feedback_row_three_months_after_the_period(
    caller, session_factory, context, arvo, inbox
):
    post(caller, workplace_plan())
    ended = today() - timedelta(days=1)
    mailed = datetime.combine(next_first_of_month(today()), datetime.min.time(), UTC)
    context = build_context(
        session_factory, context.settings.model_copy(update={"feedback_sending_window": "always"})
    )
    run_once(context, mailed + timedelta(hours=8))
    assert len(inbox.to(AIMO)) == 1
    (survey,) = feedback_rows(session_factory, kind="tyopaikkajakson_suorittaneet")
    assert survey.state == "lahetetty"
    # The day's removal ran: too early for this period, so the address is still where it was.
    assert survey.details["ohjaaja_sahkoposti"] == AIMO
    group = f"{AIMO}|1234569-8|{survey.koulutustoimija_oid}|351407|{mailed:%Y-%m}"
    old_job = _as_before_digests(session_factory, survey, group)
    assert AIMO in database_text(session_factory)

    later = weekday_morning(ended + timedelta(days=100))
    run_once(context, later)

    assert AIMO not in database_text(session_factory)
    (survey,) = feedback_rows(session_factory, kind="tyopaikkajakson_suorittaneet")
    assert survey.details["ohjaaja_sahkoposti"] is None
    assert "group" not in survey.details
    # What the statistics and the link need stays.
    assert survey.details["tyopaikan_y_tunnus"] == "1234569-8"
    assert survey.details["ohjaaja_nimi"]
    assert survey.mail_group
    assert survey.link
    with session_factory() as session:
        message = session.scalars(
            select(FeedbackMessage).where(FeedbackMessage.id.in_(_messages_of(survey.id)))
        ).one()
        assert message.recipient is None
        assert message.state == "lahetetty"
        assert message.reason == "bounce 5.1.1: smtp; 550 5.1.1 <removed>: user unknown"
        old = session.get(FeedbackJob, old_job)
        assert old is not None
    assert old.payload == {"mail_group": mail_group_digest(group)}
    assert old.key.startswith(f"mail|{mail_group_digest(group)}")
    audited = _audited(session_factory, survey.hoks_id)
    assert f"feedback/{survey.id}/details/ohjaaja_sahkoposti" in audited
    assert f"feedback/{survey.id}/details/group" in audited
    assert any(path.endswith("/recipient") for path in audited)
    assert any(path.endswith("/payload/group") for path in audited)

    run_once(context, later + timedelta(days=1))
    assert _audited(session_factory, survey.hoks_id) == audited  # nothing left to remove


def _as_before_digests(factory: sessionmaker[Session], survey: Feedback, group: str) -> int:
    """The rows as a service before the e-mail group was kept as a digest left them: the group
    in the survey's details and in its e-mail job, and a bounce naming the address; the old
    job's id."""
    with factory() as session:
        session.execute(
            update(Feedback)
            .where(Feedback.id == survey.id)
            .values(details={**survey.details, "group": group})
        )
        job = FeedbackJob(
            key=f"mail|{group}",
            kind="workplace_mail",
            payload={"group": group},
            state="done",
            due_at=datetime.now(UTC),
            attempts=1,
        )
        session.add(job)
        session.execute(
            update(FeedbackMessage)
            .where(FeedbackMessage.id.in_(_messages_of(survey.id)))
            .values(reason=f"bounce 5.1.1: smtp; 550 5.1.1 {AIMO.upper()}: user unknown")
        )
        session.commit()
        return job.id


def _messages_of(feedback_id: int) -> Select[int]:
    return select(FeedbackMessageItem.message_id).where(
        FeedbackMessageItem.feedback_id == feedback_id
    )


def _audited(factory: sessionmaker[Session], hoks_id: int) -> list[str]:
    with factory() as session:
        records = session.scalars(
            select(AuditEvent).where(
                AuditEvent.operation == OPERATION, AuditEvent.hoks_id == hoks_id
            )
        ).all()
    return sorted(path for record in records for path in record.details.get("removed", []))


def test_a_period_that_ended_lately_keeps_its_instructors_address(caller, session_factory, context):
    post(caller, workplace_plan())
    run_once(context, weekday_morning(today() + timedelta(days=60)))
    (survey,) = feedback_rows(session_factory, kind="tyopaikkajakson_suorittaneet")
    assert survey.details["ohjaaja_sahkoposti"] == AIMO
