"""Who a session cookie belongs to, resolved inside the request's own transaction.

`person_of` is the pipeline's `PersonResolver` (connected by `ehoks.wiring`): it finds the live
session of the cookie, checks the CSRF token of a state-changing request, and builds the typed
subject. A staff member's grants are read on every request, with the session in one query, so a
revoked grant stops working at once.
"""

from __future__ import annotations

import hmac
from typing import Final

from ehoks.access.subjects import Grant, Role, StaffSubject, StudentSubject, SubjectKind
from ehoks.access.subjects import WorkplaceInstructorSubject as Instructor
from ehoks.auth.models import WebSession
from ehoks.auth.repository import FoundSession
from ehoks.auth.sessions import find_session
from ehoks.kit.errors import ApiError
from ehoks.pipeline.callers import PersonSubject, SessionCredentials
from ehoks.pipeline.unit import Unit

_ROLES: Final = frozenset(role.value for role in Role)


def person_of(unit: Unit, credentials: SessionCredentials) -> PersonSubject | None:
    """The subject of a live session, or None; 403 `csrf_failed` for a wrong CSRF token."""
    found = find_session(unit.session, unit.settings, credentials.token, unit.now)
    if found is None:
        return None
    row, grants = found
    if credentials.checks_csrf and not hmac.compare_digest(
        credentials.csrf_token.encode(), row.csrf_token.encode()
    ):
        raise ApiError(403, "csrf_failed")
    return subject_of(row, grants)


def subject_of(
    row: WebSession | FoundSession, grants: list[tuple[str, str]]
) -> PersonSubject | None:
    """The subject of a session row; `grants`: a staff member's, read with the row."""
    if row.kind == SubjectKind.STAFF:
        return StaffSubject(
            oid=row.principal,
            name=row.display_name,
            grants=staff_grants(grants),
            session_id=row.id,
            csrf_token=row.csrf_token,
        )
    if row.kind == SubjectKind.STUDENT:
        return StudentSubject(
            oppija_oid=row.principal,
            name=row.display_name,
            session_id=row.id,
            csrf_token=row.csrf_token,
        )
    if row.kind == SubjectKind.WORKPLACE_INSTRUCTOR:
        return Instructor(
            email=row.principal,
            session_id=row.id,
            signed_in_at=row.created_at,
            csrf_token=row.csrf_token,
        )
    return None


def staff_grants(held: list[tuple[str, str]]) -> tuple[Grant, ...]:
    """The staff member's grants (a role the code does not know is ignored)."""
    return tuple(Grant(organisation, Role(role)) for organisation, role in held if role in _ROLES)
