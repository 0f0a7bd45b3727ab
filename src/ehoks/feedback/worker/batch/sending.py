"""Sending a claimed batch of first invitations together (worker.sending sends one).

As for one job: the surveys are locked and checked, and each invitation's message row is
written (`odottaa_lahetysta`) before its e-mail goes, in one transaction for the batch; the
e-mails go and Arvo is told side by side on the worker's threads, each exactly as one job's
(a failure before the hand-over marks its message failed and fails its job alone); and the
messages that went are recorded in one more transaction. If that one fails as a whole, each job
records its own, so one bad survey fails alone; a job whose record cannot be written is retried
and finds its message still `odottaa_lahetysta` (at most once: it is not sent again).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from ehoks.feedback.initiation import helsinki_date
from ehoks.feedback.models import Feedback, FeedbackJob
from ehoks.feedback.rules import State
from ehoks.feedback.worker.batch import repository
from ehoks.feedback.worker.batch.handling import Mapper, Outcomes
from ehoks.feedback.worker.context import Context
from ehoks.feedback.worker.lease import Claim, LeaseLostError
from ehoks.feedback.worker.sending import (
    DELIVERED,
    FIRST_SENDABLE,
    SEND_EVENT,
    UNKNOWN,
    WAITING,
    Delivery,
    Invitation,
    deliver,
    header_id_of,
    job_prefix,
    no_address,
    record_delivery,
)
from ehoks.kit.db.engine import transaction

log = logging.getLogger("ehoks.feedback.worker")


def is_first_invitation(job: FeedbackJob) -> bool:
    """A job this module sends (staff's resends go one by one)."""
    return job.kind == "invite" and not job.payload.get("resend")


def invite_many(
    context: Context, claim: Claim, jobs: Sequence[FeedbackJob], now: datetime, run: Mapper
) -> Outcomes:
    """Send the first invitations of `jobs` (of `claim`, each of its own survey)."""
    kept = claim.kept(jobs)
    outcomes: Outcomes = {
        job.id: LeaseLostError(f"job {job.id} was taken over by another worker")
        for job in jobs
        if job not in kept
    }
    with transaction(context.factory) as session:
        invitations = _prepare(context, session, kept, now)
    outcomes |= dict.fromkeys({job.id for job in kept} - {i.job.id for i in invitations})
    results = run(lambda invitation: _deliver(context, claim, invitation, now), invitations)
    delivered: list[tuple[FeedbackJob, Delivery]] = []
    for invitation, result in zip(invitations, results, strict=True):
        if isinstance(result, Delivery):
            delivered.append((invitation.job, result))
        else:  # answered (recorded by `deliver`) or the job's error
            outcomes[invitation.job.id] = result
    try:
        with transaction(context.factory) as session:
            _record(session, delivered, now)
    except Exception:
        log.info("a batch's invitations recorded one by one after the batch failed", exc_info=True)
        for job, delivery in delivered:
            try:
                record_delivery(context, job, delivery, now)
            except Exception as error:  # noqa: BLE001 - this job's failure only
                outcomes[job.id] = error
            else:
                outcomes[job.id] = None
        return outcomes
    outcomes |= dict.fromkeys(job.id for job, _ in delivered)
    return outcomes


def _prepare(
    context: Context, session: Session, jobs: Sequence[FeedbackJob], now: datetime
) -> list[Invitation]:
    """Check each survey as `sending.invite` does and write the message rows of those that go;
    the other jobs are finished, or postponed while the sending window is closed."""
    today = helsinki_date(now)
    surveys = repository.feedback_for_update(session, [job.feedback_id or 0 for job in jobs])
    sendable = {i: f for i, f in surveys.items() if f.state in FIRST_SENDABLE}
    finished = [job for job in jobs if (job.feedback_id or 0) not in sendable]
    if not context.window.is_open(now):
        repository.finish(session, finished, now)
        waiting = [job for job in jobs if (job.feedback_id or 0) in sendable]
        repository.postpone(session, waiting, at=context.window.next_open(now))
        return []
    plans = repository.plans(session, [f.hoks_id for f in sendable.values()])
    expired: list[tuple[Feedback, str, dict[str, Any]]] = []
    ready: list[tuple[FeedbackJob, Feedback, str]] = []
    for job in jobs:
        feedback = sendable.get(job.feedback_id or 0)
        if feedback is None:
            continue
        if today > feedback.valid_to:
            expired.append((feedback, State.EXPIRED, {"reason": "vastausaika_loppunut"}))
            finished.append(job)
        elif email := _address(plans.get(feedback.hoks_id)):
            ready.append((job, feedback, email))
        else:
            no_address(session, feedback)
            finished.append(job)
    repository.move(session, expired, event=SEND_EVENT, now=now)
    # The last attempt of a job that died handing its message over: at most once.
    unknown = repository.unknown_deliveries(
        session,
        {job.id: (job_prefix(job), feedback.id) for job, feedback, _ in ready},
        reason=UNKNOWN,
    )
    finished += [job for job, _, _ in ready if job.id in unknown]
    ready = [each for each in ready if each[0].id not in unknown]
    headers = [header_id_of(job) for job, _, _ in ready]
    message_ids = repository.add_messages(
        session,
        [
            (
                feedback.id,
                {"recipient": email, "state": WAITING, "created_at": now, "message_id": header},
            )
            for (_, feedback, email), header in zip(ready, headers, strict=True)
        ],
    )
    repository.finish(session, finished, now)
    return [
        Invitation(
            job=job,
            message_id=message_id,
            header_id=header,
            email=email,
            tunnus=feedback.arvo_tunniste,
            url=feedback.link,
            herate=feedback.herate_date,
            kind=feedback.kind,
            valid_to=feedback.valid_to,
        )
        for (job, feedback, email), header, message_id in zip(
            ready, headers, message_ids, strict=True
        )
    ]


def _address(plan: Any) -> str:
    return str((orjson.loads(plan.document) if plan else {}).get("sahkoposti") or "")


def _deliver(
    context: Context, claim: Claim, invitation: Invitation, now: datetime
) -> Delivery | Exception | None:
    try:
        return deliver(context, claim, invitation, now)
    except Exception as error:  # noqa: BLE001 - the job's failure, reported with the others
        return error


def _record(
    session: Session, delivered: Sequence[tuple[FeedbackJob, Delivery]], now: datetime
) -> None:
    """The messages that went, their surveys sent, and Arvo's notices still owed."""
    if not delivered:
        return
    today = helsinki_date(now)
    repository.update_messages(
        session,
        [
            {
                "id": d.message_id,
                "state": DELIVERED,
                "sent_at": now,
                "message_id": d.sent.message_id,
            }
            for _, d in delivered
        ],
    )
    surveys = repository.feedback_for_update(
        session, [job.feedback_id or 0 for job, _ in delivered]
    )
    moves: list[tuple[Feedback, str, dict[str, Any]]] = []
    owed: list[dict[str, Any]] = []
    for job, delivery in delivered:
        feedback = surveys.get(job.feedback_id or 0)
        if feedback is None:
            continue
        moves.append((feedback, State.SENT, {"valid_from": today, "valid_to": delivery.valid_to}))
        if not delivery.told:
            owed.append(
                {
                    "key": f"arvo_sent|{feedback.id}",
                    "kind": "arvo_sent",
                    "feedback_id": feedback.id,
                    "due_at": now,
                }
            )
    repository.move(session, moves, event=SEND_EVENT, now=now)
    repository.schedule_jobs(session, owed)
    repository.finish(session, [job for job, _ in delivered], now)
