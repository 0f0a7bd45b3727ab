"""Who a session cookie belongs to, resolved inside the request's own transaction.

`person_of` is the pipeline's `PersonResolver` (connected by `ehoks.wiring`): it finds the live
session of the cookie, checks the CSRF token of a state-changing request, and builds the typed
subject. A staff member's grants are read on every request, so a revoked grant stops working at
once.
"""

from __future__ import annotations

import hmac

from ehoks.access.subjects import Grant, Role, StaffSubject, StudentSubject, SubjectKind
from ehoks.access.subjects import WorkplaceInstructorSubject as Instructor
from ehoks.auth.models import WebSession
from ehoks.auth.sessions import find_session
from ehoks.kit.errors import ApiError
from ehoks.people import repository as people_repository
from ehoks.pipeline.callers import PersonSubject, SessionCredentials
from ehoks.pipeline.unit import Unit


def person_of(unit: Unit, credentials: SessionCredentials) -> PersonSubject | None:
    """The subject of a live session, or None; 403 `csrf_failed` for a wrong CSRF token."""
    row = find_session(unit.session, unit.settings, credentials.token, unit.now)
    if row is None:
        return None
    if credentials.checks_csrf and not hmac.compare_digest(
        credentials.csrf_token.encode(), row.csrf_token.encode()
    ):
        raise ApiError(403, "csrf_failed")
    return subject_of(unit, row)


def subject_of(unit: Unit, row: WebSession) -> PersonSubject | None:
    if row.kind == SubjectKind.STAFF:
        return StaffSubject(
            oid=row.principal,
            name=row.display_name,
            grants=staff_grants(unit, row.principal),
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


def staff_grants(unit: Unit, staff_oid: str) -> tuple[Grant, ...]:
    """The staff member's grants now (a role the code does not know is ignored)."""
    known = {role.value for role in Role}
    return tuple(
        Grant(organisation, Role(role))
        for organisation, role in people_repository.grants_of(unit.session, staff_oid)
        if role in known
    )
