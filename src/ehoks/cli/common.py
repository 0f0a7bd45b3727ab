"""Helpers every command uses: the configured database and one-line errors."""

from __future__ import annotations

import getpass
from typing import NoReturn

import click
from pydantic import ValidationError
from sqlalchemy import Engine

from ehoks.config import Settings, get_settings
from ehoks.kit.db.engine import build_engine


def load_settings() -> Settings:
    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        fail(f"invalid settings: {problems}")


def open_engine() -> Engine:
    return build_engine(load_settings().database_url)


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
