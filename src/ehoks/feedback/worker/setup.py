"""Building the worker's context from the settings."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from ehoks.config import Settings
from ehoks.feedback.arvo import issuer_for
from ehoks.feedback.window import SendingWindow
from ehoks.feedback.worker.context import Context
from ehoks.kit.mail import Connections


def build_context(factory: sessionmaker[Session], settings: Settings) -> Context:
    """The worker's context; WindowSettingError if the sending window cannot be read."""
    window = SendingWindow.parse(settings.feedback_sending_window, settings.timezone)
    return Context(
        factory=factory,
        settings=settings,
        issuer=issuer_for(settings),
        window=window,
        connections=Connections(settings),
    )
