"""Engines and sessions for SQLite (embedded default) and PostgreSQL.

One transaction per request or command: the caller that opens a session commits it; services never
commit (CONVENTIONS 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from psycopg import _queries as psycopg_queries  # its one setting, see below
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ehoks.kit.db.arrays import use_quoted_arrays

SQLITE_BUSY_TIMEOUT_MS = 30_000
# An execution option of the engine behind `build_read_sessionmaker`: its transactions only read.
READS_ONLY = "ehoks_reads_only"
# A database host that does not answer at all fails a request after this, not the OS's minutes.
CONNECT_TIMEOUT_S = 5
# An execution option of a statement: PostgreSQL plans it for its values on every run (not
# prepared on the server, where after five runs a generic plan is kept for any value). For
# statements whose best plan depends on a value, such as a name search's LIKE pattern.
PLANNED_PER_RUN = "ehoks_planned_per_run"
# psycopg converts a statement's `%(name)s` placeholders to PostgreSQL's `$n` on every run, and
# remembers the conversion only for texts up to 4 096 bytes. The staff lists' statements that
# match words are 4.3-6.3 kB: converting each again cost 0.1-0.2 ms of CPU a run
# (bench/README.md). Texts up to this length are remembered (psycopg's cache of 128 texts).
CONVERTED_TEXT_BYTES = 8192


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def build_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine whose pool keeps up to `pool_size` connections open and never opens more.

    `pool_size` is the number of threads that can hold a connection at once: each holds at most
    one. No overflow: connections beyond the kept ones were opened and closed again under load,
    each a new PostgreSQL backend (its start-up, our `connect` set-up, and psycopg's prepared
    statements lost). The caller bounds its threads instead (`ehoks.app`, `ehoks worker`); a
    thread that found the pool empty all the same would wait for a connection, and after 30 s
    be answered 503 (docs/operations.md, "Database connections").
    """
    if is_sqlite(url):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            hide_parameters=True,
            **_sqlite_pool(url, pool_size),
        )
        event.listen(engine, "connect", _configure_sqlite_connection)
        # pysqlite's own transaction handling defers BEGIN and breaks SERIALIZABLE-style
        # compare-and-set; take control of BEGIN ourselves (SQLAlchemy docs, "Serializable
        # isolation / Savepoints / Transactional DDL").
        event.listen(engine, "begin", _begin_immediate_when_writing)
        return engine
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=0,
        # No pre-ping: it costs a round trip per request. A connection the server dropped fails
        # one request (503, nothing written) and is replaced; recycling keeps them fresh.
        pool_recycle=1800,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
        # Error texts (and so log lines) never carry the statements' values: they hold e-mail
        # addresses, sign-in state, PKCE verifiers and audit rows (docs/operations.md).
        hide_parameters=True,
    )
    event.listen(engine, "connect", _configure_postgresql_connection)
    event.listen(engine, "do_execute", _execute_unprepared_when_asked)
    remember_longer_conversions()
    return engine


def remember_longer_conversions() -> None:
    """Let psycopg remember the conversion of texts up to `CONVERTED_TEXT_BYTES` (see there;
    a test fails if a psycopg release no longer reads this setting)."""
    psycopg_queries.MAX_CACHED_STATEMENT_LENGTH = max(
        psycopg_queries.MAX_CACHED_STATEMENT_LENGTH, CONVERTED_TEXT_BYTES
    )


def _sqlite_pool(url: str, pool_size: int) -> dict[str, int]:
    # A file database gets the same bounded pool; an in-memory one has a connection per thread
    # (SQLAlchemy's own choice there), which takes no such arguments.
    database = make_url(url).database
    if database in (None, "", ":memory:") or (database or "").startswith("file::memory:"):
        return {}
    return {"pool_size": pool_size, "max_overflow": 0}


def _execute_unprepared_when_asked(
    cursor: Any, statement: str, parameters: Any, context: Any
) -> bool:
    # psycopg prepares a statement text run five times on a connection; PostgreSQL then plans
    # it once for any value. `PLANNED_PER_RUN` statements skip that (`prepare=False`).
    if context is not None and context.execution_options.get(PLANNED_PER_RUN, False):
        cursor.execute(statement, parameters, prepare=False)
        return True
    return False


def _configure_postgresql_connection(dbapi_connection: Any, _record: Any) -> None:
    # Lists (the arrays of `ehoks.kit.db.rows`) without psycopg's per-quote Python escaping.
    use_quoted_arrays(dbapi_connection)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # isolation_level=None: the driver leaves BEGIN to us (see _begin_immediate_when_writing).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _begin_immediate_when_writing(connection: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock up front, so two writers queue on busy_timeout instead
    # of one failing with "database is locked" when it upgrades a read lock. A transaction that
    # only reads takes no lock at all (a deferred BEGIN reads a snapshot of the WAL), so a long
    # read never holds up a write, nor a write a read.
    if connection.get_execution_options().get(READS_ONLY, False):
        connection.exec_driver_sql("BEGIN DEFERRED")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def build_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def build_read_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions for work that only reads: on SQLite a deferred transaction, which takes no
    write lock (a write in it would have to upgrade, and may then fail as busy: write nothing).
    The same pool as `engine`."""
    return build_sessionmaker(engine.execution_options(**{READS_ONLY: True}))


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any exception."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def reachable(engine: Engine) -> bool:
    """Whether the database answers a trivial query (the readiness probe)."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not ready"; the probe says no more
        return False
    return True


def relax_commit_durability(session: Session) -> None:
    """Let this transaction's commit return before its WAL reaches the disk (PostgreSQL only).

    For transactions whose only write is the audit record of a read: a crash in the next few
    hundred milliseconds can lose such records, never a change of data. Every read then no
    longer waits for a disk flush (docs/operations.md, "Audit log").
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # On the connection itself: the ORM's execution path costs more than the statement.
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO off")


def refresh_statistics(session: Session, tables: list[str]) -> None:
    """Update the query planner's statistics of `tables` after a large load (PostgreSQL only;
    SQLite plans these lookups by their indexes anyway)."""
    if session.get_bind().dialect.name == "postgresql":
        for table in tables:
            session.execute(text(f'ANALYZE "{table}"'))
