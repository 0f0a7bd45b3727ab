"""The worker loop: claim due jobs, run each, record the outcome.

`run_once` runs every job that is due (including those the run itself makes due, such as the
invitation after a link was created) and returns; `run_forever` repeats it every
`EHOKS_WORKER_POLL_SECONDS` until stopped. A failing job is retried with exponential backoff
and parked after `EHOKS_FEEDBACK_MAX_ATTEMPTS` with its reason; nothing is dropped.

The jobs of a claimed batch run side by side on PostgreSQL (`EHOKS_WORKER_THREADS` threads): most
of a job's time is waiting for the database, Arvo or the SMTP server, and each job is claimed by
this worker alone, its handler locking the survey it changes, as with workers side by side.
A batch's `handle` jobs and its first invitations run together (worker.batch): their database
work is done for the whole batch with one statement a step, only their calls to Arvo and the
SMTP server go one by one, side by side.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from uuid import uuid4

from ehoks.feedback import retention
from ehoks.feedback.initiation import helsinki_date, start_of_day
from ehoks.feedback.models import FeedbackJob
from ehoks.feedback.worker import handling, repository, sending, status
from ehoks.feedback.worker.batch.handling import handle_many
from ehoks.feedback.worker.batch.sending import invite_many, is_first_invitation
from ehoks.feedback.worker.context import LEASE, Context, PermanentError, RetryableError
from ehoks.feedback.worker.lease import Claim, LeaseLostError
from ehoks.kit.db.engine import transaction

log = logging.getLogger("ehoks.feedback.worker")
BATCH: Final = 50
MAX_BACKOFF: Final = timedelta(hours=6)
Handler = Callable[[Context, FeedbackJob, datetime, Claim], None]
HANDLERS: Final[dict[str, Handler]] = {
    "handle": handling.handle,
    "invite": sending.invite,
    "workplace_mail": sending.workplace_mail,
    "arvo_sent": sending.mark_sent_in_arvo,
    "retention": retention.remove_contact_data,
    "expire": status.close_when_over,
}
# The daily contact-data removal runs from this hour (Helsinki), when the service is quiet.
RETENTION_HOUR: Final = 3
# What a job counts as when another worker took it over (its lease ran out): left to that one.
TAKEN_OVER: Final = "taken_over"


def backoff(settings_seconds: int, attempts: int) -> timedelta:
    """60 s, 2 min, 4 min, ... up to six hours between attempts."""
    return min(timedelta(seconds=settings_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def run_once(context: Context, now: datetime | None = None) -> Counter[str]:
    """Run every due job once; how many of each kind were done, and "retry", "parked" and
    "taken_over"."""
    outcomes: Counter[str] = Counter()
    token = str(uuid4())
    _schedule_daily(context, now or datetime.now(UTC))
    with job_pool(context) as pool:
        while True:
            moment = now or datetime.now(UTC)
            with transaction(context.factory) as session:
                jobs = repository.claim(session, now=moment, limit=BATCH, lease=LEASE, token=token)
            if not jobs:
                return outcomes
            claim = Claim(context.factory, jobs, at=moment, clock=context.clock)
            outcomes += run_jobs(context, claim, now, pool=pool)


@contextmanager
def job_pool(context: Context, threads: int | None = None) -> Iterator[ThreadPoolExecutor | None]:
    """The threads that run a claimed batch's jobs side by side (PostgreSQL; SQLite takes one
    writer at a time, so there the jobs run one after another): `threads`, by default
    `EHOKS_WORKER_THREADS`; the round's SMTP and Arvo connections are closed with it."""
    threads = context.settings.worker_threads if threads is None else threads
    parallel = threads > 1 and context.factory.kw["bind"].dialect.name == "postgresql"
    try:
        if parallel:
            with ThreadPoolExecutor(threads, thread_name_prefix="feedback-job") as pool:
                yield pool
        else:
            yield None
    finally:
        context.connections.close()
        context.issuer.close()


def run_jobs(
    context: Context,
    claim: Claim,
    now: datetime | None,
    *,
    pool: ThreadPoolExecutor | None,
) -> Counter[str]:
    """Run a claim's jobs (each claimed by this worker alone, so side by side is safe: a job's
    handler locks what it changes); a job done counts under its kind ("handle", "invite",
    ...), a failure as itself ("retry", "parked"), a job another worker took over meanwhile as
    "taken_over". The claim's leases are renewed as its jobs go (`worker.lease`)."""
    jobs = claim.jobs

    def one(job: FeedbackJob) -> str:
        outcome = run_job(context, claim, job, now or datetime.now(UTC))
        return job.kind if outcome == "handled" else outcome

    def run(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        return list(pool.map(function, items) if pool is not None else map(function, items))

    outcomes: Counter[str] = Counter()
    moment = now or datetime.now(UTC)
    together = {"handle": handle_many, "invite": invite_many}
    for kind, many in together.items():
        group = [job for job in jobs if job.kind == kind and _together(job)]
        if group:
            outcomes += _run_together(context, claim, group, moment, many, run)
    alone = [job for job in jobs if job.kind not in together or not _together(job)]
    return outcomes + Counter(run(one, alone))


def _together(job: FeedbackJob) -> bool:
    """Whether the job runs with the other jobs of its kind in the batch (staff's resends run
    one by one)."""
    return job.kind == "handle" or is_first_invitation(job)


def _run_together(  # noqa: PLR0917 - the claim's part and how it runs
    context: Context,
    claim: Claim,
    jobs: Sequence[FeedbackJob],
    now: datetime,
    many: Callable[..., dict[int, Exception | None]],
    run: Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]],
) -> Counter[str]:
    """Jobs of one kind as one batch; each job's outcome recorded as `run_job` records it."""
    try:
        errors = many(context, claim, jobs, now, run)
    except Exception as failure:  # noqa: BLE001 - the batch failed before its jobs ran: each retried
        errors = dict.fromkeys((job.id for job in jobs), failure)
    by_id = {job.id: job for job in jobs}
    outcomes: Counter[str] = Counter()
    for job_id, error in errors.items():
        job = by_id[job_id]
        outcome = "handled" if error is None else settle(context, job, now, error)
        outcomes[job.kind if outcome == "handled" else outcome] += 1
    return outcomes


def _schedule_daily(context: Context, now: datetime) -> None:
    """Today's contact-data removal job, once (its key names the day)."""
    today = helsinki_date(now)
    with transaction(context.factory) as session:
        repository.ensure_job(
            session,
            key=f"retention|{today.isoformat()}",
            kind="retention",
            due_at=start_of_day(today) + timedelta(hours=RETENTION_HOUR),
        )


def run_job(context: Context, claim: Claim, job: FeedbackJob, now: datetime) -> str:
    handler = HANDLERS.get(job.kind)
    if handler is None:
        return _failed(context, job, now, f"no handler for job kind {job.kind!r}", permanent=True)
    try:
        # A job that waited its turn behind others of its claim may have been taken over.
        claim.keep(job)
        handler(context, job, now, claim)
    except Exception as error:  # noqa: BLE001 - every failure is recorded on its job
        return settle(context, job, now, error)
    return "handled"


def settle(context: Context, job: FeedbackJob, now: datetime, error: Exception) -> str:
    """Record a failed job: "parked" (retrying cannot help, or its attempts are used up) or
    "retry"; a job another worker took over is left to it ("taken_over")."""
    if isinstance(error, LeaseLostError):
        log.info("feedback job %s: %s", job.id, error)
        return TAKEN_OVER
    if isinstance(error, PermanentError):
        return _failed(context, job, now, str(error), permanent=True)
    if isinstance(error, RetryableError):
        return _failed(context, job, now, str(error), permanent=False)
    log.error("feedback job %s failed", job.id, exc_info=error)
    return _failed(context, job, now, f"{type(error).__name__}: {error}", permanent=False)


def _failed(
    context: Context, job: FeedbackJob, now: datetime, error: str, *, permanent: bool
) -> str:
    with transaction(context.factory) as session:
        if permanent or job.attempts >= context.settings.feedback_max_attempts:
            repository.park(session, job, now=now, error=error)
            log.warning("feedback job %s parked: %s", job.id, error)
            return "parked"
        delay = backoff(context.settings.feedback_retry_seconds, job.attempts)
        repository.retry(session, job, at=now + delay, error=error)
        return "retry"


def run_forever(context: Context, stop: threading.Event) -> None:
    """Run due jobs every poll interval until `stop` is set (SIGTERM, SIGINT)."""
    while not stop.is_set():
        try:
            outcomes = run_once(context)
            if outcomes:
                log.info("feedback jobs: %s", dict(outcomes))
        except Exception:
            log.exception("feedback worker round failed")
        stop.wait(context.settings.worker_poll_seconds)
