"""Share links: the student creates, lists and revokes them; anyone holding one opens it.

Only the plan's own student reaches its links: every student action first reads the plan
through `hoks.service.get_hoks` (404 for anyone else's plan), and a link is found only through
its plan. The link itself is a secret of 256 random bits, stored only as its SHA-256; opening
one needs no account and is throttled per address (`GUESSES`) like the token endpoint, since
a wrong secret is a guess.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Final

import orjson
from sqlalchemy.orm import Session

from ehoks.access.subjects import StudentSubject
from ehoks.audit import service as audit_service
from ehoks.audit.service import Event, Outcome
from ehoks.hoks import service as hoks_service
from ehoks.hoks.stored import StoredHoks
from ehoks.kit import throttle
from ehoks.kit.errors import ApiError, Violation
from ehoks.kit.i18n import Lang
from ehoks.people import repository as people_repository
from ehoks.pipeline.unit import AuditedUnit
from ehoks.planview.names import plan_names
from ehoks.registry import repository as registry_repository
from ehoks.sharing import repository
from ehoks.sharing.content import (
    Chosen,
    Content,
    SharedView,
    find_unit,
    shared_view,
    unit_part,
)
from ehoks.sharing.listeners import PLAN_DELETED
from ehoks.sharing.models import ShareLink

StudentUnit = AuditedUnit[StudentSubject]

# Wrong secrets from one address: 20 a minute, then 429 (the window's turn does not reset it).
GUESSES: Final = throttle.Limit("share-address", 20, timedelta(minutes=1))
DEFAULT_DAYS: Final = 30
MAX_LABEL: Final = 200
SECRET_BYTES: Final = 32  # 256 bits
OPEN: Final = "share.open"
CREATE: Final = "share.create"
REVOKE: Final = "share.revoke"


class State(StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"
    EXPIRED = "expired"
    REVOKED = "revoked"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def state_of(link: ShareLink, today: date) -> State:
    if link.revoked_at is not None:
        return State.REVOKED
    if today < link.valid_from:
        return State.NOT_YET
    if today > link.valid_to:
        return State.EXPIRED
    return State.OPEN


# --- the student's side -------------------------------------------------------------------------


def own_plan(unit: StudentUnit, hoks_id: int) -> StoredHoks:
    """One of the student's own plans; 404 for any other (or a missing one)."""
    actor = hoks_service.Actor(access=unit.access, audit=unit.audit)
    return hoks_service.get_hoks(unit.session, hoks_id, actor)


@dataclass(frozen=True, slots=True)
class NewShare:
    """A link as the student asks for it; `valid_*` None: from today, for `DEFAULT_DAYS`."""

    chosen: Chosen
    label: str
    valid_from: date | None = None
    valid_to: date | None = None
    # The national API has no label; the pages require one.
    label_required: bool = True


@dataclass(frozen=True, slots=True)
class Created:
    link: ShareLink
    secret: str  # shown once, to the student who made it; never stored


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def check(new: NewShare, document: dict[str, Any], today: date, paths: dict[str, str]) -> None:
    """400 with every problem of `new` at its field (`paths`: field -> path in the caller's
    terms, a JSON Pointer or a form field)."""
    problems: list[Violation] = []
    start = new.valid_from or today
    end = new.valid_to or start + timedelta(days=DEFAULT_DAYS)
    chosen = new.chosen
    if chosen.content is Content.UNIT:
        unit = find_unit(document, chosen.unit_module_id or "")
        if unit is None:
            problems.append(Violation("share_unknown_part", paths["unit"]))
        elif chosen.shared_module_id is not None and (
            unit_part(unit, chosen.shared_module_id, chosen.shared_module_type) is None
        ):
            problems.append(Violation("share_unknown_part", paths.get("shared", paths["unit"])))
    if (new.label_required and not new.label.strip()) or len(new.label) > MAX_LABEL:
        problems.append(Violation("share_label_required", paths["label"]))
    if end < today:
        problems.append(Violation("share_end_in_past", paths["valid_to"]))
    elif end < start:
        problems.append(Violation("share_end_before_start", paths["valid_to"]))
    elif end > one_year_after(start):
        problems.append(Violation("share_too_long", paths["valid_to"]))
    if problems:
        raise ApiError(
            400, "validation_failed", params={"count": len(problems)}, violations=problems
        )


def create(unit: StudentUnit, hoks_id: int, new: NewShare, paths: dict[str, str]) -> Created:
    """A new link to a part of one of the student's own plans."""
    plan = own_plan(unit, hoks_id)
    document = orjson.loads(plan.document)
    check(new, document, unit.today, paths)
    start = new.valid_from or unit.today
    chosen = new.chosen
    found = find_unit(document, chosen.unit_module_id or "") if chosen.unit_module_id else None
    secret = secrets.token_urlsafe(SECRET_BYTES)
    link = ShareLink(
        id=str(uuid.uuid4()),
        secret_hash=secret_hash(secret),
        hoks_id=plan.id,
        oppija_oid=unit.subject.oppija_oid,
        content=chosen.content.value,
        unit_module_id=chosen.unit_module_id if found else None,
        unit_type=found.national_type if found else None,
        shared_module_id=chosen.shared_module_id,
        shared_module_type=chosen.shared_module_type,
        with_contacts=chosen.with_contacts,
        label=new.label.strip(),
        valid_from=start,
        valid_to=new.valid_to or start + timedelta(days=DEFAULT_DAYS),
        created_at=unit.now,
        open_count=0,
    )
    repository.add(unit.session, link)
    unit.audit.about(share_id=link.id)
    return Created(link, secret)


def links_of(unit: StudentUnit, hoks_id: int) -> Sequence[ShareLink]:
    """Every link of one of the student's own plans, the newest first."""
    plan = own_plan(unit, hoks_id)
    return repository.of_plan(unit.session, plan.id)


def own_link(unit: StudentUnit, share_id: str) -> tuple[ShareLink, StoredHoks]:
    """A link of one of the student's own plans and that plan; 404 for anyone else's."""
    link = repository.by_id(unit.session, share_id)
    if link is None or link.hoks_id is None:  # a stripped link names no plan (retention)
        raise ApiError(404, "share_link_not_found")
    try:
        plan = own_plan(unit, link.hoks_id)
    except ApiError as refused:
        raise ApiError(404, "share_link_not_found") from refused
    unit.audit.about(share_id=link.id)
    return link, plan


def revoke(unit: StudentUnit, share_id: str) -> ShareLink:
    """Revoke one of the student's own links at once (again: nothing changes)."""
    link, _ = own_link(unit, share_id)
    repository.revoke(unit.session, link.id, unit.now)
    unit.session.refresh(link)
    return link


# --- opening a link -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Opened:
    """What opening a link came to: the view, or why there is none (`refusal`: an error code,
    and `status` its HTTP status)."""

    view: SharedView | None
    status: int = 200
    refusal: str = ""
    params: dict[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Opening:
    secret: str
    address: str
    request_id: str
    lang: Lang


def open_link(session: Session, opening: Opening, now: datetime, today: date) -> Opened:
    """The view behind a secret, for anyone holding it.

    Never raises for what a holder did: the wrong guess must be counted and the open recorded,
    so the transaction commits whatever the answer. 429 first when the address has guessed
    too often (a right secret included: the count is per address).
    """
    checks = [(GUESSES, opening.address)]
    waits = throttle.wait(session, GUESSES, opening.address, now)
    if waits is not None:
        return Opened(None, 429, "too_many_attempts", {"seconds": str(waits)})
    link = (
        repository.by_secret_hash(session, secret_hash(opening.secret))
        if 16 <= len(opening.secret) <= 64  # noqa: PLR2004 - a token_urlsafe(32) is 43
        else None
    )
    if link is None:
        throttle.count_all(session, checks, now)
        return Opened(None, 404, "share_link_not_found")
    state = state_of(link, today)
    refused = _refusal(link, state)
    if refused is not None:
        _record(session, link, opening, Outcome.DENIED, refused.refusal)
        return refused
    view = _view(session, link, opening.lang, today)
    if view is None:
        _record(session, link, opening, Outcome.DENIED, "share_link_gone")
        return Opened(None, 410, "share_link_gone")
    repository.count_open(session, link.id, now)
    _record(session, link, opening, Outcome.SUCCESS, "")
    return Opened(view)


def revoked_code(link: ShareLink) -> str:
    """The error code of a withdrawn link: by its student, or with its deleted plan."""
    if link.revoked_because == PLAN_DELETED:
        return "share_link_plan_deleted"
    return "share_link_revoked"


def _refusal(link: ShareLink, state: State) -> Opened | None:
    if state is State.REVOKED:
        return Opened(None, 410, revoked_code(link))
    if state is State.EXPIRED:
        return Opened(None, 410, "share_link_expired")
    if state is State.NOT_YET:
        return Opened(None, 423, "share_link_not_yet_open", {"day": link.valid_from.isoformat()})
    return None


def chosen_of(link: ShareLink) -> Chosen:
    return Chosen(
        Content(link.content),
        link.unit_module_id,
        link.shared_module_id,
        link.shared_module_type,
        link.with_contacts,
    )


def _view(session: Session, link: ShareLink, lang: Lang, today: date) -> SharedView | None:
    """The link's part of the plan as it is now; None when the plan or the part is gone."""
    from ehoks.hoks import repository as hoks_repository  # noqa: PLC0415 - the one read here

    if link.hoks_id is None:
        return None
    row = hoks_repository.view(session, link.hoks_id)
    if row is None:
        return None
    document = orjson.loads(row.document)
    facts, names = plan_names(session, document)
    person = registry_repository.get_person(session, row.oppija_oid)
    name = people_repository.display_name(person) if person is not None else ""
    view = shared_view(chosen_of(link), document, names, lang, today, facts, name)
    if view is not None:
        view.open_until = link.valid_to
    return view


def _record(session: Session, link: ShareLink, opening: Opening, outcome: str, code: str) -> None:
    """The open in the audit log, about the plan and its student: the student's "who has seen
    my plan" lists it. Who opened is known only as the link (its id and label)."""
    details: dict[str, Any] = {"share_id": link.id}
    if link.label:  # a stripped link has none, nor a plan or student
        details["share_label"] = link.label
    if code:
        details["code"] = code
    event = Event(
        request_id=opening.request_id,
        subject_kind="share_link",
        subject_id=link.id,
        operation=OPEN,
        outcome=outcome,
        role="share_link",
        hoks_id=link.hoks_id,
        oppija_oid=link.oppija_oid,
        details=details,
    )
    audit_service.record(session, event)
