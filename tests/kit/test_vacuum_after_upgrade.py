"""An upgrade that runs a migration's backfill vacuums and analyses the table it filled
(`VACUUM_AFTER`), so that the searches' index-only ranges do not read the heap for every entry
until autovacuum gets there. PostgreSQL only: SQLite has no visibility map."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import sessionmaker

from ehoks.kit.db import migrate
from tests.staffpages.test_name_words import _write_plans
from tests.support.migrations import downgrade, own_database


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with own_database("postgresql", tmp_path) as engine:
        yield engine


def _all_visible_pages(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        query = text("SELECT relallvisible FROM pg_class WHERE relname = :table")
        return int(connection.execute(query, {"table": table}).scalar_one())


def test_an_upgrade_that_backfills_vacuums_the_tables_it_filled(engine: Engine) -> None:
    _write_plans(sessionmaker(engine))
    downgrade(engine, "0025")
    migrate.upgrade(engine)
    # The backfill's rows are all-visible: a vacuum ran after the upgrade (a table just filled
    # by INSERT ... SELECT has none).
    assert _all_visible_pages(engine, "hoks_name_suffix") > 0
    with engine.connect() as connection:
        analysed = connection.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = 'hoks_name_suffix'")
        ).scalar_one()
    assert analysed > 0


def test_only_the_applied_migrations_name_their_tables() -> None:
    config = migrate.alembic_config()
    assert migrate.tables_filled(config, "0025", "0026") == ["hoks_name_suffix"]
    assert migrate.tables_filled(config, "0023", "0026") == [
        "hoks_name_word",
        "workplace_period",
        "hoks_name_suffix",
    ]
    assert migrate.tables_filled(config, "0026", "0026") == []
