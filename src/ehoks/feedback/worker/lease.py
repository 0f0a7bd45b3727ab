"""A claim's leases kept while its jobs run, and a job that lost its lease stopped before it acts.

A claim leases each of its jobs for `LEASE` from the claim's moment; the jobs then run one
after another (SQLite) or a few side by side, so a job near the end of a claim of 50 (200 from
the palaute routes) starts long after its lease began. The worker therefore checks each job
(`Claim.keep`) before it begins and right before every call that acts outside the database
(creating a link in Arvo, telling Arvo, handing an e-mail over). A check renews the leases of
the whole claim with one statement once `RENEW_AFTER` has passed since the last renewal: while
the claim makes progress, every job of it, waiting or running, stays this worker's.

A check that finds the job no longer this worker's (its lease ran out and another worker
claimed it, or finished it) raises `LeaseLostError`: the job stops without acting, and the
worker leaves its row to the other worker. Between two checks a job makes at most one or two
calls, each bounded by its timeouts (docs/feedback.md, "Leases"), well within the
`LEASE - RENEW_AFTER` that a passed check leaves.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

from ehoks.feedback.models import FeedbackJob
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import LEASE
from ehoks.kit.db.engine import transaction

# How old the claim's last renewal may be when a check passes without renewing.
RENEW_AFTER: Final = timedelta(minutes=1)


class LeaseLostError(Exception):
    """The job's lease ran out and another worker took the job over: this one stops."""


class Claim:
    """The jobs of one claim (one lease token) and what this worker knows of their leases.

    `clock` counts seconds (monotonic); the claim's moment is `at` plus the seconds since the
    claim, as the leases in the database were written. Safe to use from the worker's threads.
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        jobs: Sequence[FeedbackJob],
        *,
        at: datetime,
        clock: Callable[[], float],
    ) -> None:
        self.jobs = list(jobs)
        self._factory = factory
        self._ids = [job.id for job in self.jobs]
        tokens = {job.lease_token for job in self.jobs}
        if len(tokens) > 1:
            raise ValueError("jobs of one claim only")
        self._token = tokens.pop() if tokens else None
        self._at = at
        self._clock = clock
        self._started = self._renewed = clock()
        self._gone: set[int] = set()
        self._lock = threading.Lock()

    def moment(self) -> datetime:
        """Now, on the clock the claim's leases were written with."""
        return self._at + timedelta(seconds=self._clock() - self._started)

    def held(self, job: FeedbackJob) -> bool:
        """Whether `job` is still this worker's, for at least `LEASE - RENEW_AFTER` more."""
        with self._lock:
            due = self._clock() - self._renewed >= RENEW_AFTER.total_seconds()
            if due and job.id not in self._gone:
                self._renew()
            return job.id not in self._gone

    def keep(self, job: FeedbackJob) -> None:
        """Go on with `job`; LeaseLostError if it is no longer this worker's."""
        if not self.held(job):
            raise LeaseLostError(f"job {job.id} was taken over by another worker")

    def kept(self, jobs: Sequence[FeedbackJob]) -> list[FeedbackJob]:
        """Those of `jobs` that are still this worker's."""
        return [job for job in jobs if self.held(job)]

    def _renew(self) -> None:
        started = self._clock()
        until = self._at + timedelta(seconds=started - self._started) + LEASE
        with transaction(self._factory) as session:
            mine = repository.renew_claim(session, self._ids, token=self._token, until=until)
        # Jobs of the claim no longer leased: finished here, or taken over by another worker.
        self._gone |= set(self._ids) - mine
        self._renewed = started
