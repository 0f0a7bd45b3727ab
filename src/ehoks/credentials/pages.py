"""The student's export pages: the competence summary of one of their own plans, as a page and
as a PDF in the language they choose (`/ehoks/suunnittelu/{id}/osaamiskooste[.pdf]`)."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from ehoks.access.subjects import StudentSubject, SubjectKind
from ehoks.credentials import issuing, service
from ehoks.credentials.pdf import PdfUnavailableError, summary_pdf
from ehoks.credentials.summary import CompetenceSummary
from ehoks.kit.errors import ApiError
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import page_lang, page_router, render
from ehoks.pipeline.callers import PendingPerson, person_policy
from ehoks.pipeline.run import handle, off_loop

SUMMARY: Final = "/ehoks/suunnittelu/{hoks_id}/osaamiskooste"
EXPORT_PDF: Final = "export-hoks-pdf"

router = APIRouter()
pages = page_router(sign_in="/auth/student/login?return_to={here}")
Student = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="student (oppija), own plans only"),
]
HoksId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The plan's identifier.")]
SummaryLang = Annotated[
    Lang | None, Query(alias="kieli", description="The summary's language: fi, sv or en.")
]


@pages.get(SUMMARY, summary="My competence summary")
async def summary_page(
    request: Request, hoks_id: HoksId, subject: Student, chosen: SummaryLang = None
) -> Response:
    """What the summary of one of the student's own plans says, and the ways to take it along."""
    lang = page_lang(request)
    summary_lang = chosen or lang

    def work(
        unit: service.StudentUnit,
    ) -> tuple[CompetenceSummary, list[issuing.CredentialCard]]:
        summary = service.own_summary(unit, hoks_id, summary_lang)
        return summary, issuing.credentials_of(unit, hoks_id)

    summary, credentials = await handle(request, subject, "read-hoks", work, read_only=True)
    check_url = f"{request.app.state.settings.public_base_url.rstrip('/')}/tarkista"
    values = {
        "summary": summary,
        "hoks_id": hoks_id,
        "languages": list(Lang),
        "credentials": credentials,
        "check_url": check_url,
    }
    return render(request, "credentials/summary.html", values, lang=lang)


@pages.get(f"{SUMMARY}.pdf", summary="My competence summary as PDF")
async def summary_as_pdf(
    request: Request, hoks_id: HoksId, subject: Student, chosen: SummaryLang = None
) -> Response:
    """The summary as a tagged PDF (PDF/UA-1) in the chosen language, to save or print."""
    summary_lang = chosen or page_lang(request)

    def work(unit: service.StudentUnit) -> CompetenceSummary:
        return service.own_summary(unit, hoks_id, summary_lang)

    summary = await handle(request, subject, EXPORT_PDF, work, read_only=True)
    try:
        pdf = await off_loop(summary_pdf, summary)
    except PdfUnavailableError:
        raise ApiError(503, "pdf_unavailable") from None
    name = f"osaamiskooste-{hoks_id}-{summary_lang.value}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


router.include_router(pages)
