"""The student's signed credentials of one plan: issue one, download it, revoke it
(`/ehoks/suunnittelu/{id}/osaamiskooste/todisteet/...`). The summary page lists them."""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Request
from starlette.responses import RedirectResponse, Response

from ehoks.access.subjects import StudentSubject, SubjectKind
from ehoks.credentials import issuing
from ehoks.credentials.service import StudentUnit
from ehoks.credentials.signing import MEDIA_TYPE
from ehoks.kit.forms import read_form
from ehoks.kit.i18n import parse_lang
from ehoks.kit.pages import page_lang, page_router
from ehoks.pipeline.callers import PendingPerson, person_policy, session_form_policy
from ehoks.pipeline.run import handle

SUMMARY: Final = "/ehoks/suunnittelu/{hoks_id}/osaamiskooste"
CREDENTIALS: Final = f"{SUMMARY}/todisteet"
ISSUE: Final = "export-hoks-credential"
REVOKE: Final = "revoke-hoks-credential"

router = APIRouter()
pages = page_router(sign_in="/auth/student/login?return_to={here}")
StudentForm = Annotated[
    PendingPerson[StudentSubject],
    session_form_policy(
        SubjectKind.STUDENT, description="student (oppija), own plans only; CSRF token in the form"
    ),
]
Student = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="student (oppija), own plans only"),
]
HoksId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The plan's identifier.")]
CredentialId = Annotated[
    str,
    Path(
        max_length=36,
        pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        description="The credential's UUID.",
    ),
]


def _back(hoks_id: int, lang: str) -> RedirectResponse:
    return RedirectResponse(
        f"{SUMMARY.format(hoks_id=hoks_id)}?lang={lang}#todisteet", status_code=303
    )


@pages.post(CREDENTIALS, summary="Issue a signed credential of my plan")
async def issue_credential(request: Request, hoks_id: HoksId, subject: StudentForm) -> Response:
    """Sign the plan's competence summary as a credential in the chosen language."""
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))
    chosen = parse_lang(form.get("kieli")) or lang

    def work(unit: StudentUnit) -> None:
        issuing.issue(unit, hoks_id, chosen)

    await handle(request, subject, ISSUE, work)
    return _back(hoks_id, lang.value)


@pages.get(f"{CREDENTIALS}/{{credential_id}}", summary="Download a signed credential")
async def download_credential(
    request: Request, hoks_id: HoksId, credential_id: CredentialId, subject: Student
) -> Response:
    """The credential as the file to send (a vc+jwt)."""

    def work(unit: StudentUnit) -> str:
        return issuing.own_token(unit, hoks_id, f"urn:uuid:{credential_id}")

    token = await handle(request, subject, ISSUE, work, read_only=True)
    return Response(
        token,
        media_type=MEDIA_TYPE,
        headers={
            "Content-Disposition": f'attachment; filename="osaamistodiste-{credential_id}.jwt"',
            "Cache-Control": "no-store",
        },
    )


@pages.post(f"{CREDENTIALS}/{{credential_id}}/peru", summary="Revoke a signed credential")
async def revoke_credential(
    request: Request, hoks_id: HoksId, credential_id: CredentialId, subject: StudentForm
) -> Response:
    """Revoke the credential at once: whoever checks it from now on is told it is revoked."""
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))

    def work(unit: StudentUnit) -> None:
        issuing.revoke(unit, hoks_id, f"urn:uuid:{credential_id}")

    await handle(request, subject, REVOKE, work)
    return _back(hoks_id, lang.value)


router.include_router(pages)
