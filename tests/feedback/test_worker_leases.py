"""A claim's jobs stay its worker's while the claim makes progress, however long it runs; a job
another worker took over (its lease ran out) is not run again, nothing of it is sent twice, and
an invitation not yet handed over is left for the other worker to send.

The first worker's clock is a test's (`Context.clock`): a call to the Arvo stand-in moves it on
by minutes, as a slow Arvo would; the second worker is a real one, run at that later moment
while the first one's call is on its way.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ehoks.feedback.models import FeedbackJob, FeedbackMessage
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import LEASE, Context
from ehoks.feedback.worker.run import run_once
from ehoks.feedback.worker.setup import build_context
from ehoks.kit.db.engine import transaction
from tests.feedback.conftest import feedback_rows, jobs, post, start_plan, today, weekday_morning
from tests.feedback.test_worker_batch import MATTI_EMAIL, STUDENT_LINKS, _more_surveys


class Clock:
    """Seconds that pass only when a test says so."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds

    def advance(self, delta: timedelta) -> None:
        self.seconds += delta.total_seconds()


def slow_worker(context: Context, clock: Clock) -> Context:
    """The first worker: the test's clock, its jobs one after another (on PostgreSQL too)."""
    settings = context.settings.model_copy(update={"worker_threads": 1})
    return dataclasses.replace(context, settings=settings, clock=clock)


def on_arvo(arvo, method: str, path: str, step: Callable[[], None]) -> None:
    """Run `step` while each `method` call to Arvo on `path` is on its way (not while one of
    `step`'s own calls is)."""
    busy = threading.Lock()

    def hook(seen_method: str, seen_path: str) -> None:
        if seen_method != method or not seen_path.startswith(path):
            return
        if busy.acquire(blocking=False):
            try:
                step()
            finally:
                busy.release()

    arvo.state.on_request = hook


def messages(factory: sessionmaker[Session]) -> list[tuple[str, str | None]]:
    with factory() as session:
        rows = session.scalars(select(FeedbackMessage).order_by(FeedbackMessage.id)).all()
        return [(row.state, row.reason) for row in rows]


def test_a_long_claim_keeps_its_jobs_and_another_worker_finds_none_to_take(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    _more_surveys(session_factory, 3)
    now = weekday_morning(today())
    clock = Clock()
    other = build_context(session_factory, context.settings)
    taken: list[Counter[str]] = []
    leases: list[bool] = []

    def four_minutes_later() -> None:
        # Each link takes four minutes: the claim's four outlive its first lease of ten.
        clock.advance(timedelta(minutes=4))
        moment = now + timedelta(seconds=clock.seconds)
        pending = [j for j in jobs(session_factory) if j.state == "pending" and j.lease_token]
        leases.append(all(j.leased_until is not None and j.leased_until > moment for j in pending))
        taken.append(run_once(other, moment))

    on_arvo(arvo, "POST", STUDENT_LINKS, four_minutes_later)
    outcomes = run_once(slow_worker(context, clock), now)

    assert len(taken) == 4
    assert clock.seconds > LEASE.total_seconds()
    # While the first worker went on, every job of its claim was leased beyond that moment,
    # and the other worker found nothing to take.
    assert leases == [True] * 4
    assert taken == [Counter()] * 4
    assert (outcomes["handle"], outcomes["invite"], outcomes["taken_over"]) == (4, 4, 0)
    # Each survey's link was asked for once, and each invitation went once.
    requests = Counter(body["request_id"] for body in arvo.state.posts(STUDENT_LINKS))
    assert sorted(requests.values()) == [1, 1, 1, 1]
    assert len(inbox.to(MATTI_EMAIL)) == 4
    assert {row.state for row in feedback_rows(session_factory)} == {"lahetetty"}


def _queue(factory: sessionmaker[Session], feedback_id: int, now: datetime) -> None:
    """Arvo's notice of the sending (an `arvo_sent` job), then a staff's resend, both due."""
    with factory() as session:
        for kind, key, payload in [
            ("arvo_sent", f"arvo_sent|{feedback_id}", {}),
            ("invite", f"resend|{feedback_id}|{now.isoformat()}", {"resend": True}),
        ]:
            session.add(
                FeedbackJob(
                    key=key,
                    kind=kind,
                    feedback_id=feedback_id,
                    state="pending",
                    due_at=now,
                    attempts=0,
                    payload=payload,
                )
            )
            session.flush()
        session.commit()


def test_a_job_taken_over_while_it_waited_its_turn_is_not_run_again(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    now = weekday_morning(today())
    run_once(context, now)
    assert len(inbox.to(MATTI_EMAIL)) == 1
    (survey,) = feedback_rows(session_factory)
    later = now + timedelta(hours=1)
    _queue(session_factory, survey.id, later)
    clock = Clock()
    other = build_context(session_factory, context.settings)
    taken: list[Counter[str]] = []

    def stalled() -> None:
        # The first worker's call to Arvo outlives the claim's lease; meanwhile another worker
        # takes the claim's jobs over and does them, the staff's resend among them.
        clock.advance(LEASE + timedelta(minutes=1))
        taken.append(run_once(other, later + timedelta(seconds=clock.seconds)))

    on_arvo(arvo, "PATCH", STUDENT_LINKS, stalled)
    outcomes = run_once(slow_worker(context, clock), later)

    assert taken == [Counter({"arvo_sent": 1, "invite": 1})]
    # The first worker's notice was under way when it lost the claim; the resend, still
    # waiting its turn, was the other worker's by then and went once, from there.
    assert outcomes["taken_over"] == 1
    assert outcomes["invite"] == 0
    assert len(inbox.to(MATTI_EMAIL)) == 2
    assert messages(session_factory) == [("lahetetty", None), ("lahetetty", None)]
    left = {(j.kind, j.state, j.lease_token) for j in jobs(session_factory) if j.state != "done"}
    assert left == {("expire", "pending", None)}  # due when the answer time is over


def test_an_invitation_not_handed_over_when_its_job_was_taken_over_is_sent_by_the_other(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    now = weekday_morning(today())
    clock = Clock()
    claimed_at = now + LEASE + timedelta(minutes=1)
    other = str(uuid4())

    def claimed_elsewhere() -> None:
        # Arvo's status, asked before the invitation goes, takes longer than the lease; another
        # worker claims the job meanwhile (and then stops before it gets to it).
        clock.advance(LEASE + timedelta(minutes=1))
        with transaction(session_factory) as session:
            (job,) = repository.claim(session, now=claimed_at, limit=50, lease=LEASE, token=other)
        assert job.kind == "invite"

    on_arvo(arvo, "GET", STUDENT_LINKS + "/status/", claimed_elsewhere)
    outcomes = run_once(slow_worker(context, clock), now)

    # Nothing went, and nothing is left that looks as if it might have.
    assert (outcomes["handle"], outcomes["taken_over"], outcomes["invite"]) == (1, 1, 0)
    assert inbox.to(MATTI_EMAIL) == []
    assert messages(session_factory) == []
    (invite,) = jobs(session_factory, kind="invite")
    assert (invite.state, invite.lease_token) == ("pending", other)

    # The other worker's lease runs out unused; the next run sends the invitation, once.
    arvo.state.on_request = None
    run_once(context, claimed_at + LEASE + timedelta(minutes=1))
    assert len(inbox.to(MATTI_EMAIL)) == 1
    assert messages(session_factory) == [("lahetetty", None)]
    assert feedback_rows(session_factory)[0].state == "lahetetty"
