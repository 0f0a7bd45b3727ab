"""Workplace instructors: e-mailed single-use sign-in links, and the periods they may see.

Law 531/2017 109 a § lets a responsible workplace instructor get HOKS data only for the
training they are named for; docs/workplace-instructors.md explains the flow and the choices.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Final
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ehoks.access.policy import public
from ehoks.access.subjects import SubjectKind, WorkplaceInstructorSubject
from ehoks.audit.scope import audited
from ehoks.auth.dependencies import person_policy
from ehoks.auth.sessions import set_session_cookie, start_session
from ehoks.config import Settings
from ehoks.instructor import mail, pages, repository, service
from ehoks.kit.deps import unit_of_work
from ehoks.kit.errors import ApiError, message_for
from ehoks.kit.http import JsonResponse, read_json_body
from ehoks.kit.i18n import Lang
from ehoks.registry.directory import access_for

API: Final = "/ehoks-oppija-backend/api/v1/tyopaikkaohjaaja"
PAGES: Final = pages.BASE
MAX_FORM_BYTES: Final = 4096
ACCEPTED_BODY: Final[dict[str, dict[str, Any]]] = {"meta": {}, "data": {}}

router = APIRouter(tags=["workplace instructors"])

Instructor = Annotated[
    WorkplaceInstructorSubject,
    person_policy(
        SubjectKind.WORKPLACE_INSTRUCTOR,
        description="workplace instructor: only their own periods, within the visibility window",
    ),
]
PublicLinkRequest = public("asks for a sign-in link; answers the same for any address")
PublicPage = public("static sign-in page and forms; shows no personal data")
Token = Annotated[str, Query(max_length=128, description="The token of the e-mailed link.")]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _today(settings: Settings) -> date:
    return datetime.now(ZoneInfo(settings.timezone)).date()


# --- asking for a link ---------------------------------------------------------------------


def _send_link(request: Request, email: str) -> None:
    """Create and e-mail a link if the address may have one; ApiError 503 if mail is down."""
    settings = _settings(request)
    now = datetime.now(UTC)
    with unit_of_work(request) as session:
        link = service.request_link(session, settings, email, today=_today(settings), now=now)
    if link is None:
        return
    try:
        mail.send(settings, mail.compose(settings, email, link.url))
    except mail.MailUnavailableError:
        # The link was never delivered: drop it, so it does not count against the rate limit.
        with unit_of_work(request) as session:
            repository.delete_link(session, link.token_hash)
        raise ApiError(503, "mail_unavailable") from None


@router.post(
    f"{API}/kirjautumislinkki",
    status_code=202,
    summary="Ask for a sign-in link by e-mail",
    dependencies=[PublicLinkRequest],
)
async def request_link(request: Request) -> Response:
    """Send a single-use sign-in link to a responsible workplace instructor's address.

    Always 202 with the same body, whether or not the address is known, so the answer tells
    nobody who the instructors are. Asking more than three times in 15 minutes silently sends
    nothing. 503 `mail_unavailable` only when a link was due and the mail server failed.
    """
    body = await read_json_body(request, MAX_FORM_BYTES)
    email = service.parse_email(body.get("sahkoposti") if isinstance(body, dict) else None)
    await run_in_threadpool(_send_link, request, email)
    return JsonResponse(ACCEPTED_BODY, status_code=202)


@router.get(PAGES, summary="Sign-in page for workplace instructors", dependencies=[PublicPage])
def sign_in_page(request: Request) -> HTMLResponse:
    """The form where an instructor asks for a sign-in link (fi/sv/en)."""
    return HTMLResponse(pages.request_form(pages.page_lang(request)))


@router.post(PAGES, summary="Sign-in page form", dependencies=[PublicPage])
async def sign_in_form(request: Request) -> HTMLResponse:
    """The form variant of asking for a link: a classic form post, no JavaScript needed."""
    form = await _form(request)
    lang = pages.page_lang(request, form.get("lang"))
    given = form.get("sahkoposti", "")
    try:
        email = service.parse_email(given)
        await run_in_threadpool(_send_link, request, email)
    except ApiError as error:
        if error.status == 400:  # noqa: PLR2004 - a bad address: show the form again
            message = message_for("invalid_email", lang)
            return HTMLResponse(pages.request_form(lang, error=message, value=given), 400)
        return HTMLResponse(pages.message_page(lang, message_for(error.code, lang)), error.status)
    minutes = _settings(request).instructor_link_minutes
    return HTMLResponse(pages.request_sent(lang, minutes), status_code=202)


# --- using a link --------------------------------------------------------------------------


@router.get(f"{PAGES}/kirjaudu", summary="Open a sign-in link", dependencies=[PublicPage])
def open_link(request: Request, token: Token = "") -> HTMLResponse:
    """Show a sign-in button for a usable link, without using it up.

    Mail security scanners open links in e-mails before people do; if a GET used the link up,
    the instructor would find it already used. The button posts the token instead.
    """
    lang = pages.page_lang(request)
    with unit_of_work(request) as session:
        usable = service.link_is_usable(session, token, datetime.now(UTC))
    if not usable:
        return _invalid_link(lang)
    return HTMLResponse(pages.confirm_sign_in(lang, token))


@router.post(f"{PAGES}/kirjaudu", summary="Sign in with a link", dependencies=[PublicPage])
async def use_link(request: Request) -> Response:
    """Use the link up (once), start an instructor session and go to the periods page."""
    form = await _form(request)
    lang = pages.page_lang(request, form.get("lang"))
    if not _same_origin(request):
        return HTMLResponse(pages.message_page(lang, message_for("foreign_origin", lang)), 403)
    token = form.get("token", "")
    response = await run_in_threadpool(_sign_in, request, token, lang)
    return response if response is not None else _invalid_link(lang)


def _sign_in(request: Request, token: str, lang: Lang) -> Response | None:
    settings = _settings(request)
    now = datetime.now(UTC)
    with unit_of_work(request) as session:
        email = service.consume_link(session, token, now)
        if email is None:
            return None
        new = start_session(
            session,
            settings,
            kind=SubjectKind.WORKPLACE_INSTRUCTOR.value,
            principal=email,
            display_name=email,
            now=now,
            lifetime=service.session_lifetime(settings),
        )
        subject = WorkplaceInstructorSubject(email, new.row.id, now)
        with audited(request, subject, "session.sign_in") as scope:
            scope.succeeded(session)
    response = RedirectResponse(f"{PAGES}/jaksot?lang={lang.value}", status_code=303)
    set_session_cookie(response, settings, new)
    return response


def _invalid_link(lang: Lang) -> HTMLResponse:
    return HTMLResponse(pages.message_page(lang, message_for("sign_in_link_invalid", lang)), 410)


# --- the periods ---------------------------------------------------------------------------


def _periods(request: Request, subject: WorkplaceInstructorSubject) -> list[dict[str, Any]]:
    """The instructor's periods today; one audit event per HOKS they come from."""
    settings = _settings(request)
    with (
        audited(request, subject, "instructor.periods.read") as scope,
        unit_of_work(request) as session,
    ):
        access = access_for(session, subject)
        views = service.periods_for(session, access, service.window(settings, _today(settings)))
        by_hoks: dict[int, list[service.PeriodView]] = {}
        for view in views:
            by_hoks.setdefault(view.hoks_id, []).append(view)
        for hoks_id, group in by_hoks.items():
            scope.about(
                hoks_id=hoks_id,
                oppija_oid=group[0].oppija_oid,
                periods=[v.item["module-id"] for v in group],
            )
            scope.succeeded(session)
        if not by_hoks:
            scope.succeeded(session, periods=[])
    return [view.item for view in views]


@router.get(f"{API}/jaksot", summary="The signed-in instructor's workplace periods")
def periods(request: Request, subject: Instructor) -> Response:
    """Every workplace period the signed-in address is the responsible instructor of and whose
    visibility window contains today: the period, the unit, the tasks, the school's contact
    person and the student's name. Nothing else of the HOKS.
    """
    return JsonResponse({"meta": {}, "data": _periods(request, subject)})


@router.get(f"{PAGES}/jaksot", summary="The instructor's periods page")
def periods_page(request: Request, subject: Instructor) -> HTMLResponse:
    """The same periods as a page (fi/sv/en)."""
    return HTMLResponse(pages.periods_page(pages.page_lang(request), _periods(request, subject)))


# --- helpers -------------------------------------------------------------------------------


async def _form(request: Request) -> dict[str, str]:
    """A small urlencoded form body, first value of each field (no multipart needed)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            raise ApiError(413, "body_too_large", params={"limit": MAX_FORM_BYTES})
        chunks.append(chunk)
    parsed = parse_qs(b"".join(chunks).decode("utf-8", "replace"), max_num_fields=10)
    return {key: values[0] for key, values in parsed.items() if values}


def _same_origin(request: Request) -> bool:
    """A browser's form post carries Origin; refuse one from another site (login CSRF)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return origin is None
    ours = urlsplit(_settings(request).public_base_url)
    return origin.rstrip("/") == f"{ours.scheme}://{ours.netloc}"
