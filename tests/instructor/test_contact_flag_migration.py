"""Migration 0025 sets `has_instructor_contact` of the periods that existed before it, from the
stored documents, exactly as the projection sets it on a write (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ehoks.hoks.models import Hoks
from ehoks.instructor.models import WorkplacePeriod
from ehoks.instructor.projection import refresh_periods
from ehoks.kit.db import migrate
from tests.support.api import fresh_example
from tests.support.migrations import downgrade, own_database

BEFORE = "0024"
INSTRUCTOR = "vastuullinen-tyopaikka-ohjaaja"
# More small plans than the migration reads in one batch (500), so that its keyset paging is
# part of what is tested.
SMALL_PLANS = 620


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A fresh database of each backend at the newest revision, of this test alone (it goes
    down and up again)."""
    with own_database(request.param, tmp_path) as engine:
        yield engine


def with_module_ids(document: dict[str, Any]) -> dict[str, Any]:
    """The document as storage keeps it: every part with a `module-id`."""
    for key in ("hankittavat-ammat-tutkinnon-osat", "hankittavat-paikalliset-tutkinnon-osat"):
        for unit in document.get(key, []):
            unit["module-id"] = str(uuid.uuid4())
            for period in unit.get("osaamisen-hankkimistavat", []):
                period["module-id"] = str(uuid.uuid4())
    for unit in document.get("hankittavat-yhteiset-tutkinnon-osat", []):
        unit["module-id"] = str(uuid.uuid4())
        for area in unit.get("osa-alueet", []):
            area["module-id"] = str(uuid.uuid4())
            for period in area.get("osaamisen-hankkimistavat", []):
                period["module-id"] = str(uuid.uuid4())
    return document


def full_plan(contact: dict[str, str]) -> dict[str, Any]:
    """The national full example (periods of every kind of unit), its first vocational unit's
    workplace instructors with only `contact`."""
    document = fresh_example("hoks-full.json")
    for period in document["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"]:
        workplace = period.get("tyopaikalla-jarjestettava-koulutus")
        if workplace and INSTRUCTOR in workplace:
            workplace[INSTRUCTOR] = {"nimi": "Olli Ohjaaja", **contact}
    return with_module_ids(document)


def small_plan(number: int) -> dict[str, Any]:
    """One workplace period; its instructor with a phone only, an address only, or neither."""
    example = fresh_example("hoks-full.json")["hankittavat-ammat-tutkinnon-osat"][0]
    period = example["osaamisen-hankkimistavat"][0]
    period["tyopaikalla-jarjestettava-koulutus"][INSTRUCTOR] = {"nimi": "Olli Ohjaaja"} | [
        {"puhelinnumero": f"040{number:07d}"},
        {"sahkoposti": f"ohjaaja{number}@example.fi"},
        {},
    ][number % 3]
    unit = {"tutkinnon-osa-koodi-uri": "tutkinnonosat_106705", "osaamisen-hankkimistavat": [period]}
    return with_module_ids({"hankittavat-ammat-tutkinnon-osat": [unit]})


def store(session: Session, number: int, document: dict[str, Any]) -> None:
    """A plan row and its periods as the projection writes them."""
    now = datetime.now(UTC)
    row = Hoks(
        eid=str(uuid.uuid4()),
        oppija_oid=f"1.2.246.562.24.{number:011d}",
        opiskeluoikeus_oid=f"1.2.246.562.15.{number:011d}",
        document=orjson.dumps(document).decode(),
        created_by="test",
        updated_by="test",
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    refresh_periods(session, row.id, document)


def flags(engine: Engine) -> dict[str, bool]:
    with Session(engine) as session:
        statement = select(WorkplacePeriod.module_id, WorkplacePeriod.has_instructor_contact)
        return {module: bool(flag) for module, flag in session.execute(statement)}


def test_the_backfill_sets_the_flag_the_projection_sets(engine):
    phone_only = full_plan({"puhelinnumero": "0401234567"})
    email_only = full_plan({"sahkoposti": "olli.ohjaaja@example.fi"})
    neither = full_plan({})
    with Session(engine) as session:
        for number, document in enumerate((phone_only, email_only, neither), start=1):
            store(session, number, document)
        for number in range(SMALL_PLANS):
            store(session, 1000 + number, small_plan(number))
        session.commit()
    projected = flags(engine)
    first = phone_only["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    # What the projection writes: the phone alone counts; an instructor without either does not.
    assert projected[first["module-id"]] is True
    unflagged = neither["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    assert projected[unflagged["module-id"]] is False
    assert sum(projected.values()) > SMALL_PLANS * 2 // 3
    assert not all(projected.values())

    downgrade(engine, BEFORE)
    migrate.upgrade(engine)

    assert flags(engine) == projected
