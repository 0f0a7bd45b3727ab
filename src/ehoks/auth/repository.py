"""Queries of the sign-in package: web sessions and OpenID Connect sign-ins in progress."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, select, update
from sqlalchemy.orm import Session

from ehoks.access.subjects import SubjectKind
from ehoks.auth.models import OidcSignIn, WebSession
from ehoks.kit.db import driver
from ehoks.people.models import StaffGrant

# --- web sessions ------------------------------------------------------------------------------


def add_session(db: Session, row: WebSession) -> None:
    db.add(row)
    db.flush()


def session_by_id(db: Session, session_id: str) -> WebSession | None:
    return db.get(WebSession, session_id)


@dataclass(frozen=True, slots=True)
class FoundSession:
    """A session row as the request found it (read without the ORM: every request reads one)."""

    id: str
    kind: str
    principal: str
    display_name: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    data: dict[str, Any] | None


_SESSIONS = WebSession.metadata.tables["web_session"]
_SESSION_COLUMNS = tuple(_SESSIONS.c[field.name] for field in fields(FoundSession))
# A staff member's session with one row per grant (one row of NULLs without any; other kinds of
# session join none): who calls and what they may do, in one round trip on every request.
_SESSION_WITH_GRANTS = (
    select(*_SESSION_COLUMNS, StaffGrant.organisation_oid, StaffGrant.role)
    .outerjoin(
        StaffGrant,
        and_(
            _SESSIONS.c.kind == SubjectKind.STAFF.value,
            StaffGrant.staff_oid == _SESSIONS.c.principal,
        ),
    )
    .where(_SESSIONS.c.id == bindparam("id"))
)
_TOUCH = (
    update(_SESSIONS)
    .where(_SESSIONS.c.id == bindparam("session_id"))
    .values(last_seen_at=bindparam("seen", type_=_SESSIONS.c.last_seen_at.type))
)
_COLUMN_COUNT = len(_SESSION_COLUMNS)


def session_with_grants(
    db: Session, session_id: str
) -> tuple[FoundSession | None, list[tuple[str, str]]]:
    """The session row and, for a staff member's session, their (organisation, role) grants
    as they are now."""
    rows = driver.rows(db.connection(), _SESSION_WITH_GRANTS, {"id": session_id})
    if not rows:
        return None, []
    grants = [(row[-2], row[-1]) for row in rows if row[-2] is not None]
    return FoundSession(*rows[0][:_COLUMN_COUNT]), grants


def touch_found_session(db: Session, session_id: str, now: datetime) -> None:
    """Mark the session seen at `now` (for its idle timeout)."""
    driver.rows(db.connection(), _TOUCH, {"session_id": session_id, "seen": now})


def set_session_value(db: Session, row: WebSession, key: str, value: object) -> None:
    # A new dict, so that the JSON column is seen as changed.
    row.data = {**(row.data or {}), key: value}
    db.flush()


def revoke_session(db: Session, row: WebSession, now: datetime) -> None:
    row.revoked_at = now
    db.flush()


def revoke_sessions_of(db: Session, *, kind: str, principal: str, now: datetime) -> int:
    """Revoke every live session of one person; how many were live."""
    result = db.execute(
        update(WebSession)
        .where(
            WebSession.kind == kind,
            WebSession.principal == principal,
            WebSession.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# --- sign-ins in progress ------------------------------------------------------------------------


def add_sign_in(db: Session, row: OidcSignIn, *, forget_before: datetime) -> None:
    """Store a sign-in in progress, forgetting those nobody finished before `forget_before`."""
    forget_sign_ins(db, before=forget_before)
    db.add(row)
    db.flush()


def forget_sign_ins(db: Session, *, before: datetime) -> int:
    """Delete the sign-ins started before `before`; how many."""
    result = db.execute(
        delete(OidcSignIn)
        .where(OidcSignIn.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def take_sign_in(db: Session, state: str) -> OidcSignIn | None:
    """The sign-in of `state`, deleted; None if unknown or taken by a concurrent callback.

    Deleting by key and counting the rows means two concurrent callbacks cannot both win.
    """
    row = db.get(OidcSignIn, state)
    if row is None:
        return None
    removed = db.execute(
        delete(OidcSignIn)
        .where(OidcSignIn.state == state)
        .execution_options(synchronize_session=False)
    )
    db.expunge(row)
    return row if int(removed.rowcount) == 1 else None  # type: ignore[attr-defined]
