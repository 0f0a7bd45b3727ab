"""The student's pages about one plan through time: who has seen it, its versions, what it said
on a date and what changed between two versions.

They sit under the plan's own address (`/ehoks/suunnittelu/{id}`, the student pages'), and
refuse another student's plan with the same 404 page as the plan itself.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from ehoks.access.subjects import StudentSubject, SubjectKind
from ehoks.kit.errors import ApiError, message_for
from ehoks.kit.pages import FieldError, page_lang, page_router, render
from ehoks.pipeline.callers import PendingPerson, person_policy
from ehoks.pipeline.run import handle
from ehoks.planhistory import views
from ehoks.planhistory.seen import MAX_PAGE, SeenPage

PLAN: Final = "/ehoks/suunnittelu/{hoks_id}"
SEEN: Final = f"{PLAN}/tapahtumat"
HISTORY: Final = f"{PLAN}/historia"
READ_HISTORY: Final = "read-hoks-history"
READ_SEEN: Final = "read-access-log"

router = APIRouter()
pages = page_router(sign_in="/auth/student/login?return_to={here}")

Student = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="student (oppija), own plans only"),
]
HoksId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The plan's identifier.")]
Version = Annotated[int, Path(ge=1, le=2**31 - 1, description="A version of the plan.")]
PageNumber = Annotated[int, Query(alias="sivu", ge=1, le=MAX_PAGE, description="Page, from 1.")]
OwnToo = Annotated[bool, Query(alias="omat", description="Show my own reads too.")]
Day = Annotated[str, Query(alias="paiva", max_length=20, description="A date: 2.12.2026.")]
Older = Annotated[int, Query(alias="vanha", ge=1, le=2**31 - 1, description="Older version.")]
Newer = Annotated[int, Query(alias="uusi", ge=1, le=2**31 - 1, description="Newer version.")]


@pages.get(SEEN, summary="Who has seen my plan")
async def seen(
    request: Request,
    hoks_id: HoksId,
    subject: Student,
    *,
    page: PageNumber = 1,
    own: OwnToo = False,
) -> Response:
    """Every read and change of the plan by others (and mine, when asked): when, which
    organisation, in which role, what. Never who by name or identifier."""

    def work(unit: views.Unit) -> SeenPage:
        return views.seen(unit, hoks_id, page=page, with_student=own)

    found = await handle(request, subject, READ_SEEN, work, read_only=True)
    values = {"hoks_id": hoks_id, "seen": found, "own": own}
    return render(request, "planhistory/seen.html", values)


@pages.get(HISTORY, summary="The versions of my plan")
async def versions(request: Request, hoks_id: HoksId, subject: Student, day: Day = "") -> Response:
    """Every version with the time it was in force; the plan on a date (`?paiva=`)."""
    lang = page_lang(request)
    on, errors = None, []
    if day:
        try:
            on = views.parse_day(day)
        except ApiError:
            errors = [FieldError("paiva", message_for("invalid_history_date", lang))]

    def work(unit: views.Unit) -> views.VersionView | views.Versions:
        shown = views.version_view(unit, hoks_id, lang, on=on) if on is not None else None
        return shown or views.versions_of(unit, hoks_id)

    found = await handle(request, subject, READ_HISTORY, work, read_only=True)
    if isinstance(found, views.VersionView):
        return render(request, "planhistory/version.html", {"shown": found})
    values = {"found": found, "day": day, "errors": errors, "before_start": on is not None}
    return render(request, "planhistory/versions.html", values, status_code=400 if errors else 200)


@pages.get(f"{HISTORY}/muutokset", summary="What changed in my plan")
async def changes(
    request: Request, hoks_id: HoksId, subject: Student, older: Older, newer: Newer
) -> Response:
    """What changed between two versions, field by field, in words."""
    lang = page_lang(request)

    def work(unit: views.Unit) -> views.Comparison:
        return views.comparison(unit, hoks_id, older, newer, lang)

    found = await handle(request, subject, READ_HISTORY, work, read_only=True)
    return render(request, "planhistory/changes.html", {"found": found})


@pages.get(f"{HISTORY}/{{number}}", summary="One version of my plan")
async def version(request: Request, hoks_id: HoksId, number: Version, subject: Student) -> Response:
    """The whole plan as one version said it."""
    lang = page_lang(request)

    def work(unit: views.Unit) -> views.VersionView | None:
        return views.version_view(unit, hoks_id, lang, number=number)

    shown = await handle(request, subject, READ_HISTORY, work, read_only=True)
    return render(request, "planhistory/version.html", {"shown": shown})


router.include_router(pages)
