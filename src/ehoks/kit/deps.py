"""FastAPI dependencies shared by every surface: settings and the per-request unit of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request
from sqlalchemy.orm import Session

from ehoks.config import Settings


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


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
