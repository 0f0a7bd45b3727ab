"""Running chosen due jobs at once, for the palaute backend's routes (ehoks-api.md 3.12).

The routes ask for what the worker would do on its next round (create the links that are due,
send the invitations that are due), for one HOKS, one workplace feedback or everything due. The
jobs are claimed exactly as the worker claims them (a lease, `SKIP LOCKED` on PostgreSQL), so a
worker running beside them never does the same job twice, and each runs through the worker's
own handler with its retries and parking. A call runs at most `LIMIT` jobs, one after another;
the rest wait for the worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final
from uuid import uuid4

from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import LEASE, Context
from ehoks.feedback.worker.lease import Claim
from ehoks.feedback.worker.run import job_pool, run_jobs
from ehoks.kit.db.engine import transaction

LIMIT: Final = 200


@dataclass(frozen=True, slots=True)
class Selection:
    """Which due jobs: of `job_kind`, of workplace feedback or student surveys, optionally of
    one HOKS or one feedback."""

    job_kind: str
    workplace: bool
    hoks_id: int | None = None
    feedback_id: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    feedback_id: int
    state: str
    tunnus: str | None
    link: str | None
    delivery: str | None


def run_now(context: Context, selection: Selection, now: datetime) -> list[Outcome]:
    """Run the selected due jobs now; what became of each one's feedback."""
    token = str(uuid4())
    with transaction(context.factory) as session:
        jobs = repository.claim_selected(
            session,
            now=now,
            lease=LEASE,
            token=token,
            limit=LIMIT,
            job_kind=selection.job_kind,
            workplace=selection.workplace,
            hoks_id=selection.hoks_id,
            feedback_id=selection.feedback_id,
        )
    # One after another, in the calling request's thread: a web process keeps one connection
    # per request thread (ehoks.app.bound_request_threads), and threads of the call's own would
    # each need one more. The claim's leases are renewed as its jobs go (worker.lease).
    claim = Claim(context.factory, jobs, at=now, clock=context.clock)
    with job_pool(context, threads=1) as pool:
        run_jobs(context, claim, now, pool=pool)
    ids = [job.feedback_id for job in jobs if job.feedback_id is not None]
    with transaction(context.factory) as session:
        rows = repository.feedback_by_ids(session, ids)
        deliveries = repository.latest_deliveries(session, ids)
    return [
        Outcome(row.id, row.state, row.arvo_tunniste, row.link, deliveries.get(row.id))
        for row in rows
    ]
