"""Following delivery after the invitation went: a bounce from the mail system marks the
message and its survey failed; an answer time that ran out closes the survey."""

from __future__ import annotations

import socket
from datetime import timedelta

from sqlalchemy import select

from ehoks.feedback.models import Feedback, FeedbackJob, FeedbackMessage
from ehoks.feedback.worker.run import run_once
from ehoks.feedback.worker.setup import build_context
from tests.feedback.conftest import (
    MATTI,
    events,
    feedback_rows,
    post,
    start_plan,
    today,
    weekday_morning,
)
from tests.people.conftest import A_SCHOOL
from tests.support.cli import ehoks


def _report(message_id: str, *, action: str = "failed") -> bytes:
    """A delivery status notification (RFC 3464) as a mail system sends one back."""
    return (
        "From: MAILER-DAEMON@mail.example.fi\r\n"
        "To: noreply@ehoks.example.fi\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n'
        "\r\n"
        "--B\r\n"
        "Content-Type: text/plain\r\n\r\n"
        "The mail system could not deliver your message.\r\n"
        "--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mail.example.fi\r\n\r\n"
        "Final-Recipient: rfc822; matti.meikalainen@example.fi\r\n"
        f"Action: {action}\r\n"
        "Status: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        "--B\r\n"
        "Content-Type: text/rfc822-headers\r\n\r\n"
        f"Message-ID: {message_id}\r\n"
        "Subject: palautekysely\r\n"
        "--B--\r\n"
    ).encode()


def _bounce(database_url: str, raw: bytes) -> str:
    """`ehoks feedback bounce` with the report on standard input, as the mail system pipes it."""
    result = ehoks("feedback", "bounce", env={"EHOKS_DATABASE_URL": database_url}, stdin=raw)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_a_bounced_invitation_marks_its_survey_failed(  # noqa: PLR0917 - fixtures
    caller, session_factory, context, arvo, inbox, database_url, student, staff
):
    post(caller, start_plan())
    run_once(context, weekday_morning(today()))
    (mail,) = inbox.to("matti.meikalainen@example.fi")
    message_id = str(mail["Message-ID"])
    assert _bounce(database_url, _report(message_id, action="delayed")).startswith("not a")
    assert "recorded" in _bounce(database_url, _report(message_id))
    assert "already" in _bounce(database_url, _report(message_id))
    assert "unknown" in _bounce(database_url, _report("<someone.else@example.fi>"))
    (row,) = feedback_rows(session_factory)
    assert (row.state, row.reason) == ("lahetys_epaonnistunut", "sahkoposti_palautui")
    assert events(session_factory, row.id)[-1].event == "sahkoposti_palautui"
    with session_factory() as session:
        (message,) = session.scalars(select(FeedbackMessage)).all()
    assert message.state == "lahetys_epaonnistunut"
    assert message.reason == "bounce 5.1.1: smtp; 550 5.1.1 User unknown"
    # The link stays answerable on the student's page, and staff may send it again.
    assert student(MATTI).get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == [row.link]
    writer = staff((A_SCHOOL, "write"))
    path = f"/oppijat/{MATTI}/hoksit/{row.hoks_id}/resend-palaute"
    assert writer.send("POST", path, {"tyyppi": "aloittaneet"}).status_code == 200


def test_a_survey_closes_when_its_answer_time_is_over(  # noqa: PLR0917 - fixtures
    caller, session_factory, context, arvo, inbox, student
):
    post(caller, start_plan())
    sent_at = weekday_morning(today())
    run_once(context, sent_at)
    (row,) = feedback_rows(session_factory)
    assert row.state == "lahetetty"
    run_once(context, sent_at + timedelta(days=10))  # still open: nothing changes
    assert feedback_rows(session_factory)[0].state == "lahetetty"
    run_once(context, sent_at + timedelta(days=31))
    (closed,) = feedback_rows(session_factory)
    assert (closed.state, closed.reason) == ("vastausaika_loppunut", "vastausaika_loppunut")
    assert events(session_factory, row.id)[-1].event == "vanheneminen"
    assert student(MATTI).get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == []


def test_an_answered_survey_is_recorded_answered_when_its_time_is_over(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    sent_at = weekday_morning(today())
    run_once(context, sent_at)
    (link,) = arvo.state.live()
    with arvo.state.lock:
        link["answered"] = True
    run_once(context, sent_at + timedelta(days=31))
    (row,) = feedback_rows(session_factory)
    assert row.state == "vastattu"


def _died_while_handing_over(factory) -> None:
    """As if the worker died after the SMTP server took the invitation, before recording it."""
    with factory() as session:
        (message,) = session.scalars(select(FeedbackMessage)).all()
        message.state, message.sent_at = "odottaa_lahetysta", None
        (feedback,) = session.scalars(select(Feedback)).all()
        feedback.state = "kysely_muodostettu"
        job = session.scalars(select(FeedbackJob).where(FeedbackJob.kind == "invite")).one()
        job.state, job.finished_at = "pending", None
        session.commit()


def test_an_invitation_whose_hand_over_is_unknown_is_not_sent_twice(  # noqa: PLR0917 - fixtures
    caller, session_factory, context, arvo, inbox, student
):
    post(caller, start_plan())
    now = weekday_morning(today())
    run_once(context, now)
    _died_while_handing_over(session_factory)
    run_once(context, now + timedelta(minutes=5))
    assert len(inbox.to("matti.meikalainen@example.fi")) == 1
    with session_factory() as session:
        (message,) = session.scalars(select(FeedbackMessage)).all()
    assert (message.state, message.reason) == ("lahetys_epaonnistunut", "toimitus_tuntematon")
    (row,) = feedback_rows(session_factory)
    assert row.state == "kysely_muodostettu"  # the link stays open; staff may send it again
    assert student(MATTI).get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == [row.link]


def test_an_smtp_server_that_was_down_gets_the_invitation_on_the_retry(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    now = weekday_morning(today())
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    down = build_context(session_factory, context.settings.model_copy(update={"smtp_port": closed}))
    assert run_once(down, now)["retry"] == 1
    run_once(context, now + timedelta(hours=1))
    assert len(inbox.to("matti.meikalainen@example.fi")) == 1
    with session_factory() as session:
        states = [
            m.state for m in session.scalars(select(FeedbackMessage).order_by(FeedbackMessage.id))
        ]
    assert states == ["lahetys_epaonnistunut", "lahetetty"]
    assert feedback_rows(session_factory)[0].state == "lahetetty"
