"""FastAPI dependencies shared by every surface: the settings and the service's keys.

The per-request unit of work is `ehoks.pipeline.run` (on `ehoks.kit.db.engine.transaction`).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from ehoks.config import Settings
from ehoks.kit.keys import ServiceKeys


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def service_key(request: Request, name: str) -> str:
    """A signing key of the service (`ehoks.kit.keys`); may read the database once. Blocking."""
    keys: ServiceKeys = request.app.state.keys
    return keys.get(name)


async def service_key_async(request: Request, name: str) -> str:
    """`service_key` for async code: the database, when needed, is read in the thread pool."""
    keys: ServiceKeys = request.app.state.keys
    known = keys.cached(name)
    if known is not None:
        return known
    return await run_in_threadpool(keys.get, name)
