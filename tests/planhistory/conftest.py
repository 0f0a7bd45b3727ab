"""A plan with several revisions, and students and staff to look at it through the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from ehoks.hoks import writes as hoks_writes
from ehoks.hoks.models import Hoks, HoksRevision
from ehoks.hoksmodel import Variant
from tests.people.conftest import (  # noqa: F401 - fixtures used by the tests
    MAIJA,
    MATTI,
    registry,
    staff,
    store_hoks,
    student,
)
from tests.support.actors import trusted_actor
from tests.support.api import fresh_example

UNITS = "hankittavat-ammat-tutkinnon-osat"
PERIODS = "osaamisen-hankkimistavat"
# Version 1 was in force from this day (Finnish time) for ten days, version 2 for ten more.
FIRST_DAY = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


def revise(factory: sessionmaker[Session], hoks_id: int, edit: Callable[[dict[str, Any]], None]):
    """Replace the HOKS with an edited copy of itself, as a provider system's PUT would."""
    with factory() as session:
        row = session.get(Hoks, hoks_id)
        assert row is not None
        document = {"id": row.id, "eid": row.eid, **orjson.loads(row.document)}
        edit(document)
        now = datetime.now(UTC)
        change = hoks_writes.Change(hoks_id, document, None, now.date(), now)
        hoks_writes.replace_hoks(session, change, trusted_actor(session, Variant.STAFF))
        session.commit()


def spread_over_days(factory: sessionmaker[Session], hoks_id: int) -> None:
    """Move the versions' times apart: version n in force from FIRST_DAY + 10 (n - 1) days."""
    with factory() as session:
        row = session.get(Hoks, hoks_id)
        assert row is not None
        for number in range(1, row.revision):
            session.execute(
                update(HoksRevision)
                .where(HoksRevision.hoks_id == hoks_id, HoksRevision.revision == number)
                .values(
                    valid_from=FIRST_DAY + timedelta(days=10 * (number - 1)),
                    valid_to=FIRST_DAY + timedelta(days=10 * number),
                )
            )
        row.updated_at = FIRST_DAY + timedelta(days=10 * (row.revision - 1))
        row.created_at = FIRST_DAY
        session.commit()


def _second(document: dict[str, Any]) -> None:
    """Version 2: the first workplace period ends later and has other key tasks."""
    period = document[UNITS][0][PERIODS][0]
    period["loppu"] = "2019-04-30"
    period["tyopaikalla-jarjestettava-koulutus"]["keskeiset-tyotehtavat"] = ["Asennus", "Huolto"]


def _third(document: dict[str, Any]) -> None:
    """Version 3: a demonstration removed, the student's e-mail address changed."""
    document[UNITS][0]["osaamisen-osoittaminen"] = []
    document["sahkoposti"] = "maija.uusi@example.fi"


@pytest.fixture
def plan(registry: None, session_factory: sessionmaker[Session]) -> int:  # noqa: F811 - the fixture
    """Maija's plan (hoks-full.json) in three versions, ten days apart from 5 January 2026."""
    del registry
    hoks_id = store_hoks(session_factory, fresh_example("hoks-full.json"))
    revise(session_factory, hoks_id, _second)
    revise(session_factory, hoks_id, _third)
    spread_over_days(session_factory, hoks_id)
    return hoks_id


@pytest.fixture
def maija(student: Any) -> Any:  # noqa: F811 - the fixture
    return student(MAIJA)


@pytest.fixture
def matti(student: Any) -> Any:  # noqa: F811 - the fixture
    return student(MATTI)
