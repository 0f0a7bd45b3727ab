"""The catch-up run: plans stored before feedback existed get the feedback a write would have
given them, in batches, once, and a stopped run goes on where it got to."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from ehoks.feedback.catchup.pipeline import ThreadWriter
from ehoks.feedback.catchup.run import _batches, _cursor, _store_rows, _store_staged, catch_up
from ehoks.feedback.models import Feedback, FeedbackCatchUp, FeedbackEvent, FeedbackJob
from tests.feedback.conftest import feedback_rows, post, start_plan, today
from tests.feedback.test_exclusions import workplace_plan
from tests.support.cli import ehoks


def _decided(factory) -> list[tuple[Any, ...]]:
    return sorted(
        (r.key, r.kind, r.state, r.reason, r.hoks_id, r.herate_date, r.valid_to)
        for r in feedback_rows(factory)
    )


def _forget_feedback(factory) -> None:
    """As before feedback existed: the plans stay, their feedback goes."""
    with factory() as session:
        for table in (FeedbackJob, FeedbackEvent, Feedback, FeedbackCatchUp):
            session.execute(delete(table))
        session.commit()


def _plans(caller) -> None:
    # start and end surveys due today; a start survey and an ended period's workplace feedback
    post(caller, start_plan(**{"osaamisen-saavuttamisen-pvm": today().isoformat()}))
    post(caller, workplace_plan())


def test_catch_up_gives_what_the_writes_gave_once_and_resumes(caller, session_factory):
    _plans(caller)
    written = _decided(session_factory)
    assert {row[1] for row in written} >= {"aloittaneet", "tyopaikkajakson_suorittaneet"}
    _forget_feedback(session_factory)

    now = datetime.now(UTC)
    first = catch_up(session_factory, now, batch=1, max_batches=1)
    assert (first.plans, first.finished) == (1, False)
    with session_factory() as session:
        progress = session.get(FeedbackCatchUp, "catch-up")
        assert progress is not None
        assert progress.last_hoks_id == first.last_hoks_id
    rest = catch_up(session_factory, now, batch=1)
    assert (rest.plans, rest.finished) == (1, True)
    assert _decided(session_factory) == written
    with session_factory() as session:
        pending = session.scalar(
            select(func.count()).select_from(Feedback).where(Feedback.state == "odottaa_kasittelya")
        )
        handle_jobs = session.scalar(select(func.count()).select_from(FeedbackJob))
        events = session.scalars(select(FeedbackEvent.details)).all()
    assert handle_jobs == pending >= 3
    assert all(details == {"operation": "catch-up"} for details in events)

    again = catch_up(session_factory, now, batch=1000)  # a finished run begins again
    assert (again.plans, again.surveys, again.finished) == (2, 0, True)
    assert _decided(session_factory) == written


def test_catch_up_leaves_surveys_of_later_writes_alone(caller, session_factory):
    hoks_id = post(caller, start_plan())
    (row,) = [r for r in feedback_rows(session_factory) if r.kind == "aloittaneet"]
    with session_factory() as session:  # the worker took it further meanwhile
        session.get(Feedback, row.id).state = "lahetetty"
        session.commit()
    done = catch_up(session_factory, datetime.now(UTC), restart=True)
    assert done.surveys == 0
    (kept,) = [r for r in feedback_rows(session_factory) if r.hoks_id == hoks_id]
    assert (kept.state, kept.herate_date) == ("lahetetty", today())


def test_the_command_reports_its_progress(caller, session_factory, database_url):
    _plans(caller)
    _forget_feedback(session_factory)
    result = ehoks("feedback", "catch-up", "--batch", "1", env={"EHOKS_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.stderr
    assert "2 plans" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("done: 2 plans")
    assert len(feedback_rows(session_factory)) >= 3


def test_a_failed_batch_stops_the_run_and_the_next_run_goes_on_from_the_last_commit(
    caller, session_factory
):
    _plans(caller)
    written = _decided(session_factory)
    _forget_feedback(session_factory)
    now = datetime.now(UTC)
    start = _cursor(session_factory, now, restart=True)
    stored = (
        _store_staged if session_factory.kw["bind"].dialect.name == "postgresql" else _store_rows
    )
    calls: list[int] = []

    def fails_on_the_second_batch(session, rows, at):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("the second batch")
        return stored(session, rows, at)

    writer = ThreadWriter(session_factory, fails_on_the_second_batch, now)
    writer.start(lambda *_: None)
    batches = list(_batches(session_factory, start, 1, max_batches=None, now=now, exhausted=[]))
    assert len(batches) == 2

    def hand_over() -> None:
        for batch in batches:
            writer.put(batch)
        writer.close(finish=True)

    with pytest.raises(RuntimeError, match="the second batch"):
        hand_over()
    writer.abort()
    with session_factory() as session:
        progress = session.get(FeedbackCatchUp, "catch-up")
        assert progress is not None
        assert (progress.last_hoks_id, progress.plans) == (batches[0].last_hoks_id, 1)
        assert progress.finished_at is None
    done = catch_up(session_factory, now)
    assert (done.plans, done.finished) == (1, True)
    assert _decided(session_factory) == written
