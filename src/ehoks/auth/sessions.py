"""Server-side web sessions: cookie token, idle and absolute expiry, CSRF token, sign-out.

The cookie holds 32 random bytes; the database holds only their SHA-256, so a leaked database
does not give anyone a session. Cookies are HttpOnly, Secure (settings) and SameSite=Lax; every
state-changing call with a session must also send the session's CSRF token in `X-CSRF-Token`.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.responses import Response

from ehoks.access.subjects import StaffSubject, StudentSubject, WorkplaceInstructorSubject
from ehoks.auth import repository
from ehoks.auth.models import WebSession
from ehoks.auth.repository import FoundSession
from ehoks.config import Settings
from ehoks.pipeline.callers import SESSION_COOKIE

COOKIE_NAME = SESSION_COOKIE

MAX_TOKEN_LENGTH = 128
# Writing last_seen_at on every request would make every read a write; a minute is precise
# enough for an idle timeout counted in tens of minutes.
TOUCH_INTERVAL = timedelta(seconds=60)
# The row found for the cookie, kept in the database session's `info` for the rest of the
# request, so that a page reading what it kept in the session (`session_value`) or the session's
# CSRF token finds it there instead of asking the database again. Forgotten when the request
# changes the row (`keep_in_session`, `sign_out`).
_FOUND_ROW = "ehoks.web_session"


@dataclass(frozen=True)
class NewSession:
    token: str
    row: WebSession


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    db: Session,
    settings: Settings,
    *,
    kind: str,
    principal: str,
    display_name: str,
    now: datetime | None = None,
    lifetime: timedelta | None = None,
    data: dict[str, Any] | None = None,
) -> NewSession:
    now = now or datetime.now(UTC)
    token = secrets.token_urlsafe(32)
    row = WebSession(
        id=token_hash(token),
        kind=kind,
        principal=principal,
        display_name=display_name,
        csrf_token=secrets.token_urlsafe(24),
        created_at=now,
        last_seen_at=now,
        expires_at=now + (lifetime or timedelta(minutes=settings.session_absolute_minutes)),
        revoked_at=None,
        data=data or {},
    )
    repository.add_session(db, row)
    return NewSession(token, row)


def find_session(
    db: Session, settings: Settings, token: str, now: datetime | None = None
) -> tuple[FoundSession, list[tuple[str, str]]] | None:
    """The live session of a cookie token, touched, with the (organisation, role) grants its
    staff member holds now (none for other people); None if unknown, revoked, idle or expired.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    now = now or datetime.now(UTC)
    row, grants = repository.session_with_grants(db, token_hash(token))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    if row.last_seen_at + timedelta(minutes=settings.session_idle_minutes) <= now:
        return None
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        repository.touch_found_session(db, row.id, now)
    db.info[_FOUND_ROW] = row
    return row, grants


def _session_row(db: Session, session_id: str) -> FoundSession | WebSession | None:
    """The session's row: the one this request found for its cookie, else read."""
    found = db.info.get(_FOUND_ROW)
    if isinstance(found, FoundSession) and found.id == session_id:
        return found
    return repository.session_by_id(db, session_id)


def csrf_token_of(db: Session, session_id: str) -> str:
    """The CSRF token of a session (which the session's own pages and scripts are given)."""
    row = _session_row(db, session_id)
    return row.csrf_token if row is not None else ""


def session_value(db: Session, session_id: str, key: str) -> object:
    """What a page kept in the session under `key` (a staff member's chosen organisation)."""
    row = _session_row(db, session_id)
    return (row.data or {}).get(key) if row is not None else None


def keep_in_session(db: Session, session_id: str, key: str, value: object) -> None:
    """Keep `value` in the session for its lifetime (JSON-serialisable)."""
    db.info.pop(_FOUND_ROW, None)
    row = repository.session_by_id(db, session_id)
    if row is not None:
        repository.set_session_value(db, row, key, value)


def sign_out(
    db: Session,
    subject: StaffSubject | StudentSubject | WorkplaceInstructorSubject,
    *,
    everywhere: bool,
    now: datetime,
) -> int:
    """End the subject's session (or every live session of theirs); how many ended."""
    db.info.pop(_FOUND_ROW, None)
    if everywhere:
        principal = principal_of(subject)
        return repository.revoke_sessions_of(db, kind=subject.kind, principal=principal, now=now)
    row = repository.session_by_id(db, subject.session_id)
    if row is None or row.revoked_at is not None:
        return 0
    repository.revoke_session(db, row, now)
    return 1


def principal_of(subject: StaffSubject | StudentSubject | WorkplaceInstructorSubject) -> str:
    """Who a session belongs to: a staff OID, an oppija OID or an e-mail address."""
    if isinstance(subject, StaffSubject):
        return subject.oid
    if isinstance(subject, StudentSubject):
        return subject.oppija_oid
    return subject.email


def set_session_cookie(response: Response, settings: Settings, new: NewSession) -> None:
    max_age = int((new.row.expires_at - new.row.created_at).total_seconds())
    response.set_cookie(
        COOKIE_NAME,
        new.token,
        max_age=max_age,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        COOKIE_NAME, path="/", secure=settings.cookie_secure, httponly=True, samesite="lax"
    )
