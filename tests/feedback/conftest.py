"""What the feedback tests share: a plan posted through the provider API, and reading its
feedback back from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ehoks.config import Settings
from ehoks.feedback.models import Feedback, FeedbackEvent, FeedbackJob
from ehoks.feedback.rules import WORKPLACE_CODES
from ehoks.feedback.worker.context import Context
from ehoks.feedback.worker.setup import build_context
from tests.support.api import Caller, fresh_example, load_registry, make_caller, owner_of

HELSINKI = ZoneInfo("Europe/Helsinki")
# Provider A's students in the registry test data.
MATTI = "1.2.246.562.24.44651722625"
MATTI_RIGHTS = ("1.2.246.562.15.76811932045", "1.2.246.562.15.76811932052")
PROVIDER_A = "1.2.246.562.10.53642770753"


def today() -> date:
    return datetime.now(HELSINKI).date()


def start_plan(opiskeluoikeus: str = MATTI_RIGHTS[0], **fields: Any) -> dict[str, Any]:
    """A plan of Matti's first approved today, unless `fields` say otherwise."""
    document = fresh_example("hoks_ainoastaan_ammatillisia.json")
    document["opiskeluoikeus-oid"] = opiskeluoikeus
    document["oppija-oid"] = MATTI
    document["ensikertainen-hyvaksyminen"] = today().isoformat()
    document["sahkoposti"] = "matti.meikalainen@example.fi"
    # Student surveys only: the example's workplace periods (of 2019) go.
    for unit in document.get("hankittavat-ammat-tutkinnon-osat", []):
        unit["osaamisen-hankkimistavat"] = [
            period
            for period in unit.get("osaamisen-hankkimistavat", [])
            if period["osaamisen-hankkimistapa-koodi-uri"] not in WORKPLACE_CODES
        ]
    document.update(fields)
    return document


@pytest.fixture
def caller(http, session_factory) -> Caller:
    load_registry(session_factory)
    school, _ = owner_of(session_factory, MATTI_RIGHTS[0])
    return make_caller(http, session_factory, school)


def post(caller: Caller, document: dict[str, Any]) -> int:
    response = caller.post("/hoks", document)
    assert response.status_code == 200, response.text
    return int(response.json()["meta"]["id"])


def feedback_rows(factory: sessionmaker[Session], **where: Any) -> list[Feedback]:
    with factory() as session:
        statement = select(Feedback).filter_by(**where).order_by(Feedback.id)
        return list(session.scalars(statement))


def events(factory: sessionmaker[Session], feedback_id: int) -> list[FeedbackEvent]:
    with factory() as session:
        statement = select(FeedbackEvent).filter_by(feedback_id=feedback_id)
        return list(session.scalars(statement.order_by(FeedbackEvent.id)))


def jobs(factory: sessionmaker[Session], **where: Any) -> list[FeedbackJob]:
    with factory() as session:
        return list(
            session.scalars(select(FeedbackJob).filter_by(**where).order_by(FeedbackJob.id))
        )


# The real SMTP server of the instructor tests, and the Arvo stand-in.
from tests.instructor.conftest import inbox, smtp_server  # noqa: E402, F401
from tests.people.conftest import staff, student  # noqa: E402, F401
from tests.support.arvo import ARVO_PASSWORD, ARVO_USERNAME, arvo, arvo_server  # noqa: E402, F401


def weekday_morning(day: date) -> datetime:
    """10:00 Helsinki on `day` or the first weekday after it (inside the default window)."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, time(10), HELSINKI).astimezone(UTC)


def when_invitations_go(
    context: Context, factory: sessionmaker[Session], after: datetime
) -> datetime:
    """A moment, after `after`, at which the worker sends every invitation queued so far.

    Staff requests queue theirs at the real clock, which may be later in the day than the
    tests' morning, or outside the sending window.
    """
    with factory() as session:
        latest = session.scalar(
            select(func.max(FeedbackJob.due_at)).where(
                FeedbackJob.kind == "invite", FeedbackJob.state != "done"
            )
        )
    moment = max(after, latest) if latest else after
    return context.window.next_open(moment)


@pytest.fixture
def worker_settings(settings: Settings, smtp_server, arvo) -> Settings:  # noqa: F811
    controller, _ = smtp_server
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": controller.port,
            "arvo_url": arvo.url,
            "arvo_username": ARVO_USERNAME,
            "arvo_password": ARVO_PASSWORD,
            "arvo_timeout_seconds": 0.5,
        }
    )


@pytest.fixture
def context(session_factory, worker_settings: Settings) -> Context:
    return build_context(session_factory, worker_settings)
