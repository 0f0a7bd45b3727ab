"""The policy dependencies of routes that people call with a session cookie.

`person_policy` resolves the session cookie to a typed subject (staff member, student or
workplace instructor), refuses other kinds of subject, and checks the CSRF token on every
state-changing method. It is marked as a policy, so the route-enumeration test sees it.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Final

from fastapi import Depends, Request, params
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from ehoks.access.policy import POLICY_ATTRIBUTE
from ehoks.access.subjects import (
    Grant,
    Role,
    StaffSubject,
    StudentSubject,
    SubjectKind,
    WorkplaceInstructorSubject,
)
from ehoks.auth.forms import read_form
from ehoks.auth.models import WebSession
from ehoks.auth.sessions import COOKIE_NAME, CSRF_HEADER, find_session
from ehoks.config import Settings
from ehoks.kit.errors import ApiError
from ehoks.people.models import StaffGrant

PersonSubject = StaffSubject | StudentSubject | WorkplaceInstructorSubject
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_FORM_FIELD: Final = "csrf_token"


def person_policy(*kinds: SubjectKind, description: str) -> params.Depends:
    """A dependency that admits a signed-in person of one of `kinds` and returns the subject."""
    allowed = frozenset(kinds)

    def signed_in_person(request: Request) -> PersonSubject:
        subject = resolve_person(request)
        if subject is None:
            raise ApiError(401, "not_authenticated")
        if subject.kind not in allowed:
            raise ApiError(403, "forbidden")
        request.state.subject = subject
        return subject

    setattr(signed_in_person, POLICY_ATTRIBUTE, description)
    dependency: params.Depends = Depends(signed_in_person)
    return dependency


def session_form_policy(*kinds: SubjectKind, description: str) -> params.Depends:
    """Like `person_policy`, for routes that plain HTML forms post to (sign-out).

    The CSRF token may come in the `X-CSRF-Token` header or in the form field `csrf_token`.
    """
    allowed = frozenset(kinds)

    async def signed_in_person_form(request: Request) -> PersonSubject:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent:
            sent = (await read_form(request)).get(CSRF_FORM_FIELD, "")
        subject = await run_in_threadpool(resolve_person_with_csrf, request, sent)
        if subject is None:
            raise ApiError(401, "not_authenticated")
        if subject.kind not in allowed:
            raise ApiError(403, "forbidden")
        request.state.subject = subject
        return subject

    setattr(signed_in_person_form, POLICY_ATTRIBUTE, description)
    dependency: params.Depends = Depends(signed_in_person_form)
    return dependency


def resolve_person(request: Request) -> PersonSubject | None:
    """The subject of the request's session cookie, or None; checks CSRF for unsafe methods."""
    return resolve_person_with_csrf(request, request.headers.get(CSRF_HEADER, ""))


def resolve_person_with_csrf(request: Request, sent: str) -> PersonSubject | None:
    """`resolve_person` with the CSRF token the caller sent (from a header or a form field)."""
    token = request.cookies.get(COOKIE_NAME, "")
    if not token:
        return None
    settings: Settings = request.app.state.settings
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    with factory() as db:
        row = find_session(db, settings, token, datetime.now(UTC))
        if row is None:
            db.commit()
            return None
        if request.method not in SAFE_METHODS and not hmac.compare_digest(
            sent.encode(), row.csrf_token.encode()
        ):
            raise ApiError(403, "csrf_failed")
        subject = _subject_of(db, row)
        db.commit()
    return subject


def _subject_of(db: Session, row: WebSession) -> PersonSubject | None:
    builders: dict[str, Callable[[Session, WebSession], PersonSubject]] = {
        SubjectKind.STAFF: _staff,
        SubjectKind.STUDENT: _student,
        SubjectKind.WORKPLACE_INSTRUCTOR: _instructor,
    }
    builder = builders.get(row.kind)
    return builder(db, row) if builder else None


def _staff(db: Session, row: WebSession) -> StaffSubject:
    grants = db.execute(
        select(StaffGrant.organisation_oid, StaffGrant.role).where(
            StaffGrant.staff_oid == row.principal
        )
    ).all()
    return StaffSubject(
        oid=row.principal,
        name=row.display_name,
        grants=tuple(
            Grant(org, Role(role)) for org, role in grants if role in Role.__members__.values()
        ),
        session_id=row.id,
    )


def _student(_db: Session, row: WebSession) -> StudentSubject:
    return StudentSubject(oppija_oid=row.principal, name=row.display_name, session_id=row.id)


def _instructor(_db: Session, row: WebSession) -> WorkplaceInstructorSubject:
    return WorkplaceInstructorSubject(
        email=row.principal, session_id=row.id, signed_in_at=row.created_at
    )
