"""Survey links that a provider's own system made and records here (the national provider
API's legacy `kyselylinkki` routes).

Before the national palaute backend, herätepalvelu made the survey links and told eHOKS about
them; some provider systems still do. A recorded link becomes a feedback row of its own, keyed by
the link (`link:<sha-256>`), so it shows wherever this service's own links show (the student's
`kyselylinkit` and plans page, the staff's feedback page and `opiskelijapalaute`). No job is made
for it: the link is the provider's, and the worker neither creates nor sends it, unless staff ask
to send its invitation again.

Only rows recorded this way can be updated with `PATCH /hoks/kyselylinkki`; this service's own
surveys are the worker's, as the national route updated only its legacy table.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.access.decision import Action
from ehoks.access.rules import Access
from ehoks.audit.scope import AuditScope
from ehoks.feedback import repository
from ehoks.feedback.models import Feedback
from ehoks.feedback.rules import HERATEPALVELU_NAMES, Kind, State, answer_window_end, funding_period
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks import service as hoks_service
from ehoks.kit.errors import ApiError, Violation, pointer

KEY_PREFIX: Final = "link:"
RECORDED_EVENT: Final = "linkki_tallennettu"
UPDATED_EVENT: Final = "linkin_tila_paivitetty"
MAX_LINK: Final = 1000
MAX_EMAIL: Final = 320
MAX_STATE: Final = 64
# The student kinds by every name a provider system may use: herätepalvelu's and ours.
KINDS: Final = {
    **HERATEPALVELU_NAMES,
    Kind.START.value: Kind.START,
    Kind.COMPLETED.value: Kind.COMPLETED,
    Kind.UNITS_COMPLETED.value: Kind.UNITS_COMPLETED,
}
# herätepalvelu's lahetystila → our palautetila; anything else (ei_lahetetty, a value of its own)
# means the link is made and its invitation not known to have gone.
SENDING_STATES: Final = {
    "lahetetty": State.SENT,
    "viestintapalvelussa": State.SENT,
    "vastattu": State.ANSWERED,
    "vastausaika_loppunut": State.EXPIRED,
}
NEW_FIELDS: Final = {
    "kyselylinkki": "text",
    "alkupvm": "date",
    "tyyppi": "text",
    "lahetyspvm": "date",
    "sahkoposti": "text",
    "lahetystila": "text",
}
NEW_REQUIRED: Final = ("kyselylinkki", "alkupvm", "tyyppi")
UPDATE_FIELDS: Final = {
    "kyselylinkki": "text",
    "lahetyspvm": "date",
    "sahkoposti": "text",
    "lahetystila": "text",
}
UPDATE_REQUIRED: Final = ("kyselylinkki", "lahetyspvm", "sahkoposti")
LIMITS: Final = {
    "kyselylinkki": MAX_LINK,
    "sahkoposti": MAX_EMAIL,
    "lahetystila": MAX_STATE,
    "tyyppi": MAX_STATE,
}


def record(
    session: Session,
    access: Access,
    audit: AuditScope,
    *,
    hoks_id: int,
    body: Any,
    now: datetime,
) -> None:
    """Record a provider-made survey link of one HOKS (write on the HOKS). Sending the same
    link for the same HOKS again changes nothing; a link already known elsewhere is 409."""
    values = _parse(body, NEW_FIELDS, NEW_REQUIRED)
    kind = KINDS.get(values["tyyppi"])
    if kind is None:
        raise _invalid([Violation("feedback_kind_unknown", "/tyyppi")])
    actor = hoks_service.Actor(access=access, audit=audit)
    plan = hoks_repository.view(session, hoks_id)
    hoks_service.authorise(actor, plan, Action.WRITE)
    assert plan is not None  # authorise refused a missing one  # noqa: S101
    link: str = values["kyselylinkki"]
    start: date = values["alkupvm"]
    sent: date | None = values.get("lahetyspvm")
    state = _state(values.get("lahetystila"), sent)
    feedback_id = repository.insert_recorded(
        session,
        {
            "key": link_key(link),
            "kind": kind.value,
            "state": state.value,
            "hoks_id": plan.id,
            "oppija_oid": plan.oppija_oid,
            "opiskeluoikeus_oid": plan.opiskeluoikeus_oid,
            "koulutustoimija_oid": plan.koulutustoimija_oid or "",
            "oppilaitos_oid": plan.oppilaitos_oid,
            "herate_date": start,
            "funding_period": funding_period(start),
            "valid_from": start,
            "valid_to": answer_window_end(start, sent or start),
            "request_id": str(uuid.uuid4()),
            "link": link,
            "details": {"lahde": "jarjestelma", "lahetystila": values.get("lahetystila")},
            "created_at": now,
            "updated_at": now,
        },
    )
    if feedback_id is None:
        known = repository.by_link(session, link)
        if known is None or known.hoks_id != plan.id or not known.key.startswith(KEY_PREFIX):
            raise ApiError(409, "survey_link_taken")
        return
    repository.add_event(
        session,
        feedback_id,
        event=RECORDED_EVENT,
        old_state=None,
        new_state=state.value,
        reason=None,
        at=now,
        details={"by": access.subject.audit_name},
    )
    _record_message(session, feedback_id, values, state, now)


def update(
    session: Session, access: Access, audit: AuditScope, *, body: Any, now: datetime
) -> None:
    """Record that a recorded link's invitation was sent (write on its HOKS); 404 when no such
    link was recorded from a provider system, or its HOKS is not the caller's."""
    values = _parse(body, UPDATE_FIELDS, UPDATE_REQUIRED)
    feedback = repository.by_link(session, values["kyselylinkki"], lock=True)
    if feedback is None or not feedback.key.startswith(KEY_PREFIX):
        raise ApiError(404, "survey_link_not_found")
    actor = hoks_service.Actor(access=access, audit=audit)
    plan = hoks_repository.view(session, feedback.hoks_id)
    try:
        hoks_service.authorise(actor, plan, Action.WRITE)
    except ApiError as refused:
        if refused.status == 404:  # noqa: PLR2004 - not found, in the words of this route
            raise ApiError(404, "survey_link_not_found") from None
        raise
    sent: date = values["lahetyspvm"]
    state = _state(values.get("lahetystila"), sent)
    old_state = feedback.state
    repository.set_state(
        session,
        feedback.id,
        {
            "state": state.value,
            "valid_to": answer_window_end(feedback.herate_date, max(sent, feedback.herate_date)),
            "details": {**feedback.details, "lahetystila": values.get("lahetystila")},
            "updated_at": now,
        },
    )
    repository.add_event(
        session,
        feedback.id,
        event=UPDATED_EVENT,
        old_state=old_state,
        new_state=state.value,
        reason=None,
        at=now,
        details={"by": access.subject.audit_name},
    )
    _record_message(session, feedback.id, values, state, now)


def link_key(link: str) -> str:
    """The unique key of a recorded link: links may be longer than a key."""
    return KEY_PREFIX + hashlib.sha256(link.encode()).hexdigest()


def is_recorded(feedback: Feedback) -> bool:
    return feedback.key.startswith(KEY_PREFIX)


def _state(sending_state: str | None, sent: date | None) -> State:
    if sending_state is not None:
        return SENDING_STATES.get(sending_state, State.SURVEY_CREATED)
    return State.SENT if sent is not None else State.SURVEY_CREATED


def _record_message(
    session: Session, feedback_id: int, values: dict[str, Any], state: State, now: datetime
) -> None:
    """The invitation the provider's system says it sent, so staff see when and where to."""
    sent: date | None = values.get("lahetyspvm")
    if sent is None:
        return
    repository.add_recorded_message(
        session,
        feedback_id,
        recipient=values.get("sahkoposti"),
        state="lahetetty" if state is not State.SURVEY_CREATED else "odottaa_lahetysta",
        sent_at=datetime(sent.year, sent.month, sent.day, tzinfo=now.tzinfo),
        now=now,
    )


def _parse(body: Any, fields: dict[str, str], required: tuple[str, ...]) -> dict[str, Any]:
    """The body's values, every problem with it listed with its path (400)."""
    if not isinstance(body, dict):
        raise _invalid([Violation("survey_link_body_not_object", "")])
    problems: list[Violation] = [
        Violation("survey_link_field_unknown", pointer(name)) for name in body if name not in fields
    ]
    problems += [Violation("required", f"/{name}") for name in required if body.get(name) is None]
    values: dict[str, Any] = {}
    for name, kind in fields.items():
        value = body.get(name)
        if value is None:
            continue
        parsed = _value(name, kind, value, problems)
        if parsed is not None:
            values[name] = parsed
    if problems:
        raise _invalid(problems)
    return values


def _value(name: str, kind: str, value: Any, problems: list[Violation]) -> Any:
    """The field's value, or None with its problem added to `problems`."""
    path = f"/{name}"
    if not isinstance(value, str):
        problems.append(Violation("wrong_type", path, {"expected": "string"}))
        return None
    if kind == "date":
        day = _date(value)
        if day is None:
            problems.append(Violation("invalid_date", path))
        return day
    problem = _text_problem(name, value)
    if problem is not None:
        problems.append(Violation(problem, path, {"max": LIMITS[name]}))
        return None
    return value


def _text_problem(name: str, value: str) -> str | None:
    if not value.strip():
        return "empty_value"
    if len(value) > LIMITS[name]:
        return "too_long"
    if "\x00" in value:
        return "invalid_character"
    if name == "kyselylinkki" and not value.startswith(("https://", "http://")):
        return "survey_link_not_address"
    return None


def _date(value: str) -> date | None:
    """YYYY-MM-DD only (`fromisoformat` would take 20240101 and week dates too)."""
    if len(value) != len("2024-01-01"):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _invalid(problems: list[Violation]) -> ApiError:
    return ApiError(400, "validation_failed", params={"count": len(problems)}, violations=problems)
