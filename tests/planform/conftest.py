"""Arranging plan-form tests: the people tests' registry, plans and signed-in staff."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ehoks.hoks import writes as hoks_writes
from tests.people.conftest import EETU, example_for, hoks, registry, staff  # noqa: F401 - fixtures
from tests.support.actors import trusted_actor

EETU_STUDY_RIGHT = "1.2.246.562.15.20251000061"


@pytest.fixture
def provider_plan(registry: None, session_factory: sessionmaker[Session]) -> int:  # noqa: F811
    """Eetu's plan as a provider's student information system sent it (not typed in by staff)."""
    del registry
    document = example_for("hoks_ainoastaan_ammatillisia.json", EETU, EETU_STUDY_RIGHT)
    identify_periods(document)
    with session_factory() as session:
        now = datetime.now(UTC)
        stored = hoks_writes.create_hoks(
            session, document, trusted_actor(session), today=now.date(), now=now
        )
        session.commit()
    return stored.id


def identify_periods(value: object) -> None:
    """A provider system names every learning period (the service API requires it)."""
    if isinstance(value, list):
        for item in value:
            identify_periods(item)
    elif isinstance(value, dict):
        if "osaamisen-hankkimistapa-koodi-uri" in value:
            value.setdefault("yksiloiva-tunniste", str(uuid.uuid4()))
        for item in value.values():
            identify_periods(item)
