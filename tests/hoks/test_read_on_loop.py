"""GET one HOKS, and the plan of a study right, read on the event loop
(`ehoks.hoks.read_one.read_on_loop`, PostgreSQL) answer exactly as the reads through the
pipeline's worker threads: the same status, headers and body byte for byte, the same ETag and
304, the same refusals, and the same audit records. Two servers of one database, one with the
event loop's pool and one without; on SQLite both read in threads (there is no such pool), so
the comparison holds there too."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import event, select, update

from ehoks.app import create_app
from ehoks.audit.models import AuditEvent
from ehoks.client.service import disable_client
from ehoks.config import Settings
from ehoks.hoks.models import Hoks
from ehoks.kit.db.engine import transaction
from ehoks.kit.http import REQUEST_ID_HEADER
from tests.support.api import API, fresh_example, load_registry, make_caller, owner_of
from tests.support.server import LiveServer
from tests.support.shortcuts import assert_same_answer

OTHER_PROVIDER = "1.2.246.562.10.81927839314"
AUDITED = ("subject_kind", "subject_id", "organisation_oid", "role", "operation", "outcome")
AUDITED += ("hoks_id", "oppija_oid", "details")


class Servers:
    def __init__(self, settings: Settings) -> None:
        batched = settings.model_copy(update={"read_audit_interval_ms": 50})
        self.loop = LiveServer(
            create_app(batched.model_copy(update={"database_loop_pool_size": 2}))
        )
        self.threads = LiveServer(
            create_app(batched.model_copy(update={"database_loop_pool_size": 0}))
        )
        # Who checked out a connection of the request threads' pool of the loop's server.
        self.holders: list[str] = []
        event.listen(self.loop.app.state.engine, "checkout", self._checked_out)

    def _checked_out(self, *_: Any) -> None:
        self.holders.append(threading.current_thread().name)

    def start(self) -> None:
        self.loop.start()
        self.threads.start()

    def stop(self) -> None:
        for server in (self.loop, self.threads):
            server.stop()  # writes the queued audit records of reads
            server.app.state.engine.dispose()


@pytest.fixture
def servers(settings: Settings, db: object) -> Iterator[Servers]:
    both = Servers(settings)
    both.start()
    yield both
    both.stop()


def loop_reads(server: LiveServer) -> int:
    """Reads the event loop's pool has served (0 without one)."""
    pool = server.app.state.loop_pool
    return int(pool.get_stats().get("requests_num", 0)) if pool is not None else 0


def test_the_loop_and_the_threads_answer_alike(servers, session_factory, backend):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    with (
        httpx.Client(base_url=servers.loop.base_url, timeout=30) as on_loop,
        httpx.Client(base_url=servers.threads.base_url, timeout=30) as in_threads,
    ):
        caller = make_caller(on_loop, session_factory, school)
        other = make_caller(on_loop, session_factory, OTHER_PROVIDER, access="read")
        leaving = make_caller(on_loop, session_factory, school, access="read")
        hoks_id = caller.post("/hoks", document).json()["meta"]["id"]
        etag = caller.get(f"/hoks/{hoks_id}").headers["etag"]  # the tree is now remembered
        study_right = document["opiskeluoikeus-oid"]

        # An allowed read on the loop's server takes no request thread's connection (on
        # PostgreSQL), and its answer is the threads' byte for byte.
        pairs = []
        for path in (f"/hoks/{hoks_id}", f"/hoks/opiskeluoikeus/{study_right}"):
            servers.holders.clear()
            served = loop_reads(servers.loop)
            pairs.append(_both(on_loop, in_threads, path, caller.headers))
            if backend == "postgresql":
                assert loop_reads(servers.loop) == served + 1, path
                assert set(servers.holders) <= {"read-audit"}, (path, servers.holders)
            else:
                assert servers.loop.app.state.loop_pool is None
                assert set(servers.holders) - {"read-audit"}, path  # a request thread read it

        pairs += [
            _both(
                on_loop, in_threads, f"/hoks/{hoks_id}", {**caller.headers, "If-None-Match": etag}
            ),
            _both(
                on_loop, in_threads, f"/hoks/{hoks_id}", {**caller.headers, "If-None-Match": '"0"'}
            ),
            _both(on_loop, in_threads, f"/hoks/{hoks_id + 1000}", caller.headers),
            _both(on_loop, in_threads, f"/hoks/{hoks_id}", other.headers),
            _both(on_loop, in_threads, "/hoks/opiskeluoikeus/1.2.246.562.15.1", caller.headers),
            _both(on_loop, in_threads, f"/hoks/opiskeluoikeus/{study_right}", other.headers),
        ]
        assert [one.status_code for one, _ in pairs] == [200, 200, 304, 200, 404, 404, 404, 404]
        assert pairs[2][0].headers["etag"] == etag

        with transaction(session_factory) as session:
            disable_client(session, leaving.client_id)
        pairs.append(_both(on_loop, in_threads, f"/hoks/{hoks_id}", leaving.headers))
        with transaction(session_factory) as session:
            session.execute(
                update(Hoks).where(Hoks.id == hoks_id).values(deleted_at=Hoks.created_at)
            )
        pairs.append(_both(on_loop, in_threads, f"/hoks/{hoks_id}", caller.headers))
        pairs.append(
            _both(on_loop, in_threads, f"/hoks/opiskeluoikeus/{study_right}", caller.headers)
        )
        assert [one.status_code for one, _ in pairs[-3:]] == [401, 404, 404]

    for one, other_answer in pairs:
        assert_same_answer(one, other_answer)
    servers.stop()  # the audit records of the reads written
    for one, other_answer in pairs:
        assert _audited(session_factory, one) == _audited(session_factory, other_answer)


def _both(
    one: httpx.Client, other: httpx.Client, path: str, headers: dict[str, str]
) -> tuple[httpx.Response, httpx.Response]:
    return one.get(API + path, headers=headers), other.get(API + path, headers=headers)


def _audited(session_factory, response: httpx.Response) -> list[tuple[Any, ...]]:
    """What the audit log says of the request that got `response` (but its time and place)."""
    with session_factory() as session:
        rows = session.execute(
            select(*(getattr(AuditEvent, name) for name in AUDITED)).where(
                AuditEvent.request_id == response.headers[REQUEST_ID_HEADER]
            )
        ).all()
    return [tuple(row) for row in rows]
