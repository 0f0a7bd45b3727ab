"""FastAPI dependencies shared by every surface: settings and the per-request unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

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


@contextmanager
def unit_of_work(request: Request) -> Iterator[Session]:
    """One transaction for the request: committed before the response is built, else rolled back.

    Routes open it themselves (rather than a yield dependency) so that a failed commit can never
    follow a success response that was already sent.
    """
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
