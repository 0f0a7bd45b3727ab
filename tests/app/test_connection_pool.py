"""A web process under more concurrent requests than it has request threads: every request is
answered, no database connection is opened beyond those its pools keep (the request threads'
and, on PostgreSQL, the event loop's), and no request waits for one (docs/operations.md,
"Database connections")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from ehoks.app import connections_kept, create_app, loop_connections
from ehoks.config import Settings
from tests.support.api import API, fresh_example, load_registry, make_caller, owner_of
from tests.support.connections import ConnectionWatch
from tests.support.server import LiveServer

REQUEST_THREADS = 3
LOOP_CONNECTIONS = 2
CLIENTS = 24
REQUESTS_EACH = 8


@pytest.fixture
def watched(settings: Settings, db: object) -> Iterator[tuple[LiveServer, ConnectionWatch]]:
    small = settings.model_copy(
        update={
            "database_pool_size": REQUEST_THREADS,
            "database_loop_pool_size": LOOP_CONNECTIONS,
            "read_audit_interval_ms": 50,
        }
    )
    server = LiveServer(create_app(small))
    watch = ConnectionWatch(server.app.state.engine)
    server.start()
    yield server, watch
    server.stop()
    server.app.state.engine.dispose()


def test_concurrent_requests_use_only_the_connections_the_pool_keeps(
    watched, session_factory, backend
):
    server, watch = watched
    kept = connections_kept(server.app.state.settings)
    assert kept == REQUEST_THREADS + 1  # and one for the writer of read records
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    with httpx.Client(base_url=server.base_url, timeout=60) as http:
        caller = make_caller(http, session_factory, school)
        created = caller.post("/hoks", document)
        assert created.status_code == 200, created.text
        hoks_id = created.json()["meta"]["id"]

    def client(number: int) -> Counter[int]:
        statuses: Counter[int] = Counter()
        with httpx.Client(base_url=server.base_url, timeout=60) as http:
            for request in range(REQUESTS_EACH):
                # Every fourth a plan that is not there: its refusal is recorded in a
                # transaction of its own, after the request's one has closed.
                wanted = hoks_id if (number + request) % 4 else hoks_id + 1000
                answer = http.get(f"{API}/hoks/{wanted}", headers=caller.headers)
                statuses[answer.status_code] += 1
        return statuses

    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = sum(pool.map(client, range(CLIENTS)), Counter[int]())

    assert statuses == {200: CLIENTS * REQUESTS_EACH * 3 // 4, 404: CLIENTS * REQUESTS_EACH // 4}
    # Not one connection opened and closed again, however many requests came at once ...
    assert 1 <= watch.opened <= kept
    # ... and none waited for one: no thread held two at once, and no more threads held one
    # than there are connections.
    assert watch.most_by_one_thread == 1
    assert len(watch.threads) <= kept
    # The event loop's own connections (PostgreSQL): as many as it keeps, never more, and the
    # plans were read on them.
    pool = server.app.state.loop_pool
    if backend == "sqlite":
        assert pool is None
        assert loop_connections(server.app.state.settings) == 0
        return
    assert loop_connections(server.app.state.settings) == LOOP_CONNECTIONS
    stats = pool.get_stats()
    assert stats["requests_num"] >= CLIENTS * REQUESTS_EACH * 3 // 4
    assert stats["connections_num"] <= LOOP_CONNECTIONS
    assert stats["pool_size"] <= LOOP_CONNECTIONS
