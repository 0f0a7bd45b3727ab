"""A live server whose `public_base_url` is its own address, so the development IdP and the
relying party can speak real OpenID Connect to each other over loopback."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine

from ehoks.auth import oidc
from ehoks.config import Settings
from tests.support.server import LiveServer


@pytest.fixture(scope="session")
def auth_server(settings: Settings, engine: Engine) -> Iterator[LiveServer]:
    from ehoks.app import create_app

    app = create_app(settings.model_copy(update={"cookie_secure": False}))
    server = LiveServer(app)
    server.start()
    # The port is known only once the server listens; routes read the app's settings per request.
    app.state.settings = app.state.settings.model_copy(update={"public_base_url": server.base_url})
    yield server
    server.stop()
    app.state.engine.dispose()
    oidc.forget_caches()


@pytest.fixture
def browser(auth_server: LiveServer, db: Engine) -> Iterator[httpx.Client]:
    """A client that keeps cookies, like a browser (redirects are followed by the helpers)."""
    with httpx.Client(base_url=auth_server.base_url, timeout=30) as client:
        yield client


@pytest.fixture
def other_browser(auth_server: LiveServer, db: Engine) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=auth_server.base_url, timeout=30) as client:
        yield client
