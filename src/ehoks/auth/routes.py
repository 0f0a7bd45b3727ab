"""Sign-in with OpenID Connect, sign-out, and the national-compatible session routes.

The sign-in routes are synchronous on purpose: they call the identity provider over HTTP (which
may be this very service, the development IdP), so they must run in the thread pool and leave
the event loop free.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from ehoks.access.policy import public
from ehoks.access.subjects import StaffSubject, StudentSubject, SubjectKind
from ehoks.audit.scope import audited
from ehoks.auth import oidc, service, views
from ehoks.auth.dependencies import PersonSubject, person_policy, session_form_policy
from ehoks.auth.forms import is_form
from ehoks.auth.models import WebSession
from ehoks.auth.sessions import (
    clear_session_cookie,
    end_all_sessions,
    end_session,
    set_session_cookie,
    start_session,
)
from ehoks.config import Settings
from ehoks.kit.deps import get_app_settings, unit_of_work
from ehoks.kit.errors import ApiError
from ehoks.kit.http import JsonResponse

router = APIRouter(tags=["sign-in"])

SIGN_IN_COOKIE: Final = "ehoks_sign_in"
CALLBACK_PATH: Final = "/auth/callback"
STAFF_SESSION: Final = "/ehoks-virkailija-backend/api/v1/virkailija/session"
STUDENT_SESSION: Final = "/ehoks-oppija-backend/api/v1/oppija/session"

StaffOnly = Annotated[
    StaffSubject,
    person_policy(SubjectKind.STAFF, description="a signed-in staff member (own session)"),
]
StudentOnly = Annotated[
    StudentSubject,
    person_policy(SubjectKind.STUDENT, description="a signed-in student (own session)"),
]
_EVERY_PERSON = (SubjectKind.STAFF, SubjectKind.STUDENT, SubjectKind.WORKPLACE_INSTRUCTOR)
AnyPersonForm = Annotated[
    PersonSubject,
    session_form_policy(*_EVERY_PERSON, description="any signed-in person (own session)"),
]


@router.get(
    "/auth/{audience}/login",
    dependencies=[public("starts a sign-in; holds no personal data")],
    summary="Sign in with the identity provider",
    response_class=RedirectResponse,
)
def login(
    request: Request,
    audience: str,
    return_to: Annotated[str | None, Query(max_length=service.MAX_RETURN_TO)] = None,
) -> Response:
    """Redirect to the identity provider of `staff` or `student` (authorization code + PKCE).

    After sign-in the browser lands on `return_to`, which must be a path of this service
    (anything else lands on `/`).
    """
    if audience not in service.AUDIENCES:
        raise ApiError(404, "not_found")
    settings = get_app_settings(request)
    with unit_of_work(request) as db:
        state, url = service.begin_sign_in(db, settings, audience, return_to, service.utcnow())
    response = RedirectResponse(url, status_code=302)
    # Binds the sign-in to this browser: a callback carrying someone else's code and state
    # (login CSRF) finds no matching cookie.
    response.set_cookie(
        SIGN_IN_COOKIE,
        state,
        max_age=int(service.SIGN_IN_MAX_AGE.total_seconds()),
        path=CALLBACK_PATH,
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
    )
    return response


@router.get(
    CALLBACK_PATH,
    dependencies=[public("finishes a sign-in; the provider's code is the credential")],
    summary="Return from the identity provider",
    response_class=RedirectResponse,
)
def callback(
    request: Request,
    state: Annotated[str, Query(max_length=200)] = "",
    code: Annotated[str, Query(max_length=2000)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """Check the sign-in, exchange the code, verify the ID token and start a session."""
    settings = get_app_settings(request)
    now = service.utcnow()
    with unit_of_work(request) as db:
        pending = service.consume_sign_in(db, state)
    # Committed: whatever happens next, this state cannot be used again.
    cookie = request.cookies.get(SIGN_IN_COOKIE, "")
    if (
        pending is None
        or service.is_stale(pending, now)
        or not hmac.compare_digest(cookie.encode(), state.encode())
    ):
        raise ApiError(400, "sign_in_state_invalid")
    if error or not code:
        raise ApiError(400, "sign_in_failed", params={"detail": error[:100] or "no code"})
    client = service.client_for(settings, pending.audience)
    id_token = oidc.exchange_code(client, code=code, code_verifier=pending.code_verifier)
    claims = oidc.verify_id_token(
        id_token, issuer=client.issuer, client_id=client.client_id, nonce=pending.nonce
    )
    response = RedirectResponse(pending.return_to, status_code=303)
    _start(request, settings, pending.audience, claims, response)
    response.delete_cookie(SIGN_IN_COOKIE, path=CALLBACK_PATH)
    return response


def _start(
    request: Request,
    settings: Settings,
    audience: str,
    claims: dict[str, Any],
    response: Response,
) -> None:
    now = service.utcnow()
    # Who signed in (the staff member's record and identity-provider grants are brought up to
    # date here, committed even if the session below were to fail).
    with unit_of_work(request) as db:
        if audience == SubjectKind.STAFF:
            signed = service.sign_in_staff(db, settings, claims, now)
        else:
            signed = service.sign_in_student(db, claims)
    with (
        audited(request, signed.subject, "session.sign_in") as scope,
        unit_of_work(request) as db,
    ):
        new = start_session(
            db,
            settings,
            kind=audience,
            principal=signed.principal,
            display_name=signed.display_name[:200],
            now=now,
        )
        if isinstance(signed.subject, StudentSubject):
            scope.about(oppija_oid=signed.principal)
        scope.succeeded(db, audience=audience)
    set_session_cookie(response, settings, new)


def _principal(subject: PersonSubject) -> str:
    if isinstance(subject, StaffSubject):
        return subject.oid
    if isinstance(subject, StudentSubject):
        return subject.oppija_oid
    return subject.email


def _signed_out(request: Request, data: dict[str, Any]) -> Response:
    """A form lands back on the front page; a script gets JSON."""
    response: Response
    if is_form(request):
        response = RedirectResponse("/", status_code=303)
    else:
        response = JsonResponse(views.envelope(data))
    clear_session_cookie(response, get_app_settings(request))
    return response


def _sign_out(request: Request, subject: PersonSubject, *, everywhere: bool) -> int:
    operation = "session.sign_out_everywhere" if everywhere else "session.sign_out"
    with audited(request, subject, operation) as scope, unit_of_work(request) as db:
        if isinstance(subject, StudentSubject):
            scope.about(oppija_oid=subject.oppija_oid)
        if everywhere:
            ended = end_all_sessions(db, kind=subject.kind, principal=_principal(subject))
        else:
            row = db.get(WebSession, subject.session_id)
            ended = 0
            if row is not None and row.revoked_at is None:
                end_session(db, row)
                ended = 1
        scope.succeeded(db, sessions=ended)
    return ended


@router.post("/auth/logout", summary="Sign out")
def logout(request: Request, subject: AnyPersonForm) -> Response:
    """End this session. Send the session's CSRF token in `X-CSRF-Token` or the form field
    `csrf_token`. A form post is redirected to `/`; other callers get JSON."""
    ended = _sign_out(request, subject, everywhere=False)
    return _signed_out(request, {"signed-out-sessions": ended})


@router.post("/auth/logout-everywhere", summary="Sign out everywhere")
def logout_everywhere(request: Request, subject: AnyPersonForm) -> Response:
    """End every session of the signed-in person, on every device (CSRF as in sign-out)."""
    ended = _sign_out(request, subject, everywhere=True)
    return _signed_out(request, {"signed-out-sessions": ended})


@router.get(STAFF_SESSION, summary="The staff member's session")
def staff_session(request: Request, subject: StaffOnly) -> JsonResponse:
    """Who is signed in, their privileges per organisation, and the session's CSRF token.

    Privileges are computed from the member's grants at the time of this call.
    """
    with unit_of_work(request) as db:
        data = views.staff_session(db, subject, views.csrf_token_of(db, subject))
    return JsonResponse(views.envelope(data))


@router.delete(STAFF_SESSION, summary="Sign out (staff)")
def staff_sign_out(request: Request, subject: StaffOnly) -> JsonResponse:
    """End this session (needs `X-CSRF-Token`)."""
    ended = _sign_out(request, subject, everywhere=False)
    response = JsonResponse(views.envelope({"signed-out-sessions": ended}))
    clear_session_cookie(response, get_app_settings(request))
    return response


@router.get(STUDENT_SESSION, summary="The student's session")
def student_session(request: Request, subject: StudentOnly) -> JsonResponse:
    """The signed-in student (names from the person registry) and the session's CSRF token."""
    with unit_of_work(request) as db:
        data = views.student_session(db, subject, views.csrf_token_of(db, subject))
    return JsonResponse(views.envelope([data]))


@router.get(f"{STUDENT_SESSION}/user-info", summary="The signed-in student's person data")
def student_user_info(request: Request, subject: StudentOnly) -> JsonResponse:
    """The student's names from the person registry."""
    with unit_of_work(request) as db:
        data = {**views.student_person(db, subject), "contact-values-group": []}
    return JsonResponse(views.envelope([data]))


@router.delete(STUDENT_SESSION, summary="Sign out (student)")
def student_sign_out(request: Request, subject: StudentOnly) -> JsonResponse:
    """End this session (needs `X-CSRF-Token`)."""
    ended = _sign_out(request, subject, everywhere=False)
    response = JsonResponse(views.envelope({"signed-out-sessions": ended}))
    clear_session_cookie(response, get_app_settings(request))
    return response
