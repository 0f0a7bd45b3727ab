"""Handling a claimed batch of `handle` jobs together (worker.handling does one job).

Three steps, as for one job: the surveys are locked and checked with their plans and study
rights in one short transaction (one query each for the batch); the links are created outside
any transaction, side by side on the worker's threads; and the links are saved in one more
transaction. A link the batch cannot save is deleted in Arvo again, as one job's would be. If
that transaction fails as a whole (a link another survey holds, a lost connection), each job
saves its own link in a transaction of its own, so one bad survey fails alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

import orjson
from sqlalchemy.orm import Session

from ehoks.feedback import repository as feedback_repository
from ehoks.feedback.arvo import ArvoRefusedError, ArvoUnavailableError, Link, NoOpenSurveyError
from ehoks.feedback.bodies import student_body, workplace_body
from ehoks.feedback.initiation import helsinki_date, start_of_day
from ehoks.feedback.mailgroups import group_key, keyed_digest
from ehoks.feedback.models import Feedback, FeedbackJob
from ehoks.feedback.rules import Kind, State
from ehoks.feedback.worker.batch import repository
from ehoks.feedback.worker.context import Context, PermanentError, RetryableError
from ehoks.feedback.worker.handling import (
    HANDLING_EVENT,
    LINK_EVENT,
    delete_quietly,
    exclusion,
    group_of,
    holds,
    save,
)
from ehoks.feedback.worker.lease import Claim, LeaseLostError
from ehoks.feedback.worker.status import EXPIRE_JOB
from ehoks.kit.db.engine import transaction

log = logging.getLogger("ehoks.feedback.worker")
# What became of each job: None when it was done, else the error it failed with.
Outcomes = dict[int, Exception | None]
Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]
NO_SURVEY: Final = "ei_kyselya"


class _Absent:
    """Arvo has no open survey for the institution ("ei-kyselyä"): the survey is not sent."""


ABSENT: Final = _Absent()


@dataclass(frozen=True, slots=True)
class _Work:
    job: FeedbackJob
    body: dict[str, Any]
    study: dict[str, Any]
    workplace: bool


def handle_many(
    context: Context, claim: Claim, jobs: Sequence[FeedbackJob], now: datetime, run: Mapper
) -> Outcomes:
    """Handle `jobs` (of `claim`, each of its own survey); `run` maps a function over items,
    side by side where the worker has threads."""
    kept = claim.kept(jobs)
    outcomes: Outcomes = {
        job.id: LeaseLostError(f"job {job.id} was taken over by another worker")
        for job in jobs
        if job not in kept
    }
    with transaction(context.factory) as session:
        work = _check(session, kept, now)
    done = {job.id for job in kept} - {item.job.id for item in work}
    outcomes |= dict.fromkeys(done)
    created = run(lambda item: _create(context, claim, item), work)
    links = [
        (item, link) for item, link in zip(work, created, strict=True) if isinstance(link, Link)
    ]
    absent = [item for item, link in zip(work, created, strict=True) if link is ABSENT]
    for item, result in zip(work, created, strict=True):
        if isinstance(result, Exception):
            outcomes[item.job.id] = result
    key = group_key(context.factory, context.settings)
    try:
        with transaction(context.factory) as session:
            unwanted = _save_many(session, links, absent, now, key)
    except Exception:  # any failure: each job saves its own, as one job would
        log.info("a batch's links saved one by one after the batch failed", exc_info=True)
        outcomes |= _save_each(context, links, absent, now)
        return outcomes
    for item, link in unwanted:
        delete_quietly(context, link, workplace=item.workplace)
    outcomes |= dict.fromkeys(item.job.id for item, _ in links)
    outcomes |= dict.fromkeys(item.job.id for item in absent)
    return outcomes


def _check(session: Session, jobs: Sequence[FeedbackJob], now: datetime) -> list[_Work]:
    """Check the surveys again (5.7); those still wanted, with the body of their link. The jobs
    of the others are finished here, the excluded surveys closed with their reason."""
    today = helsinki_date(now)
    surveys = repository.feedback_for_update(session, [job.feedback_id or 0 for job in jobs])
    pending = {i: f for i, f in surveys.items() if f.state == State.PENDING}
    plans = repository.plans(session, [f.hoks_id for f in pending.values()])
    rights = repository.study_rights(session, [f.opiskeluoikeus_oid for f in pending.values()])
    finished: list[FeedbackJob] = []
    closed: list[tuple[Feedback, str, dict[str, Any]]] = []
    work: list[_Work] = []
    for job in jobs:
        feedback = pending.get(job.feedback_id or 0)
        if feedback is None:
            finished.append(job)
            continue
        plan = plans.get(feedback.hoks_id)
        document = orjson.loads(plan.document) if plan and plan.deleted_at is None else None
        right = rights.get(feedback.opiskeluoikeus_oid)
        reason = exclusion(feedback, document, right, today)
        if reason is not None or document is None:
            closed.append((feedback, State.NOT_SENT, {"reason": reason}))
            finished.append(job)
            continue
        study = dict(right.document) if right else {}
        workplace = feedback.kind == Kind.WORKPLACE
        body = (
            workplace_body(feedback, study, today)
            if workplace
            else student_body(feedback, document, study, today)
        )
        work.append(_Work(job, body, study, workplace))
    repository.move(session, closed, event=HANDLING_EVENT, now=now)
    repository.finish(session, finished, now)
    return work


def _create(context: Context, claim: Claim, item: _Work) -> Link | _Absent | Exception:
    """The link, ABSENT (Arvo has no open survey for it), or the job's error (LeaseLostError
    when another worker took the job over while it waited for a thread)."""
    try:
        claim.keep(item.job)
        return context.issuer.create(item.body, workplace=item.workplace)
    except NoOpenSurveyError:
        return ABSENT
    except ArvoUnavailableError as error:
        return RetryableError(str(error))
    except ArvoRefusedError as error:
        return PermanentError(str(error))
    except Exception as error:  # noqa: BLE001 - the job's failure, reported with the others
        return error


def _save_many(
    session: Session,
    links: Sequence[tuple[_Work, Link]],
    absent: Sequence[_Work],
    now: datetime,
    key: bytes,
) -> list[tuple[_Work, Link]]:
    """Keep the links on their surveys and schedule what follows; close the surveys Arvo has no
    survey for. The links no survey holds (closed meanwhile), to be deleted."""
    ids = [item.job.feedback_id or 0 for item, _ in links] + [
        item.job.feedback_id or 0 for item in absent
    ]
    surveys = repository.feedback_for_update(session, ids)
    moves: list[tuple[Feedback, str, dict[str, Any]]] = []
    jobs: list[dict[str, Any]] = []
    unwanted: list[tuple[_Work, Link]] = []
    for item, link in links:
        feedback = surveys.get(item.job.feedback_id or 0)
        if feedback is None or feedback.state != State.PENDING:
            if not holds(feedback, link):
                unwanted.append((item, link))
            continue
        moves.append((feedback, *_linked(session, feedback, item, link, now, key=key)))
        jobs.append(_expiry(feedback))
        if not item.workplace:
            jobs.append(
                {
                    "key": f"invite|{feedback.id}",
                    "kind": "invite",
                    "feedback_id": feedback.id,
                    "due_at": max(now, start_of_day(feedback.valid_from)),
                }
            )
    repository.move(session, moves, event=LINK_EVENT, now=now)
    closed = [
        (feedback, State.NOT_SENT, {"reason": NO_SURVEY})
        for item in absent
        if (feedback := surveys.get(item.job.feedback_id or 0)) is not None
        and feedback.state == State.PENDING
    ]
    repository.move(session, closed, event=LINK_EVENT, now=now)
    repository.schedule_jobs(session, jobs)
    repository.finish(session, [item.job for item, _ in links] + [i.job for i in absent], now)
    return unwanted


def _linked(
    session: Session, feedback: Feedback, item: _Work, link: Link, now: datetime, *, key: bytes
) -> tuple[str, dict[str, Any]]:
    """A linked survey's new state and columns; a workplace one's group e-mail scheduled."""
    values: dict[str, Any] = {"arvo_tunniste": link.tunnus, "link": link.url}
    if not item.workplace:
        return State.SURVEY_CREATED, values
    # Only the group's digest is kept: the group names the instructor's address.
    values["mail_group"] = keyed_digest(group_of(feedback, item.study), key)
    feedback_repository.schedule_job(
        session,
        restart=False,
        key=f"mail|{values['mail_group']}",
        kind="workplace_mail",
        due_at=max(now, start_of_day(feedback.valid_from)),
        payload={"mail_group": values["mail_group"]},
    )
    return State.TUNNUS_CREATED, values


def _expiry(feedback: Feedback) -> dict[str, Any]:
    """The survey's `expire` job (worker.status.schedule_expiry)."""
    return {
        "key": f"{EXPIRE_JOB}|{feedback.id}",
        "kind": EXPIRE_JOB,
        "feedback_id": feedback.id,
        "due_at": start_of_day(feedback.valid_to + timedelta(days=1)),
    }


def _save_each(
    context: Context,
    links: Sequence[tuple[_Work, Link]],
    absent: Sequence[_Work],
    now: datetime,
) -> Outcomes:
    """Each link saved in a transaction of its own (worker.handling's way), each failure its
    job's alone; a link that cannot be saved is deleted."""
    outcomes: Outcomes = {}
    key = group_key(context.factory, context.settings)
    for item, link in links:
        try:
            with transaction(context.factory) as session:
                saved = save(session, item.job, link, item.study, now, group_key=key)
        except Exception as error:  # noqa: BLE001 - this job's failure only
            delete_quietly(context, link, workplace=item.workplace)
            outcomes[item.job.id] = RetryableError(f"link not saved: {type(error).__name__}")
            continue
        if not saved:
            delete_quietly(context, link, workplace=item.workplace)
        outcomes[item.job.id] = None
    for item in absent:
        try:
            with transaction(context.factory) as session:
                _save_many(session, [], [item], now, key)
        except Exception as error:  # noqa: BLE001 - this job's failure only
            outcomes[item.job.id] = error
            continue
        outcomes[item.job.id] = None
    return outcomes
