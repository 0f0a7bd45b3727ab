"""What a piece of request work is given: its transaction, the clock, the body, and the caller.

Work runs in a worker thread inside the request's one transaction (`ehoks.pipeline.run`); it
never sees HTTP. A `Unit` serves work that touches no personal data; an `AuditedUnit` adds the
caller, the audit scope that records what the work touched, and the caller's `Access`.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cached_property
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from ehoks.access.rules import Access
from ehoks.access.subjects import Subject
from ehoks.audit.scope import AuditScope
from ehoks.config import Settings
from ehoks.registry.directory import access_for

S_co = TypeVar("S_co", bound=Subject, covariant=True)


class Unit:
    """A unit of work: one transaction, committed when the work returns, else rolled back."""

    def __init__(
        self, session: Session, settings: Settings, now: datetime, today: date, body: Any
    ) -> None:
        self.session = session
        self.settings = settings
        self.now = now  # the request's instant (UTC)
        self.today = today  # the request's date in the service's time zone
        self.body = body  # the parsed request body, when the route reads one


class AuditedUnit(Unit, Generic[S_co]):
    """A unit of work on personal data: who asks, and the audit scope of what they touch."""

    def __init__(self, unit: Unit, subject: S_co, audit: AuditScope) -> None:
        super().__init__(unit.session, unit.settings, unit.now, unit.today, unit.body)
        self.subject = subject
        self.audit = audit

    @cached_property
    def access(self) -> Access:
        """Every access decision about the caller (`ehoks.access.rules.Access`)."""
        return access_for(self.session, self.subject)
