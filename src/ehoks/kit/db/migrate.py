"""Applying the Alembic migrations, for the CLI and for tests alike (no create_all anywhere)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent.parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url:
        # ConfigParser interpolation would choke on % in passwords.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision`; on PostgreSQL, then vacuum and analyse the tables
    that the applied migrations filled (their `VACUUM_AFTER`)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        before = MigrationContext.configure(connection).get_current_revision()
        command.upgrade(config, revision)
        after = MigrationContext.configure(connection).get_current_revision()
    if engine.dialect.name == "postgresql" and before is not None and after not in (None, before):
        _vacuumed(engine, tables_filled(config, before, after))


def tables_filled(config: Config, before: str, after: str) -> list[str]:
    """The tables named by `VACUUM_AFTER` of the migrations after `before` up to `after`.

    A migration that backfills a table whose searches read index-only ranges names it: the rows
    a backfill writes are not all-visible until a vacuum, so each index entry would send the
    read to the table's heap (at 50 000 plans a surname search through the name-suffix table
    took 40 ms instead of 2), and the planner has no statistics of a new table until autovacuum
    gets to it. A fresh database (no revision before) has nothing to backfill and is skipped."""
    script = ScriptDirectory.from_config(config)
    tables: list[str] = []
    for step in reversed(list(script.iterate_revisions(after, before))):
        for table in getattr(step.module, "VACUUM_AFTER", ()):
            if table not in tables:
                tables.append(table)
    return tables


def _vacuumed(engine: Engine, tables: list[str]) -> None:
    """`VACUUM (ANALYZE)` of each table, outside a transaction as VACUUM must be."""
    if not tables:
        return
    quote = engine.dialect.identifier_preparer.quote
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in tables:
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {quote(table)}")


def check(engine: Engine) -> None:
    """Fail when the models have changes that no migration describes (`alembic check`)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.check(config)
