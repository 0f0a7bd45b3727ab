"""What people see of feedback and may do with it: the student's open links, the staff's view
of a HOKS's student surveys, and sending an invitation again."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from ehoks.access.decision import Action
from ehoks.access.rules import Access
from ehoks.audit.scope import AuditScope
from ehoks.feedback import repository
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
            session, hoks_id, [State.SURVEY_CREATED.value, State.SENT.value]
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
