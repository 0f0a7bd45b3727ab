"""A database of one test alone, at the newest revision, for tests that take the migrations down
and up again (the suite's shared databases must stay at the head)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from sqlalchemy import Engine

from ehoks.kit.db import migrate
from ehoks.kit.db.engine import build_engine
from tests.support.databases import create_database, drop_database


@contextmanager
def own_database(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """A fresh SQLite file or PostgreSQL database, upgraded to the head; dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    else:
        url = create_database(f"ehoks_migration_{uuid.uuid4().hex[:12]}")
    engine = build_engine(url)
    try:
        migrate.upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        if backend == "postgresql":
            drop_database(url)


def downgrade(engine: Engine, revision: str) -> None:
    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
