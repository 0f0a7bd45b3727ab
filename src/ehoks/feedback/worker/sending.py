"""Sending invitations: a student's own survey, an instructor's monthly group of periods.

Only inside the sending window; a closed window postpones the job without counting a failure.
The message row is written before the e-mail goes, so every message has its delivery state:
`odottaa_lahetysta` while it is being handed over, then `lahetetty` (the SMTP server took it) or
`lahetys_epaonnistunut` with the reason.

At most once: a message still `odottaa_lahetysta` when its job runs again was being handed over
when its worker died, and whether the SMTP server took it is unknown. It is not sent again; it
becomes `lahetys_epaonnistunut` with the reason `toimitus_tuntematon`, the survey keeps its
link (the student sees it on their pages), and staff may send it again. A failure that is known
(the SMTP server or Arvo down) marks the message failed before the retry, which sends a new one.
The message's `Message-ID` names its job, so the job finds its own unfinished message.

A job checks that it is still its worker's (`worker.lease`) before Arvo's status and before the
hand-over; one that was taken over stops there, and deletes its message row (never handed over)
so that the worker that took the job over sends the invitation as its own.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final
from uuid import uuid4

import orjson
from sqlalchemy.orm import Session

from ehoks.feedback import mail
from ehoks.feedback import repository as feedback_repository
from ehoks.feedback.arvo import ArvoRefusedError, ArvoUnavailableError
from ehoks.feedback.initiation import helsinki_date
from ehoks.feedback.models import Feedback, FeedbackJob
from ehoks.feedback.rules import Kind, State, answer_window_end, mail_group_digest
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import Context, PermanentError, RetryableError
from ehoks.feedback.worker.lease import Claim, LeaseLostError
from ehoks.kit.db.engine import transaction
from ehoks.kit.mime import Mail

log = logging.getLogger("ehoks.feedback.worker")
SEND_EVENT: Final = "lahetys"
WAITING: Final = "odottaa_lahetysta"
UNKNOWN: Final = "toimitus_tuntematon"
FIRST_SENDABLE: Final = frozenset({State.SURVEY_CREATED})
# Staff may send again what went, and what failed (a bounce, a refused address now corrected).
RESENDABLE: Final = frozenset({State.SURVEY_CREATED, State.SENT, State.SENDING_FAILED})
MESSAGE_ID_DOMAIN: Final = "ehoks.invalid"
DELIVERED: Final = "lahetetty"
FAILED: Final = "lahetys_epaonnistunut"


@dataclass(frozen=True, slots=True)
class Invitation:
    """An invitation whose message row is written (`odottaa_lahetysta`), to be sent."""

    job: FeedbackJob
    message_id: int
    header_id: str
    email: str
    tunnus: str | None
    url: str | None
    herate: date
    kind: str
    valid_to: date  # the survey's answer window's end as it is


@dataclass(frozen=True, slots=True)
class Delivery:
    """An invitation the SMTP server took: the message, the answer window's end given, and
    whether Arvo was told."""

    message_id: int
    sent: mail.Sent
    valid_to: date
    told: bool


def invite(context: Context, job: FeedbackJob, now: datetime, claim: Claim) -> None:
    """Send a student their survey link."""
    today = helsinki_date(now)
    with transaction(context.factory) as session:
        feedback = repository.feedback_for_update(session, job.feedback_id or 0)
        resend = bool(job.payload.get("resend"))
        if feedback is None or feedback.state not in (RESENDABLE if resend else FIRST_SENDABLE):
            repository.finish(session, job, now)
            return
        if not context.window.is_open(now):
            repository.postpone(session, job, at=context.window.next_open(now))
            return
        if today > feedback.valid_to:
            expire(session, feedback, now)
            repository.finish(session, job, now)
            return
        plan = repository.plan(session, feedback.hoks_id)
        email = str((orjson.loads(plan.document) if plan else {}).get("sahkoposti") or "")
        if not email:
            no_address(session, feedback)
            repository.finish(session, job, now)
            return
        if repository.unknown_delivery(session, job_prefix(job), reason=UNKNOWN):
            # The last attempt died while handing the message over: at most once (above).
            repository.finish(session, job, now)
            return
        header_id = header_id_of(job)
        message = repository.add_message(
            session,
            [feedback.id],
            {"recipient": email, "state": WAITING, "created_at": now, "message_id": header_id},
        )
        invitation = Invitation(
            job=job,
            message_id=message.id,
            header_id=header_id,
            email=email,
            tunnus=feedback.arvo_tunniste,
            url=feedback.link,
            herate=feedback.herate_date,
            kind=feedback.kind,
            valid_to=feedback.valid_to,
        )
    delivery = deliver(context, claim, invitation, now)
    if delivery is not None:
        record_delivery(context, job, delivery, now)


def keep_or_withdraw(context: Context, claim: Claim, job: FeedbackJob, message_id: int) -> None:
    """Go on if the job is still this worker's; else its message, not handed over, is deleted
    (the worker that took the job over sends its own) and LeaseLostError raised."""
    if claim.held(job):
        return
    with transaction(context.factory) as session:
        repository.withdraw_message(session, message_id)
    raise LeaseLostError(f"job {job.id} was taken over by another worker; nothing sent")


def no_address(session: Session, feedback: Feedback) -> None:
    """As nationally: the survey stays open (staff may add the address and send again)."""
    repository.add_message(
        session, [feedback.id], {"recipient": None, "state": FAILED, "reason": "ei_sahkopostia"}
    )


def deliver(
    context: Context, claim: Claim, invitation: Invitation, now: datetime
) -> Delivery | None:
    """Send the invitation unless Arvo says the survey was answered (then recorded so, and
    None); the job's failure raised as RetryableError or PermanentError, LeaseLostError
    (nothing sent) when another worker took the job over."""
    job, message_id = invitation.job, invitation.message_id
    today = helsinki_date(now)
    resend = bool(job.payload.get("resend"))
    keep_or_withdraw(context, claim, job, message_id)
    status = _status_before_sending(context, invitation.tunnus, message_id)
    if status is not None and status.answered:
        with transaction(context.factory) as session:
            feedback = repository.feedback_for_update(session, job.feedback_id or 0)
            if feedback is not None:
                feedback_repository.move(
                    session, feedback, State.ANSWERED, event=SEND_EVENT, now=now
                )
            repository.update_message(session, message_id, {"state": FAILED, "reason": "vastattu"})
            repository.finish(session, job, now)
        return None
    valid_to = invitation.valid_to if resend else answer_window_end(invitation.herate, today)
    composed = mail.compose(
        context.settings,
        invitation.email,
        "feedback_student",
        {
            "url": invitation.url,
            "start": invitation.kind == Kind.START,
            "valid_to": valid_to.strftime("%d.%m.%Y"),
        },
        mail.STUDENT_SUBJECT,
    ).with_message_id(invitation.header_id)
    keep_or_withdraw(context, claim, job, message_id)
    sent = _send(context, message_id=message_id, composed=composed, now=now)
    # Arvo hears at once that the link went, with the answer window counted from today; if it
    # cannot be told now, an `arvo_sent` job tells it later (with its own retries).
    told = resend or _told_arvo(context, invitation.tunnus, today, valid_to)
    return Delivery(message_id=message_id, sent=sent, valid_to=valid_to, told=told)


def record_delivery(context: Context, job: FeedbackJob, delivery: Delivery, now: datetime) -> None:
    """The message went: its state, the survey's, and Arvo's notice if it is still owed."""
    today = helsinki_date(now)
    resend = bool(job.payload.get("resend"))
    with transaction(context.factory) as session:
        repository.update_message(
            session,
            delivery.message_id,
            {"state": DELIVERED, "sent_at": now, "message_id": delivery.sent.message_id},
        )
        feedback = repository.feedback_for_update(session, job.feedback_id or 0)
        if feedback is not None and resend:
            feedback_repository.move(
                session, feedback, State.SENT, event=SEND_EVENT, now=now, reason="uudelleenlahetys"
            )
        elif feedback is not None:
            feedback_repository.move(
                session,
                feedback,
                State.SENT,
                event=SEND_EVENT,
                now=now,
                extra={"valid_from": today, "valid_to": delivery.valid_to},
            )
            if not delivery.told:
                feedback_repository.schedule_job(
                    session,
                    key=f"arvo_sent|{feedback.id}",
                    kind="arvo_sent",
                    feedback_id=feedback.id,
                    due_at=now,
                )
        repository.finish(session, job, now)


def _told_arvo(context: Context, tunnus: str | None, today: date, valid_to: date) -> bool:
    """Tell Arvo the link was sent; False when it could not be told now."""
    if tunnus is None:
        return True
    try:
        context.issuer.mark_sent(tunnus, today, valid_to)
    except (ArvoUnavailableError, ArvoRefusedError) as error:
        log.warning("Arvo not told that %s was sent (a job tells it later): %s", tunnus, error)
        return False
    return True


def survey_status(context: Context, tunnus: str | None) -> Any:
    """Arvo's status of a link (answered?); None when unknown (the built-in issuer)."""
    if tunnus is None:
        return None
    try:
        return context.issuer.status(tunnus)
    except (ArvoUnavailableError, ArvoRefusedError) as error:
        raise RetryableError(f"status: {error}") from error


def _send(
    context: Context,
    *,
    message_id: int,
    composed: Mail,
    now: datetime,
) -> mail.Sent:
    try:
        return mail.send(context.settings, composed, via=context.connections)
    except mail.MailTemporaryError as error:
        _failed_for_now(context, message_id, f"mail: {error}")
        raise RetryableError(f"mail: {error}") from error
    except mail.MailRefusedError as error:
        with transaction(context.factory) as session:
            repository.update_message(session, message_id, {"state": FAILED, "reason": str(error)})
            for feedback in feedback_repository.feedback_of_message(session, message_id):
                feedback_repository.move(
                    session,
                    feedback,
                    State.SENDING_FAILED,
                    event=SEND_EVENT,
                    now=now,
                    reason="sahkoposti_hylatty",
                )
        raise PermanentError(f"mail refused: {error}") from error


def _status_before_sending(context: Context, tunnus: str | None, message_id: int) -> Any:
    try:
        return survey_status(context, tunnus)
    except RetryableError as error:
        _failed_for_now(context, message_id, str(error))
        raise


def job_prefix(job: FeedbackJob) -> str:
    return f"<feedback-job-{job.id}-"


def header_id_of(job: FeedbackJob) -> str:
    """A Message-ID that names its job (and is new on every attempt)."""
    return f"{job_prefix(job)}{uuid4().hex}@{MESSAGE_ID_DOMAIN}>"


def _failed_for_now(context: Context, message_id: int, reason: str) -> None:
    """A known failure before the hand-over: the retry sends a new message."""
    with transaction(context.factory) as session:
        repository.update_message(session, message_id, {"state": FAILED, "reason": reason[:500]})


def mark_sent_in_arvo(context: Context, job: FeedbackJob, now: datetime, claim: Claim) -> None:
    """Tell Arvo the link was sent, with its new answer window (PATCH, as nationally)."""
    with transaction(context.factory) as session:
        feedback = repository.feedback_for_update(session, job.feedback_id or 0)
        target = (
            (feedback.arvo_tunniste, feedback.valid_from, feedback.valid_to)
            if feedback is not None and feedback.arvo_tunniste
            else None
        )
    if target is not None:
        claim.keep(job)
        try:
            context.issuer.mark_sent(*target)
        except ArvoUnavailableError as error:
            raise RetryableError(str(error)) from error
        except ArvoRefusedError as error:
            raise PermanentError(str(error)) from error
    with transaction(context.factory) as session:
        repository.finish(session, job, now)


def workplace_mail(context: Context, job: FeedbackJob, now: datetime, claim: Claim) -> None:
    """One e-mail to an instructor for every period of one group that has its link."""
    # A job made before jobs named their group by its digest carries the group itself.
    digest = str(job.payload.get("mail_group") or mail_group_digest(str(job.payload.get("group"))))
    today = helsinki_date(now)
    with transaction(context.factory) as session:
        if not context.window.is_open(now):
            repository.postpone(session, job, at=context.window.next_open(now))
            return
        # A message of this job still being handed over (its worker died) is not sent again.
        repository.unknown_delivery(session, job_prefix(job), reason=UNKNOWN)
        members = repository.group_members(session, digest, State.TUNNUS_CREATED.value)
        current = []
        for feedback in members:
            if today > feedback.valid_to:
                expire(session, feedback, now)
            else:
                current.append(feedback)
        if not current:
            repository.finish(session, job, now)
            return
        first = current[0].details
        recipient = str(first.get("ohjaaja_sahkoposti"))
        periods = [_period_line(session, feedback) for feedback in current]
        message = repository.add_message(
            session,
            [f.id for f in current],
            {
                "recipient": recipient,
                "state": WAITING,
                "created_at": now,
                "message_id": header_id_of(job),
            },
        )
        header_id = str(message.message_id)
        message_id, ids = message.id, [f.id for f in current]
        valid_to = max(f.valid_to for f in current)
        workplace = str(first.get("tyopaikan_nimi") or "")
    composed = mail.compose(
        context.settings,
        recipient,
        "feedback_workplace",
        {"periods": periods, "workplace": workplace, "valid_to": valid_to.strftime("%d.%m.%Y")},
        mail.WORKPLACE_SUBJECT,
    ).with_message_id(header_id)
    keep_or_withdraw(context, claim, job, message_id)
    sent = _send(context, message_id=message_id, composed=composed, now=now)
    with transaction(context.factory) as session:
        repository.update_message(
            session, message_id, {"state": DELIVERED, "sent_at": now, "message_id": sent.message_id}
        )
        for feedback_id in ids:
            member = repository.feedback_for_update(session, feedback_id)
            if member is not None:
                feedback_repository.move(session, member, State.SENT, event=SEND_EVENT, now=now)
        repository.finish(session, job, now)


def expire(session: Session, feedback: Feedback, now: datetime) -> None:
    """The answer window closed before the link could be sent."""
    feedback_repository.move(
        session, feedback, State.EXPIRED, event=SEND_EVENT, now=now, reason="vastausaika_loppunut"
    )


def _period_line(session: Session, feedback: Feedback) -> dict[str, str]:
    person = repository.person(session, feedback.oppija_oid)
    name = (
        " ".join(filter(None, [person.calling_name or person.first_names, person.last_name]))
        if person
        else ""
    )
    return {
        "student": name,
        "alku": _finnish_date(feedback.details.get("alku")),
        "loppu": _finnish_date(feedback.details.get("loppu")),
        "url": feedback.link or "",
    }


def _finnish_date(value: object) -> str:
    text = str(value or "")
    parts = text.split("-")
    return f"{parts[2]}.{parts[1]}.{parts[0]}" if len(parts) == 3 else text  # noqa: PLR2004
