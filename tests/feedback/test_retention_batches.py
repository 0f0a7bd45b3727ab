"""After a national catch-up the first removal of instructors' addresses may face very many
feedback rows: it clears them a bounded batch at a time, each batch committed on its own, so a
run that stops half-way keeps what it cleared and the next run goes on from there."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from ehoks.feedback.contacts import removal
from ehoks.feedback.worker.run import run_once
from tests.feedback.conftest import feedback_rows, post, today, weekday_morning
from tests.feedback.test_exclusions import workplace_plan

OPERATION = "retention.remove-contact-data"
PERIODS = 5
SMALL_BATCH = 2


def plan_with_periods(count: int) -> dict[str, Any]:
    """One plan with `count` workplace periods that ended yesterday: a survey each."""
    document = workplace_plan()
    unit = document["hankittavat-ammat-tutkinnon-osat"][0]
    (period,) = unit["osaamisen-hankkimistavat"]
    periods = []
    for number in range(count):
        copied = copy.deepcopy(period)
        copied["yksiloiva-tunniste"] = f"jakso-{number + 1}"
        periods.append(copied)
    unit["osaamisen-hankkimistavat"] = periods
    return document


def holding_address(factory) -> list[int]:
    return sorted(
        row.id
        for row in feedback_rows(factory, kind="tyopaikkajakson_suorittaneet")
        if row.details.get("ohjaaja_sahkoposti")
    )


def surveys_in(record: AuditEvent) -> set[str]:
    """The surveys whose own row a removal record names (not their events' or messages')."""
    return {
        path.split("/")[1] for path in record.details["removed"] if path.startswith("feedback/")
    }


def removal_records(factory) -> list[AuditEvent]:
    with factory() as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.operation == OPERATION).order_by(AuditEvent.id)
            )
        )


def test_more_rows_than_a_batch_are_all_cleared_a_batch_per_transaction(
    caller, session_factory, context, monkeypatch
):
    monkeypatch.setattr(removal, "BATCH", SMALL_BATCH)
    hoks_id = post(caller, plan_with_periods(PERIODS))
    surveys = holding_address(session_factory)
    assert len(surveys) == PERIODS

    # The third batch fails: the two before it were committed and stay cleared.
    batches = {"run": 0}
    scrub_events = removal.repository.events_of

    def failing_third(session: Any, ids: Any) -> Any:
        batches["run"] += 1
        if batches["run"] == 3:
            raise RuntimeError("the database went away")
        return scrub_events(session, ids)

    monkeypatch.setattr(removal.repository, "events_of", failing_third)
    later = weekday_morning(today() + timedelta(days=100))
    run_once(context, later)
    assert holding_address(session_factory) == surveys[2 * SMALL_BATCH :]
    first = removal_records(session_factory)
    assert set().union(*map(surveys_in, first)) == {str(i) for i in surveys[: 2 * SMALL_BATCH]}

    # The next run goes on from there and clears the rest, each survey audited once.
    monkeypatch.setattr(removal.repository, "events_of", scrub_events)
    run_once(context, later + timedelta(days=1))
    assert holding_address(session_factory) == []
    records = removal_records(session_factory)
    assert all(record.hoks_id == hoks_id for record in records)
    cleared = [
        path.split("/")[1]
        for record in records
        for path in record.details["removed"]
        if path.endswith("/details/ohjaaja_sahkoposti")
    ]
    assert sorted(cleared) == sorted(str(i) for i in surveys)
    # A record per batch and plan: no transaction held more than a batch of surveys.
    assert all(len(surveys_in(record)) <= SMALL_BATCH for record in records)
