"""Alembic environment: runs migrations on the engine the caller gives, or on the configured URL."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from ehoks.config import get_settings
from ehoks.kit.db.engine import build_engine, is_sqlite
from ehoks.kit.db.models import metadata

config = context.config


def _for_this_database(connection: Connection) -> Any:
    """Leave PostgreSQL-only objects (e.g. a pg_trgm index) out of SQLite's comparison."""
    postgresql = connection.dialect.name == "postgresql"

    def include(item: object, _name: object, kind: str, _reflected: object, _other: object) -> bool:
        info = getattr(item, "info", {}) if kind == "index" else {}
        return postgresql or not info.get("postgresql_only")

    return include


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=is_sqlite(str(connection.engine.url)),
        compare_type=True,
        include_object=_for_this_database(connection),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = build_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `ehoks db upgrade`")
run_migrations_online()
