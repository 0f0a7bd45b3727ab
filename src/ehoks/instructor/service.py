"""Workplace instructors: who gets a sign-in link, and the periods a session shows.

An instructor sees a workplace period from `instructor_days_before` days before it starts until
`instructor_days_after` days after it ends (Europe/Helsinki dates), and only while the HOKS still
names their e-mail address as the period's responsible instructor. `ehoks.access` decides that
(`VisibilityWindow`, `Access.period_scope`); the list is read from the projection on every
request, so a changed address ends access at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.access.decision import VisibilityWindow
from ehoks.access.rules import Access
from ehoks.access.subjects import SubjectKind, WorkplaceInstructorSubject
from ehoks.audit.service import Event, Outcome
from ehoks.auth.sessions import NewSession, start_session
from ehoks.config import Settings
from ehoks.instructor import repository
from ehoks.instructor.models import SignInLink
from ehoks.instructor.projection import normalise_email
from ehoks.kit.errors import ApiError, Violation
from ehoks.pipeline.unit import AuditedUnit, Unit
from ehoks.registry import names as registry_names

MAX_EMAIL_LENGTH: Final = 320
MAX_TOKEN_LENGTH: Final = 128
# At most this many links per address in the window below, counted from the link table.
RATE_LIMIT_LINKS: Final = 3
RATE_LIMIT_WINDOW: Final = timedelta(minutes=15)
LINK_PATH: Final = "/tyopaikkaohjaaja/kirjaudu"


@dataclass(frozen=True, slots=True)
class NewLink:
    token_hash: str
    url: str


@dataclass
class PeriodView:
    hoks_id: int
    oppija_oid: str
    item: dict[str, Any] = field(default_factory=dict)


def window(settings: Settings, today: date) -> VisibilityWindow:
    """The visibility window of today, as the settings give it."""
    return VisibilityWindow(today, settings.instructor_days_before, settings.instructor_days_after)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_email(value: object) -> str:
    """The address of a sign-in request, normalised; 400 unless it looks like an address."""
    email = normalise_email(value)
    if email is None or len(email) > MAX_EMAIL_LENGTH or not _looks_like_address(email):
        raise ApiError(
            400,
            "validation_failed",
            params={"count": 1},
            violations=[Violation("invalid_email", "/sahkoposti")],
        )
    return email


def _looks_like_address(email: str) -> bool:
    local, at, domain = email.rpartition("@")
    return bool(at and local and "." in domain and not any(c.isspace() for c in email))


def request_link(
    session: Session, settings: Settings, email: str, *, today: date, now: datetime
) -> NewLink | None:
    """A new link for `email`, or None: not a current instructor, or asked too often.

    The caller answers the same either way, so nobody learns which addresses are known.
    """
    seen = window(settings, today)
    if not repository.has_visible_period(
        session, email, starts_by=seen.starts_by, ends_from=seen.ends_from
    ):
        return None
    if repository.links_since(session, email, now - RATE_LIMIT_WINDOW) >= RATE_LIMIT_LINKS:
        return None
    token = secrets.token_urlsafe(32)
    hashed = token_hash(token)
    repository.add_link(
        session,
        SignInLink(
            token_hash=hashed,
            email=email,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.instructor_link_minutes),
            used_at=None,
        ),
    )
    url = f"{settings.public_base_url.rstrip('/')}{LINK_PATH}?token={token}"
    return NewLink(hashed, url)


def forget_link(session: Session, link: NewLink) -> None:
    """Drop a link that was never delivered, so that it does not count against the limit."""
    repository.delete_link(session, link.token_hash)


def link_is_usable(session: Session, token: str, now: datetime) -> bool:
    return _plausible(token) and repository.usable_link(session, token_hash(token), now) is not None


def consume_link(session: Session, token: str, now: datetime) -> str | None:
    """The e-mail address of a usable link, which is used up by this; None if not usable."""
    if not _plausible(token):
        return None
    return repository.consume_link(session, token_hash(token), now)


def _plausible(token: str) -> bool:
    return 0 < len(token) <= MAX_TOKEN_LENGTH and token.isascii()


def periods_for(session: Session, access: Access, window: VisibilityWindow) -> list[PeriodView]:
    """What an instructor sees today: their periods within the window, each with the student's name.

    Nothing else of the HOKS: the summary was cut down when the projection was written.
    """
    scope = access.period_scope(window)
    if scope is None:
        return []
    periods = repository.periods_in_scope(session, scope)
    students = repository.students(session, (p.hoks_id for p in periods))
    names = repository.code_names(session, _codes(p.summary for p in periods))
    schools = {  # only the schools the registry knows: an OID means nothing to an instructor
        oid: named
        for oid, named in registry_names.organisation_names(
            session, _schools(p.summary for p in periods)
        ).items()
        if oid not in named.values()
    }
    views: list[PeriodView] = []
    for period in periods:
        student = students.get(period.hoks_id)
        if student is None:  # the HOKS was hidden after the projection was read
            continue
        item: dict[str, Any] = {"module-id": period.module_id, **period.summary}
        item["tutkinnon-osa"] = _named(dict(item.get("tutkinnon-osa") or {}), names)
        contact = dict(item.get("jarjestajan-edustaja") or {})
        if contact.get("oppilaitos-oid") in schools:
            contact["oppilaitos-nimi"] = schools[contact["oppilaitos-oid"]]
            item["jarjestajan-edustaja"] = contact
        item.setdefault("naytot", [])  # rows projected before demonstrations were copied
        item["nakyvissa-asti"] = window.visible_until(period.loppu).isoformat()
        item["opiskelija"] = {"nimi": student.name}
        views.append(PeriodView(period.hoks_id, student.oppija_oid, item))
    return views


_CODE_KEYS: Final = {
    "tutkinnon-osa-koodi-uri": "tutkinnon-osa-nimi",
    "osa-alue-koodi-uri": "osa-alue-nimi",
}


def _codes(summaries: Any) -> set[str]:
    found: set[str] = set()
    for summary in summaries:
        unit = summary.get("tutkinnon-osa") or {}
        found |= {unit[key] for key in _CODE_KEYS if isinstance(unit.get(key), str)}
    return found


def _schools(summaries: Any) -> set[str]:
    """The schools of the contact persons, to name them beside the person."""
    found: set[str] = set()
    for summary in summaries:
        school = (summary.get("jarjestajan-edustaja") or {}).get("oppilaitos-oid")
        if isinstance(school, str):
            found.add(school)
    return found


def _named(unit: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    for code_key, name_key in _CODE_KEYS.items():
        known = names.get(unit.get(code_key) or "")
        if known:
            unit[name_key] = known
    return unit


def session_lifetime(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.instructor_session_minutes)


@dataclass(frozen=True, slots=True)
class LinkSignIn:
    """A caller known by the link they use: the link is used up inside the sign-in's own
    transaction (`ehoks.pipeline.callers.Resolvable`)."""

    token: str

    def resolve(self, unit: Unit) -> WorkplaceInstructorSubject:
        email = consume_link(unit.session, self.token, unit.now)
        if email is None:
            raise ApiError(410, "sign_in_link_invalid")
        return WorkplaceInstructorSubject(email, "", unit.now)


def start_instructor_session(unit: AuditedUnit[WorkplaceInstructorSubject]) -> NewSession:
    """The session of an instructor who just used their link."""
    email = unit.subject.email
    return start_session(
        unit.session,
        unit.settings,
        kind=SubjectKind.WORKPLACE_INSTRUCTOR.value,
        principal=email,
        display_name=email,
        now=unit.now,
        lifetime=session_lifetime(unit.settings),
    )


def periods_seen(unit: AuditedUnit[WorkplaceInstructorSubject]) -> list[dict[str, Any]]:
    """The instructor's periods today, with one audit event per HOKS they come from."""
    views = periods_for(unit.session, unit.access, window(unit.settings, unit.today))
    by_hoks: dict[int, list[PeriodView]] = {}
    for view in views:
        by_hoks.setdefault(view.hoks_id, []).append(view)
    template = unit.audit.event(Outcome.SUCCESS)
    events = [
        _about(template, hoks_id, group[0].oppija_oid, [v.item["module-id"] for v in group])
        for hoks_id, group in by_hoks.items()
    ]
    unit.audit.recorded_all(unit.session, events or [_about(template, None, None, [])])
    return [view.item for view in views]


def _about(
    template: Event, hoks_id: int | None, oppija_oid: str | None, periods: list[str]
) -> Event:
    return replace(
        template,
        hoks_id=hoks_id,
        oppija_oid=oppija_oid,
        details={**template.details, "periods": periods},
    )
