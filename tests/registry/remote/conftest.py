"""The service with every registry `http`, against stand-ins that serve the national formats."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from ehoks.config import Settings
from ehoks.registry.directory import forget_cached_tree
from ehoks.registry.remote.setup import Registries, registries_from
from ehoks.registry.remote.transport import close_breakers
from tests.support.registries import RegistryStandIn, all_stand_ins, http_settings
from tests.support.server import LiveServer


@pytest.fixture(scope="session")
def stand_ins() -> Iterator[dict[str, RegistryStandIn]]:
    found = all_stand_ins()
    for stand_in in found.values():
        stand_in.start()
    yield found
    for stand_in in found.values():
        stand_in.stop()


@pytest.fixture(scope="session")
def remote_settings(settings: Settings, stand_ins: dict[str, RegistryStandIn]) -> Settings:
    return Settings(**{**settings.model_dump(), **http_settings(stand_ins)})


@pytest.fixture(scope="session")
def remote_server(remote_settings: Settings, engine: Engine) -> Iterator[LiveServer]:
    from ehoks.app import create_app

    app = create_app(remote_settings)
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    app.state.registries.close()
    app.state.engine.dispose()


@pytest.fixture
def registries(remote_settings: Settings) -> Iterator[Registries]:
    """Clients of the stand-ins, for arranging and for the worker's refresh."""
    found = registries_from(remote_settings)
    yield found
    found.close()


@pytest.fixture
def remote_http(
    remote_server: LiveServer, db: Engine, stand_ins: dict[str, RegistryStandIn]
) -> Iterator[httpx.Client]:
    """A client of the service whose registries are the stand-ins; all well again afterwards."""
    with httpx.Client(base_url=remote_server.base_url, timeout=30) as client:
        yield client
    for stand_in in stand_ins.values():
        stand_in.reset()
    close_breakers()
    forget_cached_tree()
