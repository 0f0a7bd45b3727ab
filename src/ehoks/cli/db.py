"""`ehoks db`: the database schema."""

from __future__ import annotations

import click

from ehoks.cli.common import fail, open_engine
from ehoks.kit.db import migrate


@click.group()
def db() -> None:
    """Manage the database schema (Alembic migrations)."""


@db.command()
def upgrade() -> None:
    """Apply every pending migration to the database in EHOKS_DATABASE_URL."""
    engine = open_engine()
    try:
        migrate.upgrade(engine)
    except Exception as exc:  # noqa: BLE001 - any failure is reported as one line
        fail(f"migration failed: {exc}")
    finally:
        engine.dispose()
    click.echo(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")


@db.command()
def check() -> None:
    """Fail if the code's tables differ from what the migrations build (for CI)."""
    engine = open_engine()
    try:
        migrate.check(engine)
    except Exception as exc:  # noqa: BLE001
        fail(str(exc))
    finally:
        engine.dispose()
    click.echo("migrations match the models")
