"""Creating, emptying and dropping the test databases."""

from __future__ import annotations

import os

import psycopg
from sqlalchemy import Engine, text

from ehoks.audit.models import CHAIN_COUNT, GENESIS_HASH, AuditChain
from ehoks.kit.db.models import metadata

ADMIN_URL = os.environ.get("EHOKS_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def create_database(name: str) -> str:
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}/{name}"


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def empty_all_tables(engine: Engine) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            quoted = ", ".join(f'"{t}"' for t in tables)
            conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))
            # Restart INTEGER PRIMARY KEY sequences, as RESTART IDENTITY does on PostgreSQL.
            if conn.execute(
                text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
            ).first():
                conn.execute(text("DELETE FROM sqlite_sequence"))
    reseed(engine)


def reseed(engine: Engine) -> None:
    """Put back the rows the migrations seed (the audit chains' heads)."""
    with engine.begin() as conn:
        conn.execute(
            AuditChain.__table__.insert(),
            [{"chain": n, "length": 0, "head_hash": GENESIS_HASH} for n in range(CHAIN_COUNT)],
        )
