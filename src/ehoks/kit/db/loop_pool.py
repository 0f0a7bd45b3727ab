"""Connections that the event loop uses itself, without a worker thread (PostgreSQL only).

A request's unit of work runs in a worker thread inside a SQLAlchemy transaction
(`ehoks.pipeline.run`): the hand-off to the thread and back, and BEGIN, the statement and COMMIT
as three round trips. For a read that is one statement and nothing else (GET one HOKS), that
machinery was most of its cost. Such a read can instead run on the event loop through psycopg's
asynchronous connections: one statement, in autocommit (a single SELECT sees one snapshot
anyway), while the loop serves other requests during the round trip.

The pool is opened when the server's event loop runs (the application's lifespan) and closed
when it stops; until then, and on SQLite, there is none (`None`) and every read takes the
thread-pool path. It keeps `size` connections and never opens more (docs/operations.md,
"Database connections").
"""

from __future__ import annotations

from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from sqlalchemy.engine import make_url

from ehoks.kit.db.engine import CONNECT_TIMEOUT_S, is_sqlite

# A request that finds every connection of the pool busy waits for one this long, then takes
# the thread-pool path instead (its pool has a connection for each of its threads).
WAIT_FOR_CONNECTION_S = 5.0

LoopPool = AsyncConnectionPool[AsyncConnection[tuple[Any, ...]]]


def build_loop_pool(url: str, size: int) -> LoopPool | None:
    """A pool of `size` connections to the database at `url`, not yet open (`open_loop_pool`);
    None on SQLite, or when `size` is 0 (every read in the thread pool)."""
    if size == 0 or is_sqlite(url):
        return None
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return AsyncConnectionPool(
        conninfo,
        min_size=size,
        max_size=size,
        kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
        timeout=WAIT_FOR_CONNECTION_S,
        # As the engine's pool (`ehoks.kit.db.engine.build_engine`): kept, replaced now and then.
        max_lifetime=1800,
        open=False,
        name="loop",
    )


async def open_loop_pool(pool: LoopPool) -> None:
    """Start the pool's connecting in the running event loop (it does not wait for the
    connections: a database that is not there yet does not stop the server from starting)."""
    await pool.open(wait=False)
