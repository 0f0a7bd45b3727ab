"""An instructor recorded with a phone number alone loses it three months after the period ended,
as one with an e-mail address does; a plan once cleared is not found again (ehoks-api.md 5.10).

The removal finds the plans through the periods' `has_instructor_contact`, which the projection
writes from the instructor's `sahkoposti` and `puhelinnumero` and clears when the removal's
rewrite of the plan leaves neither."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ehoks.audit.models import AuditEvent
from ehoks.feedback.retention import three_months_before
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.run import run_once
from ehoks.hoks.models import Hoks
from ehoks.instructor.models import WorkplacePeriod
from tests.feedback.conftest import post, today, weekday_morning
from tests.feedback.test_exclusions import workplace_plan

INSTRUCTOR = "tyopaikalla-jarjestettava-koulutus/vastuullinen-tyopaikka-ohjaaja"
PHONE = "0401234567"
OPERATION = "retention.remove-contact-data"


def plan_ended(days_ago: int, **instructor: str | None) -> dict[str, Any]:
    """A plan whose one workplace period ended `days_ago`, its instructor's contact data as
    given (None: left out)."""
    return workplace_plan(
        alku=(today() - timedelta(days=days_ago + 60)).isoformat(),
        loppu=(today() - timedelta(days=days_ago)).isoformat(),
        **{f"{INSTRUCTOR}/{key}": value for key, value in instructor.items()},
    )


def instructor_of(factory: sessionmaker[Session], hoks_id: int) -> dict[str, Any]:
    with factory() as session:
        row = session.get(Hoks, hoks_id)
        assert row is not None
        document = orjson.loads(row.document)
    period = document["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    return dict(period["tyopaikalla-jarjestettava-koulutus"]["vastuullinen-tyopaikka-ohjaaja"])


def projected(factory: sessionmaker[Session], hoks_id: int) -> list[tuple[str | None, bool]]:
    with factory() as session:
        statement = select(
            WorkplacePeriod.instructor_email, WorkplacePeriod.has_instructor_contact
        ).where(WorkplacePeriod.hoks_id == hoks_id)
        return [(email, bool(flag)) for email, flag in session.execute(statement)]


def revision(factory: sessionmaker[Session], hoks_id: int) -> int:
    with factory() as session:
        return int(session.scalar(select(Hoks.revision).where(Hoks.id == hoks_id)) or 0)


def candidates_on(factory: sessionmaker[Session], day: date) -> list[tuple[int, bool]]:
    """What the removal job would find on `day` (one page from the start)."""
    with factory() as session:
        return repository.retention_candidates(
            session,
            cutoff=three_months_before(day),
            unchanged_since=weekday_morning(day) - timedelta(days=91),
            limit=100,
            after=0,
        )


def removals(factory: sessionmaker[Session], hoks_id: int) -> list[list[str]]:
    with factory() as session:
        statement = select(AuditEvent).where(
            AuditEvent.operation == OPERATION, AuditEvent.hoks_id == hoks_id
        )
        return [record.details["removed"] for record in session.scalars(statement)]


def test_a_phone_only_instructor_keeps_the_number_until_three_months_after_the_period(
    caller, session_factory, context
):
    hoks_id = post(caller, plan_ended(60, sahkoposti=None, puhelinnumero=PHONE))
    assert projected(session_factory, hoks_id) == [(None, True)]

    # Two months after the period: nothing is due yet.
    run_once(context, weekday_morning(today()))
    assert instructor_of(session_factory, hoks_id)["puhelinnumero"] == PHONE
    assert revision(session_factory, hoks_id) == 1
    assert removals(session_factory, hoks_id) == []

    # Over three months after it: the number goes, and the flag with it.
    later = today() + timedelta(days=40)
    assert candidates_on(session_factory, later) == [(hoks_id, False)]
    run_once(context, weekday_morning(later))
    instructor = instructor_of(session_factory, hoks_id)
    assert "puhelinnumero" not in instructor
    assert instructor["nimi"]  # only the contact data goes
    assert revision(session_factory, hoks_id) == 2
    assert projected(session_factory, hoks_id) == [(None, False)]
    (removed,) = removals(session_factory, hoks_id)
    period = "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0"
    assert removed == [f"{period}/{INSTRUCTOR}/puhelinnumero"]

    # The next run finds nothing: the plan is not read, rewritten or audited again.
    assert candidates_on(session_factory, later + timedelta(days=1)) == []
    run_once(context, weekday_morning(later + timedelta(days=1)))
    assert revision(session_factory, hoks_id) == 2
    assert len(removals(session_factory, hoks_id)) == 1


def test_an_email_only_instructor_is_cleared_as_before(caller, session_factory, context):
    hoks_id = post(caller, plan_ended(100, puhelinnumero=None))
    assert "sahkoposti" in instructor_of(session_factory, hoks_id)
    assert [flag for _, flag in projected(session_factory, hoks_id)] == [True]

    run_once(context, weekday_morning(today()))

    assert "sahkoposti" not in instructor_of(session_factory, hoks_id)
    assert projected(session_factory, hoks_id) == [(None, False)]
    assert candidates_on(session_factory, today() + timedelta(days=1)) == []


def test_an_instructor_with_neither_is_never_a_candidate(caller, session_factory):
    hoks_id = post(caller, plan_ended(100, sahkoposti=None, puhelinnumero=None))
    assert projected(session_factory, hoks_id) == [(None, False)]
    assert candidates_on(session_factory, today()) == []
