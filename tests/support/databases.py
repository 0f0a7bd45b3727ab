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
    """Every table of the schema as the migrations left it: no rows but the seeded ones, and
    every identity counting from 1 again.

    Only the tables that hold rows are emptied (a test touches a few of the schema's tables), and
    by DELETE rather than TRUNCATE: on PostgreSQL a TRUNCATE of every table replaces every
    table's files and takes about a second, a DELETE of a few small tables a few milliseconds.
    """
    tables = [t.name for t in reversed(metadata.sorted_tables)]  # children before parents
    with engine.begin() as conn:
        probe = " UNION ALL ".join(
            f"SELECT '{t}' AS name WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables
        )
        filled = set(conn.execute(text(probe)).scalars())
        for table in tables:
            if table in filled:
                conn.execute(text(f'DELETE FROM "{table}"'))
        if engine.dialect.name == "postgresql":
            # A sequence that has handed out a number starts again (its table may be empty: a
            # refused insert uses a number too).
            used = conn.execute(
                text(
                    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                    "FROM pg_sequences WHERE schemaname = current_schema() "
                    "AND last_value IS NOT NULL"
                )
            ).scalars()
            for sequence in used:
                conn.execute(text("SELECT setval(CAST(:s AS regclass), 1, false)"), {"s": sequence})
        elif conn.execute(
            text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'")
        ).first():
            # Restart INTEGER PRIMARY KEY AUTOINCREMENT counters, as RESTART IDENTITY does.
            conn.execute(text("DELETE FROM sqlite_sequence"))
    reseed(engine)


def reseed(engine: Engine) -> None:
    """Put back the rows the migrations seed (the audit chains' heads)."""
    with engine.begin() as conn:
        conn.execute(
            AuditChain.__table__.insert(),
            [{"chain": n, "length": 0, "head_hash": GENESIS_HASH} for n in range(CHAIN_COUNT)],
        )
