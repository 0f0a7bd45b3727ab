"""Helpers every command uses: the configured database and one-line errors."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ehoks.config import Settings, get_settings
from ehoks.kit.db.engine import build_engine, build_sessionmaker, transaction


def load_settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        fail(f"invalid settings: {problems}")


def open_engine(pool_size: int = 10) -> Engine:
    """The configured database, for at most `pool_size` threads holding a connection at once."""
    return build_engine(load_settings().database_url, pool_size=pool_size)


def fail(message: str) -> NoReturn:
    """Print one clear line on stderr and exit non-zero."""
    click.echo(f"error: {message}", err=True)
    raise SystemExit(1)


def operator_name() -> str:
    """Who runs the command, for the audit log (the login name, when the system knows it)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "operator"


@contextmanager
def database_session() -> Iterator[Session]:
    """One transaction on the configured database; a database error is one line and exit 1."""
    with database_sessions() as factory, transaction(factory) as session:
        yield session


@contextmanager
def database_sessions() -> Iterator[sessionmaker[Session]]:
    """Sessions of the configured database, for work done in several transactions; a database
    error is one line and exit 1 (what earlier transactions did stays)."""
    engine = open_engine()
    try:
        yield build_sessionmaker(engine)
    except SQLAlchemyError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        fail(f"database error: {detail} (is EHOKS_DATABASE_URL right and migrated?)")
    finally:
        engine.dispose()
