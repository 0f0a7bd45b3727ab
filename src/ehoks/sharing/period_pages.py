"""A workplace period's page for its student, with "send the period to my instructor":
`/ehoks/suunnittelu/{id}/jaksot/{module-id}` (see `instructor_link`)."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ehoks.instructor import mail
from ehoks.instructor import service as instructor_service
from ehoks.kit.errors import ApiError
from ehoks.kit.forms import read_form
from ehoks.kit.pages import page_lang, page_router, render
from ehoks.pipeline.run import handle, handle_public, off_loop
from ehoks.sharing import instructor_link, service
from ehoks.sharing.pages import HoksId, Student, StudentForm

PERIOD: Final = "/ehoks/suunnittelu/{hoks_id}/jaksot/{module_id}"
SEND: Final = "share.instructor-link"

router = APIRouter()
pages = page_router(sign_in="/auth/student/login?return_to={here}")
ModuleId = Annotated[str, Path(max_length=36, description="The period's module-id.")]


@pages.get(PERIOD, summary="A workplace period of my plan")
async def period(
    request: Request, hoks_id: HoksId, module_id: ModuleId, subject: Student
) -> Response:
    """The period, its instructor and when the instructor can see it."""
    lang = page_lang(request)

    def work(unit: service.StudentUnit) -> instructor_link.PeriodPage:
        return instructor_link.period_page(unit, hoks_id, module_id, lang)

    found = await handle(request, subject, "read-hoks", work, read_only=True)
    return render(request, "sharing/period.html", {"found": found, "sent": None})


@pages.post(f"{PERIOD}/ohjaajalle", summary="Send the period to its instructor (form)")
async def send(
    request: Request, hoks_id: HoksId, module_id: ModuleId, subject: StudentForm
) -> Response:
    """E-mail the period's responsible instructor a sign-in link to their periods."""
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))

    def work(unit: service.StudentUnit) -> instructor_link.Sent:
        return instructor_link.send(unit, hoks_id, module_id)

    sent = await handle(request, subject, SEND, work)
    if sent.link is not None:
        settings = request.app.state.settings
        message = mail.compose(settings, sent.email, sent.link.url, lang)
        try:
            await off_loop(mail.send, settings, message)
        except mail.MailUnavailableError:
            link = sent.link
            await handle_public(
                request, lambda unit: instructor_service.forget_link(unit.session, link)
            )
            raise ApiError(503, "mail_unavailable") from None

    def again(unit: service.StudentUnit) -> instructor_link.PeriodPage:
        return instructor_link.period_page(unit, hoks_id, module_id, lang)

    found = await handle(request, subject, "read-hoks", again, read_only=True)
    values = {"found": found, "sent": sent.link is not None}
    return render(
        request, "sharing/period.html", values, status_code=202 if sent.link else 200, lang=lang
    )


router.include_router(pages)
