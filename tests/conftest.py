"""Test infrastructure: every database test runs on SQLite and on PostgreSQL.

The `backend` fixture is parametrised at session scope, so a test that touches the database runs
once per backend (test ids end in [sqlite] / [postgresql]). Each backend gets a fresh database
built by the Alembic migrations, and a real HTTP server (uvicorn on 127.0.0.1, random port) in a
thread of the test process. Tables are emptied after every test.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ehoks import wiring
from ehoks.config import Settings
from ehoks.kit.db.engine import build_engine, build_sessionmaker
from ehoks.registry.directory import forget_cached_tree
from tests.support.databases import create_database, drop_database, empty_all_tables
from tests.support.server import LiveServer

BACKENDS = ("sqlite", "postgresql")
# The hooks between packages, as every process of the service connects them at start-up.
wiring.connect()
TEST_SIGNING_KEY = "test-signing-key-0123456789abcdef0123456789abcdef"


_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex


def _database_name() -> str:
    """Unique per test run and worker, so that runs on one server never share a database."""
    return f"ehoks_test_{_RUN[:10]}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`@pytest.mark.only_on("postgresql")`: the other backend's case is deselected, not skipped
    (it is not a test that could run and was left out, but one that has no meaning there)."""
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        marker = item.get_closest_marker("only_on")
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("backend") if callspec is not None else None
        if marker is not None and backend is not None and backend not in marker.args:
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if backend == "sqlite":
        path: Path = tmp_path_factory.mktemp("sqlite") / "ehoks-test.db"
        yield f"sqlite:///{path}"
        return
    url = create_database(_database_name())
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    from ehoks.kit.db import migrate

    engine = build_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    """The migrated database of the current backend, emptied after the test (and what this
    process remembers of its organisation tree forgotten: the next test has its own)."""
    yield engine
    empty_all_tables(engine)
    forget_cached_tree()


@pytest.fixture
def session_factory(db: Engine) -> sessionmaker[Session]:
    return build_sessionmaker(db)


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for arranging and inspecting data; the test commits what it arranges."""
    with session_factory() as session:
        yield session


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        development_mode=True,
        database_url=database_url,
        token_signing_key=TEST_SIGNING_KEY,
        # Tests look at a read's audit record as soon as it is answered; the batched writing of
        # read records (the service's default) is tested on its own (tests/audit).
        read_audit_interval_ms=0,
        # Tests count a list right after changing it; remembered counts are tested on their own
        # (tests/people/test_list_counts.py).
        list_count_seconds=0,
        # The request lines are tested on their own (tests/app/test_observability.py).
        request_log=False,
    )


@pytest.fixture(scope="session")
def live_server(settings: Settings, engine: Engine) -> Iterator[LiveServer]:
    from ehoks.app import create_app

    app = create_app(settings)
    server = LiveServer(app)
    server.start()
    # Sign-in redirects and e-mailed links name the service's own address, known only now;
    # routes read the settings per request.
    app.state.settings = settings.model_copy(update={"public_base_url": server.base_url})
    yield server
    server.stop()
    server.app.state.engine.dispose()


@pytest.fixture
def http(live_server: LiveServer, db: Engine) -> Iterator[httpx.Client]:
    """A real HTTP client for the running service of the current backend."""
    with httpx.Client(base_url=live_server.base_url, timeout=30) as client:
        yield client
