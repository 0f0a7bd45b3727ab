"""Workplace instructors: e-mailed single-use sign-in links, and the periods they may see.

Law 531/2017 109 a § lets a responsible workplace instructor get HOKS data only for the
training they are named for; docs/workplace-instructors.md explains the flow and the choices.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from ehoks.access.subjects import SubjectKind, WorkplaceInstructorSubject
from ehoks.auth.sessions import set_session_cookie
from ehoks.config import Settings
from ehoks.instructor import mail, pages, service
from ehoks.kit.errors import ApiError, message_for
from ehoks.kit.forms import read_form, same_origin
from ehoks.kit.http import read_json_body, request_lang
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import FieldError, page_lang, page_router, render
from ehoks.kit.policy import public
from ehoks.kit.responses import Empty, Envelope, NoMeta, envelope
from ehoks.pipeline.callers import PendingPerson, person_policy
from ehoks.pipeline.run import handle, handle_public, off_loop, refusals_audited
from ehoks.pipeline.unit import Unit

API: Final = "/ehoks-oppija-backend/api/v1/tyopaikkaohjaaja"
PAGES: Final = pages.BASE
MAX_FORM_BYTES: Final = 4096

router = APIRouter(tags=["workplace instructors"])
# The pages: their errors (a used link, an ended session) are pages leading back to the form.
page_routes = page_router(sign_in=PAGES)

Instructor = Annotated[
    PendingPerson[WorkplaceInstructorSubject],
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


# --- asking for a link ---------------------------------------------------------------------


async def _send_link(request: Request, email: str, lang: Lang) -> None:
    """Create and e-mail a link if the address may have one; ApiError 503 if mail is down.

    The link is stored (committed) before the mail goes out, and forgotten if it could not be
    sent, so that an undelivered link does not count against the address's limit.
    """

    def create(unit: Unit) -> service.NewLink | None:
        return service.request_link(
            unit.session, unit.settings, email, today=unit.today, now=unit.now
        )

    link = await handle_public(request, create)
    if link is None:
        return
    settings = _settings(request)
    try:
        await off_loop(mail.send, settings, mail.compose(settings, email, link.url, lang))
    except mail.MailUnavailableError:
        await handle_public(request, lambda unit: service.forget_link(unit.session, link))
        raise ApiError(503, "mail_unavailable") from None


async def _link_request_body(request: Request) -> Any:
    return await read_json_body(request, MAX_FORM_BYTES)


@router.post(
    f"{API}/kirjautumislinkki",
    status_code=202,
    summary="Ask for a sign-in link by e-mail",
    dependencies=[PublicLinkRequest],
    response_model=Envelope[Empty, NoMeta],
)
async def request_link(request: Request) -> Response:
    """Send a single-use sign-in link to a responsible workplace instructor's address.

    Always 202 with the same body, whether or not the address is known, so the answer tells
    nobody who the instructors are. Asking more than three times in 15 minutes silently sends
    nothing. 503 `mail_unavailable` only when a link was due and the mail server failed.
    """
    body = await refusals_audited(request, _link_request_body, "instructor.link-request")
    email = service.parse_email(body.get("sahkoposti") if isinstance(body, dict) else None)
    await _send_link(request, email, request_lang(request))
    return envelope(Empty(), status=202)


@page_routes.get(PAGES, summary="Sign-in page for workplace instructors", dependencies=[PublicPage])
def sign_in_page(request: Request) -> Response:
    """The form where an instructor asks for a sign-in link (fi/sv/en)."""
    return render(request, "instructor/request_link.html", {"email": ""})


@page_routes.post(PAGES, summary="Sign-in page form", dependencies=[PublicPage])
async def sign_in_form(request: Request) -> Response:
    """The form variant of asking for a link: a classic form post, no JavaScript needed."""
    form = await read_form(request, max_bytes=MAX_FORM_BYTES, max_fields=10)
    lang = page_lang(request, form.get("lang"))
    given = form.get("sahkoposti", "")
    try:
        email = service.parse_email(given)
    except ApiError:
        errors = [FieldError("email", message_for("invalid_email", lang))]
        values = {"email": given, "errors": errors}
        return render(request, "instructor/request_link.html", values, status_code=400, lang=lang)
    await _send_link(request, email, lang)
    minutes = _settings(request).instructor_link_minutes
    return render(
        request, "instructor/link_sent.html", {"minutes": minutes}, status_code=202, lang=lang
    )


# --- using a link --------------------------------------------------------------------------


@page_routes.get(f"{PAGES}/kirjaudu", summary="Open a sign-in link", dependencies=[PublicPage])
async def open_link(request: Request, token: Token = "") -> Response:
    """Show a sign-in button for a usable link, without using it up.

    Mail security scanners open links in e-mails before people do; if a GET used the link up,
    the instructor would find it already used. The button posts the token instead.
    """
    usable = await handle_public(
        request, lambda unit: service.link_is_usable(unit.session, token, unit.now)
    )
    if not usable:
        raise ApiError(410, "sign_in_link_invalid")
    return render(request, "instructor/confirm.html", {"token": token})


@page_routes.post(f"{PAGES}/kirjaudu", summary="Sign in with a link", dependencies=[PublicPage])
async def use_link(request: Request) -> Response:
    """Use the link up (once), start an instructor session and go to the periods page."""
    form = await read_form(request, max_bytes=MAX_FORM_BYTES, max_fields=10)
    lang = page_lang(request, form.get("lang"))
    if not same_origin(request, _settings(request).public_base_url):
        raise ApiError(403, "foreign_origin")
    signing_in = service.LinkSignIn(form.get("token", ""))
    new = await handle(request, signing_in, "session.sign_in", service.start_instructor_session)
    response = RedirectResponse(f"{PAGES}/jaksot?lang={lang.value}", status_code=303)
    set_session_cookie(response, _settings(request), new)
    return response


# --- the periods ---------------------------------------------------------------------------


@router.get(
    f"{API}/jaksot",
    summary="The signed-in instructor's workplace periods",
    response_model=Envelope[list[dict[str, Any]], NoMeta],
)
async def periods(request: Request, subject: Instructor) -> Response:
    """Every workplace period the signed-in address is the responsible instructor of and whose
    visibility window contains today: the period, the unit, the tasks, the school's contact
    person and the student's name. Nothing else of the HOKS.
    """
    return envelope(await handle(request, subject, "instructor.periods.read", service.periods_seen))


@page_routes.get(f"{PAGES}/jaksot", summary="The instructor's periods page")
async def periods_page(request: Request, subject: Instructor) -> Response:
    """The same periods as a page (fi/sv/en)."""
    items = await handle(request, subject, "instructor.periods.read", service.periods_seen)
    cards = pages.period_cards(items, page_lang(request))
    return render(request, "instructor/periods.html", {"periods": cards})


router.include_router(page_routes)
