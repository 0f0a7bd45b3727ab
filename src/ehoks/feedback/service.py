"""What people see of feedback and may do with it: the student's open links, the staff's view
of a HOKS's student surveys, and sending an invitation again."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

import orjson
from sqlalchemy.orm import Session

from ehoks.access.decision import Action
from ehoks.access.rules import Access
from ehoks.audit.scope import AuditScope
from ehoks.feedback import recorded_links, repository
from ehoks.feedback.models import Feedback
from ehoks.feedback.rules import HERATEPALVELU_NAMES, Kind, State
from ehoks.feedback.schemas import FeedbackEventWire, StudentFeedback
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks import service as hoks_service
from ehoks.hoksmodel import Variant
from ehoks.kit.errors import ApiError, Violation
from ehoks.registry import repository as registry_repository


def student_links(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope, today: date
) -> list[str]:
    """The signed-in student's open survey links (their own OID or its master only)."""
    decision = access.own_data(oppija_oid)
    audit.decided(decision)
    decision.enforce()
    audit.about(oppija_oid=oppija_oid)
    oids = registry_repository.same_person_oids(session, oppija_oid)
    return repository.open_student_links(session, sorted(oids), today)


def open_links_for(session: Session, oppija_oid: str, today: date) -> list[str]:
    """The signed-in student's own open survey links (their page shows them)."""
    oids = registry_repository.same_person_oids(session, oppija_oid)
    return repository.open_student_links(session, sorted(oids), today)


def _actor(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope
) -> hoks_service.Actor:
    return hoks_service.Actor(
        access=access,
        audit=audit,
        variant=Variant.STAFF,
        student_oids=registry_repository.same_person_oids(session, oppija_oid),
    )


def staff_view(
    session: Session, access: Access, oppija_oid: str, hoks_id: int, audit: AuditScope
) -> list[StudentFeedback]:
    """The HOKS's student surveys that were not ruled out, with their events (read role)."""
    hoks_service.get_hoks(session, hoks_id, _actor(session, access, oppija_oid, audit))
    rows = [
        row
        for row in repository.of_hoks(session, hoks_id)
        if row.kind != Kind.WORKPLACE and row.state != State.NOT_SENT
    ]
    ids = [row.id for row in rows]
    messages = repository.latest_messages(session, ids)
    events: dict[int, list[FeedbackEventWire]] = defaultdict(list)
    for event in repository.events_of_many(session, ids):
        events[event.feedback_id].append(
            FeedbackEventWire(
                aika=event.at,
                tapahtuma=event.event,
                vanha_tila=event.old_state,
                uusi_tila=event.new_state,
                syy=event.reason,
            )
        )
    return [
        StudentFeedback(
            id=row.id,
            kyselytyyppi=row.kind,
            tila=row.state,
            syy=row.reason,
            heratepvm=row.herate_date,
            voimassa_alkupvm=row.valid_from,
            voimassa_loppupvm=row.valid_to,
            lahetetty=messages[row.id].sent_at if row.id in messages else None,
            sahkoposti_tila=messages[row.id].state if row.id in messages else None,
            tapahtumat=events[row.id],
        )
        for row in rows
    ]


def kind_of(body: Any) -> Kind:
    """The survey type of a resend request, in herätepalvelu's naming (3.4 #7)."""
    name = body.get("tyyppi") if isinstance(body, dict) else None
    if not isinstance(name, str) or name not in HERATEPALVELU_NAMES:
        raise ApiError(
            400,
            "validation_failed",
            params={"count": 1},
            violations=[Violation("feedback_kind_unknown", "/tyyppi")],
        )
    return HERATEPALVELU_NAMES[name]


def resend(
    session: Session,
    access: Access,
    *,
    oppija_oid: str,
    hoks_id: int,
    body: Any,
    audit: AuditScope,
    now: datetime,
    today: date,
) -> str:
    """Send an open survey's invitation again (write role, unlike the national read-only check).

    The student's address is read from the HOKS now, so a corrected address is used.
    """
    actor = _actor(session, access, oppija_oid, audit)
    row = hoks_repository.view(session, hoks_id)
    hoks_service.authorise(actor, row, Action.WRITE)
    kind = kind_of(body)
    open_ones = [
        feedback
        for feedback in repository.of_hoks(
            session,
            hoks_id,
            [State.SURVEY_CREATED.value, State.SENT.value, State.SENDING_FAILED.value],
        )
        if feedback.kind == kind and feedback.valid_to >= today and feedback.link
    ]
    if not open_ones:
        raise ApiError(404, "feedback_not_open")
    plan = hoks_repository.get(session, hoks_id)
    email = orjson.loads(plan.document).get("sahkoposti") if plan else None
    if not email:
        raise ApiError(409, "feedback_no_email")
    feedback = open_ones[0]
    repository.schedule_job(
        session,
        key=f"resend|{feedback.id}|{now.isoformat()}",
        kind="invite",
        feedback_id=feedback.id,
        due_at=now,
        payload={"resend": True},
    )
    repository.add_event(
        session,
        feedback.id,
        event="uudelleenlahetys",
        old_state=feedback.state,
        new_state=feedback.state,
        reason=None,
        at=now,
        details={"by": access.subject.audit_name},
    )
    audit.about(hoks_id=hoks_id, oppija_oid=oppija_oid)
    return str(email)


@dataclass(frozen=True, slots=True)
class EventLine:
    at: datetime
    event: str
    new_state: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class FeedbackRow:
    id: int
    kind: str
    state: str
    reason: str | None
    period: str | None  # a workplace period's workplace
    herate: date
    # The answer time to show: None for a survey that will not be sent, or whose stored window
    # is no real one (its end before its start, or a planned one already over).
    answer_window: tuple[date, date] | None
    delivery: str | None
    sent_at: datetime | None
    events: list[EventLine]
    can_resend: bool
    resend_name: str
    # A link a provider's system made and recorded here (`recorded_links`), not the worker's.
    from_provider: bool = False
    # A workplace period's dates as the plan has them (ISO), for the page to write per language.
    period_start: str | None = None
    period_end: str | None = None
    # The window is the one planned when the link is made (sending counts it again from then).
    window_planned: bool = False


@dataclass(frozen=True, slots=True)
class PlanFeedback:
    rows: list[FeedbackRow]
    can_write: bool


RESEND_NAMES: Final = {kind: name for name, kind in HERATEPALVELU_NAMES.items()}


def plan_feedback(  # noqa: PLR0917 - one page's parts
    session: Session, access: Access, oppija_oid: str, hoks_id: int, audit: AuditScope, today: date
) -> PlanFeedback:
    """Every survey of one plan for its staff page (read role), and whether they may resend."""
    actor = _actor(session, access, oppija_oid, audit)
    hoks_service.get_hoks(session, hoks_id, actor)
    try:
        writer = hoks_service.Actor(access=access, variant=Variant.STAFF)
        hoks_service.authorise(writer, hoks_repository.view(session, hoks_id), Action.WRITE)
        can_write = True
    except ApiError:
        can_write = False
    rows = repository.of_hoks(session, hoks_id)
    ids = [row.id for row in rows]
    messages = repository.latest_messages(session, ids)
    events: dict[int, list[EventLine]] = defaultdict(list)
    for event in repository.events_of_many(session, ids):
        events[event.feedback_id].append(
            EventLine(event.at, event.event, event.new_state, event.reason)
        )
    return PlanFeedback(
        rows=[
            FeedbackRow(
                id=row.id,
                kind=row.kind,
                state=row.state,
                reason=row.reason,
                period=_period_name(row.details) if row.kind == Kind.WORKPLACE else None,
                period_start=row.details.get("alku") if row.kind == Kind.WORKPLACE else None,
                period_end=row.details.get("loppu") if row.kind == Kind.WORKPLACE else None,
                herate=row.herate_date,
                answer_window=_answer_window(row, today),
                window_planned=row.state == State.PENDING,
                delivery=messages[row.id].state if row.id in messages else None,
                sent_at=messages[row.id].sent_at if row.id in messages else None,
                events=events[row.id],
                can_resend=row.kind in RESEND_NAMES
                and row.state in (State.SURVEY_CREATED, State.SENT, State.SENDING_FAILED)
                and row.valid_to >= today
                and bool(row.link),
                resend_name=RESEND_NAMES.get(Kind(row.kind), ""),
                from_provider=recorded_links.is_recorded(row),
            )
            for row in rows
        ],
        can_write=can_write,
    )


def _answer_window(row: Feedback, today: date) -> tuple[date, date] | None:
    """The answer time a person may be told of. A survey decided not to be sent keeps the
    window its decision computed (from today, capped at 60 days from an old heräte date, so it
    can end years before it starts): it never opens, so none is shown. A survey waiting for its
    date shows the window planned for it only while that is still to come."""
    start, end = row.valid_from, row.valid_to
    if row.state == State.NOT_SENT or end < start:
        return None
    if row.state == State.PENDING and end < today:
        return None
    return start, end


def _period_name(details: dict[str, Any]) -> str:
    return str(details.get("tyopaikan_nimi") or "")


@dataclass(frozen=True, slots=True)
class ParkedJob:
    id: int
    kind: str
    hoks_id: int | None
    attempts: int
    parked_at: datetime | None
    reason: str

    @property
    def cells(self) -> list[str]:
        # A dash, not an empty cell: on a phone each cell stands under its column's name.
        parked = self.parked_at.strftime("%Y-%m-%d %H:%M UTC") if self.parked_at else "–"
        return [
            f"{self.kind} #{self.id}",
            str(self.hoks_id or "–"),
            str(self.attempts),
            parked,
            self.reason,
        ]


def parked_jobs(session: Session, access: Access, audit: AuditScope) -> list[ParkedJob]:
    """The worker's parked jobs: for the national admin (operators) only."""
    if not access.is_national_admin:
        raise ApiError(403, "forbidden")
    audit.about()
    return [
        ParkedJob(job.id, job.kind, hoks_id, job.attempts, job.finished_at, job.last_error or "")
        for job, hoks_id in repository.parked_jobs(session)
    ]
