"""Migration 0027: the name-word and name-suffix tables lose their foreign keys to `hoks` (their
per-row checks were most of a batch create's PostgreSQL CPU), and the downgrade puts them back
after removing rows whose plan is gone (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from ehoks.kit.db import migrate
from tests.support.migrations import downgrade, own_database

TABLES = ("hoks_name_word", "hoks_name_suffix")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    with own_database(request.param, tmp_path) as engine:
        yield engine


def _keys(engine: Engine) -> dict[str, list[str]]:
    found = inspect(engine)
    return {
        table: [key["referred_table"] for key in found.get_foreign_keys(table)] for table in TABLES
    }


def test_the_name_tables_have_no_foreign_keys_and_get_them_back_on_downgrade(engine: Engine):
    assert _keys(engine) == {table: [] for table in TABLES}
    with engine.begin() as connection:
        # A row whose plan is gone, as a deletion of a plan's row without its names leaves it.
        for table, column in (("hoks_name_word", "word"), ("hoks_name_suffix", "suffix")):
            connection.execute(
                text(
                    f"INSERT INTO {table} (hoks_id, owner_oid, {column}, sort_name)"
                    " VALUES (424242, '1.2.246.562.10.1', 'nen', 'Virtanen Matti')"
                )
            )
    downgrade(engine, "0026")
    assert _keys(engine) == {table: ["hoks"] for table in TABLES}
    with engine.connect() as connection:
        for table in TABLES:
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
    migrate.upgrade(engine)
    assert _keys(engine) == {table: [] for table in TABLES}
