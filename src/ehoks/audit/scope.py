"""Auditing a request: one event per access to personal data, whatever the outcome.

A route wraps its work in `audited(...)`. Inside its transaction it names what it touched
(`scope.about(...)`) and calls `scope.succeeded(session)`, which writes the event in that same
transaction. If the work raises instead, the transaction has rolled back and the scope writes a
"denied" (401/403/404) or "failed" event in a transaction of its own, then lets the error go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ehoks.access.decision import Decision
from ehoks.access.subjects import (
    StaffSubject,
    StudentSubject,
    Subject,
    SystemClientSubject,
    WorkplaceInstructorSubject,
)
from ehoks.audit import service
from ehoks.audit.service import Event, Outcome
from ehoks.kit.errors import ApiError

_DENIED_STATUSES = frozenset({401, 403, 404, 412})


@dataclass(frozen=True)
class Actor:
    """How a subject appears in the audit log: kind, id, organisation, role."""

    kind: str
    id: str
    organisation_oid: str | None
    role: str | None


# Who sent a request refused before its credentials were read (a control character in it).
UNIDENTIFIED = Actor("unidentified", "", None, None)


def actor_of(
    subject: Subject, *, organisation_oid: str | None = None, role: str | None = None
) -> Actor:
    if isinstance(subject, SystemClientSubject):
        return Actor(
            subject.kind, subject.client_id, subject.organisation_oid, subject.access.value
        )
    if isinstance(subject, StaffSubject):
        return Actor(subject.kind, subject.oid, organisation_oid, role)
    if isinstance(subject, StudentSubject):
        return Actor(subject.kind, subject.oppija_oid, None, "student")
    if isinstance(subject, WorkplaceInstructorSubject):
        return Actor(subject.kind, subject.email, None, "workplace_instructor")
    raise TypeError(type(subject))


@dataclass
class AuditScope:
    actor: Actor
    operation: str
    request_id: str
    hoks_id: int | None = None
    oppija_oid: str | None = None
    details: dict[str, Any] = field(default_factory=dict)

    recorded: bool = False

    def about(
        self, *, hoks_id: int | None = None, oppija_oid: str | None = None, **details: Any
    ) -> None:
        """Name what the request touches (known as soon as the service has loaded it)."""
        if hoks_id is not None:
            self.hoks_id = hoks_id
        if oppija_oid is not None:
            self.oppija_oid = oppija_oid
        self.details.update(details)

    def decided(self, decision: Decision) -> None:
        """Record in which role, and through which organisation's grant, the caller acts."""
        self.actor = replace(
            self.actor, organisation_oid=decision.organisation_oid, role=decision.role
        )

    def event(self, outcome: str, **extra: Any) -> Event:
        return Event(
            request_id=self.request_id,
            subject_kind=self.actor.kind,
            subject_id=self.actor.id,
            organisation_oid=self.actor.organisation_oid,
            role=self.actor.role,
            operation=self.operation,
            outcome=outcome,
            hoks_id=self.hoks_id,
            oppija_oid=self.oppija_oid,
            details={**self.details, **extra},
        )

    def succeeded(self, session: Session, *, read_only: bool = False, **details: Any) -> None:
        """Write the success event inside the request's own transaction.

        `read_only`: the request changed nothing but this record, so its commit need not wait
        for the disk (see `ehoks.kit.db.engine.relax_commit_durability`).
        """
        service.record(session, self.event(Outcome.SUCCESS, **details), relaxed=read_only)
        self.recorded = True

    def succeeded_apart(self, factory: sessionmaker[Session]) -> None:
        """Write the success event of a read in a transaction of its own, after the read's."""
        service.record_in_new_transaction(factory, self.event(Outcome.SUCCESS), relaxed=True)
        self.recorded = True

    def recorded_all(self, session: Session, events: Sequence[Event]) -> None:
        """Write the work's own events (one per HOKS of a batch or a page) instead of one."""
        service.record_many(session, events)
        self.recorded = True

    def refused_apart(self, factory: sessionmaker[Session], error: ApiError) -> None:
        """Record a refusal after the request's transaction rolled back (whatever was recorded
        in it went with it): "denied" for 401/403/404/412, else "failed"."""
        outcome = Outcome.DENIED if error.status in _DENIED_STATUSES else Outcome.FAILED
        event = self.event(outcome, status=error.status, code=error.code)
        service.record_in_new_transaction(factory, event)

    def failed_apart(self, factory: sessionmaker[Session]) -> None:
        """Record an unexpected failure after the request's transaction rolled back."""
        service.record_in_new_transaction(factory, self.event(Outcome.FAILED, status=500))
