"""What every job handler gets, and how a handler says a job failed."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

from ehoks.config import Settings
from ehoks.feedback.arvo import Issuer
from ehoks.feedback.window import SendingWindow
from ehoks.kit.mail import Connections

# How long a claimed job stays this worker's; a long job renews it as it goes.
LEASE: Final = timedelta(minutes=10)


class RetryableError(Exception):
    """The job may succeed later (a service down, a timeout): retried with backoff."""


class PermanentError(Exception):
    """Retrying will not help: the job is parked with this reason at once."""


@dataclass(frozen=True, slots=True)
class Context:
    factory: sessionmaker[Session]
    settings: Settings
    issuer: Issuer
    window: SendingWindow
    # The worker's SMTP connections, reused within a round (`run_once` closes them).
    connections: Connections
    # Seconds, for the leases' renewal (`worker.lease`): how long a claim has run.
    clock: Callable[[], float] = time.monotonic
