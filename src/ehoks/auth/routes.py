"""Sign-in with OpenID Connect, sign-out, and the national-compatible session routes.

The sign-in routes are synchronous on purpose: they call the identity provider over HTTP (which
may be this very service, the development IdP) between their units of work, so they run in the
thread pool and use the pipeline's `perform` variants.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from ehoks.access.subjects import StaffSubject, StudentSubject, Subject, SubjectKind
from ehoks.auth import oidc, service, sessions, views
from ehoks.auth.schemas import SignedOut, StaffSession, StudentSession, UserInfo
from ehoks.auth.sessions import clear_session_cookie, set_session_cookie
from ehoks.config import Settings
from ehoks.kit.deps import get_app_settings
from ehoks.kit.errors import ApiError
from ehoks.kit.forms import is_form
from ehoks.kit.http import client_address, request_id
from ehoks.kit.pages.errors import error_page
from ehoks.kit.pages.routing import accepts_html
from ehoks.kit.policy import public
from ehoks.kit.responses import Envelope, NoMeta, envelope
from ehoks.pipeline.callers import (
    PendingPerson,
    PersonSubject,
    person_policy,
    session_form_policy,
)
from ehoks.pipeline.run import handle, perform, perform_public
from ehoks.pipeline.unit import AuditedUnit

router = APIRouter(tags=["sign-in"])

SIGN_IN_COOKIE: Final = "ehoks_sign_in"
CALLBACK_PATH: Final = "/auth/callback"
STAFF_SESSION: Final = "/ehoks-virkailija-backend/api/v1/virkailija/session"
STUDENT_SESSION: Final = "/ehoks-oppija-backend/api/v1/oppija/session"
GUARDIAN_PAGE: Final = "/ehoks/huoltaja"

StaffOnly = Annotated[
    PendingPerson[StaffSubject],
    person_policy(SubjectKind.STAFF, description="a signed-in staff member (own session)"),
]
StudentOnly = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="a signed-in student (own session)"),
]
_EVERY_PERSON = (SubjectKind.STAFF, SubjectKind.STUDENT, SubjectKind.WORKPLACE_INSTRUCTOR)
AnyPersonForm = Annotated[
    PendingPerson[PersonSubject],
    session_form_policy(*_EVERY_PERSON, description="any signed-in person (own session)"),
]


@router.get(
    "/auth/{audience}/login",
    dependencies=[public("starts a sign-in; holds no personal data")],
    summary="Sign in with the identity provider",
    response_class=RedirectResponse,
    status_code=302,
    response_description="To the identity provider's sign-in page.",
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
    try:
        state, url = perform_public(
            request,
            lambda unit: service.begin_sign_in(
                unit.session,
                unit.settings,
                audience,
                return_to,
                now=unit.now,
                address=client_address(request),
            ),
        )
    except ApiError as refused:
        # A browser came here by following a link or a button: it gets a page with a way on.
        if accepts_html(request):
            return error_page(request, refused, request_id(request))
        raise
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
    status_code=303,
    response_description="Signed in: to the page the sign-in started from.",
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
    pending = perform_public(request, lambda unit: service.consume_sign_in(unit.session, state))
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
    try:
        _start(request, settings, pending.audience, claims, response)
    except ApiError as refused:
        # A guardian acting for a child (Suomi.fi mandates) who is no student themselves: a page
        # that explains why the child's plan is not shown, instead of a bare refusal.
        if refused.code == "student_unknown" and claims.get("acting_for"):
            return RedirectResponse(GUARDIAN_PAGE, status_code=303)
        raise
    response.delete_cookie(SIGN_IN_COOKIE, path=CALLBACK_PATH)
    return response


def _start(
    request: Request,
    settings: Settings,
    audience: str,
    claims: dict[str, Any],
    response: Response,
) -> None:
    # Who signed in (the staff member's record and identity-provider grants are brought up to
    # date here, committed even if the session below were to fail).
    if audience == SubjectKind.STAFF:
        signed = perform_public(
            request,
            lambda unit: service.sign_in_staff(unit.session, unit.settings, claims, unit.now),
        )
    else:
        signed = perform_public(request, lambda unit: service.sign_in_student(unit.session, claims))

    def start(unit: AuditedUnit[Subject]) -> sessions.NewSession:
        if isinstance(unit.subject, StudentSubject):
            unit.audit.about(oppija_oid=signed.principal)
        unit.audit.about(audience=audience)
        return sessions.start_session(
            unit.session,
            unit.settings,
            kind=audience,
            principal=signed.principal,
            display_name=signed.display_name[:200],
            now=unit.now,
        )

    new = perform(request, signed.subject, "session.sign_in", start)
    set_session_cookie(response, settings, new)


def _signed_out(request: Request, ended: int, *, form_lands_on: str | None = "/") -> Response:
    """A form lands back on the front page; a script gets JSON. Either way the cookie goes."""
    response: Response
    if form_lands_on is not None and is_form(request):
        response = RedirectResponse(form_lands_on, status_code=303)
    else:
        response = envelope(SignedOut(signed_out_sessions=ended))
    clear_session_cookie(response, get_app_settings(request))
    return response


async def _sign_out(
    request: Request, caller: PendingPerson[PersonSubject], *, everywhere: bool
) -> int:
    operation = "session.sign_out_everywhere" if everywhere else "session.sign_out"

    def work(unit: AuditedUnit[PersonSubject]) -> int:
        if isinstance(unit.subject, StudentSubject):
            unit.audit.about(oppija_oid=unit.subject.oppija_oid)
        ended = sessions.sign_out(unit.session, unit.subject, everywhere=everywhere, now=unit.now)
        unit.audit.about(sessions=ended)
        return ended

    return await handle(request, caller, operation, work)


SignedOutAnswer = Envelope[SignedOut, NoMeta]


@router.post(
    "/auth/logout",
    summary="Sign out",
    response_model=SignedOutAnswer,
    responses={303: {"description": "A form post lands back on `/`."}},
)
async def logout(request: Request, subject: AnyPersonForm) -> Response:
    """End this session. Send the session's CSRF token in `X-CSRF-Token` or the form field
    `csrf_token`. A form post is redirected to `/`; other callers get JSON."""
    return _signed_out(request, await _sign_out(request, subject, everywhere=False))


@router.post(
    "/auth/logout-everywhere",
    summary="Sign out everywhere",
    response_model=SignedOutAnswer,
    responses={303: {"description": "A form post lands back on `/`."}},
)
async def logout_everywhere(request: Request, subject: AnyPersonForm) -> Response:
    """End every session of the signed-in person, on every device (CSRF as in sign-out)."""
    return _signed_out(request, await _sign_out(request, subject, everywhere=True))


@router.get(
    STAFF_SESSION,
    summary="The staff member's session",
    response_model=Envelope[StaffSession, NoMeta],
)
async def staff_session(request: Request, subject: StaffOnly) -> Response:
    """Who is signed in, their privileges per organisation, and the session's CSRF token.

    Privileges are computed from the member's grants at the time of this call.
    """
    return envelope(await handle(request, subject, None, views.staff_session))


@router.delete(STAFF_SESSION, summary="Sign out (staff)", response_model=SignedOutAnswer)
async def staff_sign_out(request: Request, subject: StaffOnly) -> Response:
    """End this session (needs `X-CSRF-Token`)."""
    ended = await _sign_out(request, subject, everywhere=False)
    return _signed_out(request, ended, form_lands_on=None)


@router.get(
    STUDENT_SESSION,
    summary="The student's session",
    response_model=Envelope[list[StudentSession], NoMeta],
)
async def student_session(request: Request, subject: StudentOnly) -> Response:
    """The signed-in student (names from the person registry) and the session's CSRF token."""
    return envelope([await handle(request, subject, None, views.student_session)])


@router.get(
    f"{STUDENT_SESSION}/user-info",
    summary="The signed-in student's person data",
    response_model=Envelope[list[UserInfo], NoMeta],
)
async def student_user_info(request: Request, subject: StudentOnly) -> Response:
    """The student's names from the person registry."""
    return envelope([await handle(request, subject, None, views.student_user_info)])


@router.delete(STUDENT_SESSION, summary="Sign out (student)", response_model=SignedOutAnswer)
async def student_sign_out(request: Request, subject: StudentOnly) -> Response:
    """End this session (needs `X-CSRF-Token`)."""
    ended = await _sign_out(request, subject, everywhere=False)
    return _signed_out(request, ended, form_lands_on=None)
