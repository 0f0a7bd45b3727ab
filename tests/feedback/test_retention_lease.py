"""The removal job renews its lease with every batch it commits, so a long first run after a
national catch-up stays one worker's; a run whose lease another worker took over stops after
the batch in hand, and the next run clears the rest."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ehoks.feedback.contacts import removal
from ehoks.feedback.models import FeedbackJob
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import LEASE
from ehoks.feedback.worker.run import run_once
from ehoks.hoks.models import Hoks
from tests.feedback.conftest import jobs, post, today, weekday_morning
from tests.feedback.test_retention_batches import (
    holding_address,
    plan_with_periods,
    removal_records,
    surveys_in,
)

PERIODS = 4


def retention_job(factory: sessionmaker[Session]) -> FeedbackJob:
    (job,) = jobs(factory, kind="retention")
    return job


def before_each_batch(monkeypatch: pytest.MonkeyPatch, step: Any) -> None:
    """Call `step` as each batch of either loop begins, before its transaction writes."""
    candidates, clear_batch = repository.retention_candidates, removal.clear_batch
    batches = {"run": 0}

    def next_batch() -> int:
        batches["run"] += 1
        return batches["run"]

    def plans(session: Session, **kwargs: Any) -> Any:
        step(next_batch())
        return candidates(session, **kwargs)

    def surveys(session: Session, **kwargs: Any) -> Any:
        step(next_batch())
        return clear_batch(session, **kwargs)

    monkeypatch.setattr(repository, "retention_candidates", plans)
    monkeypatch.setattr(removal, "clear_batch", surveys)


def test_every_batch_moves_the_lease_forward(caller, session_factory, context, monkeypatch):
    monkeypatch.setattr(removal, "BATCH", 1)
    post(caller, plan_with_periods(PERIODS))
    leases: list[datetime | None] = []
    before_each_batch(
        monkeypatch, lambda _: leases.append(retention_job(session_factory).leased_until)
    )

    later = weekday_morning(today() + timedelta(days=100))
    run_once(context, later)

    assert holding_address(session_factory) == []
    # Seen as each batch began: as claimed, then moved on by every batch that cleared something
    # (the plans' batch and one per survey; an empty batch, which ends its loop, renews nothing).
    assert len(leases) == 2 + PERIODS + 1  # each loop ends with an empty batch
    assert leases[0] == later + LEASE
    assert None not in leases
    assert leases == sorted(leases)  # type: ignore[type-var]
    assert len(set(leases)) == 1 + 1 + PERIODS
    job = retention_job(session_factory)
    assert (job.state, job.lease_token, job.leased_until) == ("done", None, None)


@pytest.mark.parametrize(
    "case",
    [
        # Before the plans' batch: the plan is cleaned, no survey's row yet.
        (1, 0),
        # Before the second survey's batch: that survey is cleared, the rest wait.
        (4, 2),
    ],
    ids=["before-the-plans", "before-a-survey"],
)
def test_a_run_whose_lease_was_taken_over_stops_after_its_batch(
    caller, session_factory, context, monkeypatch, case
):
    taken_over_at, cleared = case
    monkeypatch.setattr(removal, "BATCH", 1)
    hoks_id = post(caller, plan_with_periods(PERIODS))
    surveys = holding_address(session_factory)
    later = weekday_morning(today() + timedelta(days=100))
    other = str(uuid4())

    def take_over(batch: int) -> None:
        if batch != taken_over_at:
            return
        # Another worker claims the job as if this one's lease had run out.
        with session_factory() as session:
            session.execute(
                update(FeedbackJob)
                .where(FeedbackJob.kind == "retention")
                .values(lease_token=other, leased_until=later + 2 * LEASE)
            )
            session.commit()

    before_each_batch(monkeypatch, take_over)
    run_once(context, later)

    # The batch in hand was committed whole (audited), nothing after it was touched.
    assert holding_address(session_factory) == surveys[cleared:]
    records = removal_records(session_factory)
    assert set().union(*map(surveys_in, records)) == {str(i) for i in surveys[:cleared]}
    # The plans' batch went before either moment: its plan lost the instructor's address.
    with session_factory() as session:
        document = session.scalar(select(Hoks.document).where(Hoks.id == hoks_id))
    assert document is not None
    assert "aimo.ohjaaja@" not in document
    job = retention_job(session_factory)
    assert (job.state, job.lease_token) == ("pending", other)

    # The other worker's lease runs out unfinished: the next run takes the job and the rest.
    monkeypatch.undo()
    run_once(context, later + 3 * LEASE)
    assert holding_address(session_factory) == []
    cleared_paths = [
        path.split("/")[1]
        for record in removal_records(session_factory)
        for path in record.details["removed"]
        if path.endswith("/details/ohjaaja_sahkoposti")
    ]
    assert sorted(cleared_paths) == sorted(str(i) for i in surveys)
    assert retention_job(session_factory).state == "done"
