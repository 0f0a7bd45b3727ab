"""The front page (`/`), the accessibility statement, and the student's pages under `/ehoks/`.

Paths are part of the interface: `/ehoks/suunnittelu` (my plans) and `/ehoks/suunnittelu/{id}`
(one plan) follow the national student app's addresses.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Request
from starlette.responses import RedirectResponse, Response

from ehoks.access.subjects import StudentSubject, SubjectKind
from ehoks.feedback import service as feedback_service
from ehoks.kit.errors import ApiError
from ehoks.kit.i18n import parse_lang
from ehoks.kit.pages import page_lang, page_router, render
from ehoks.kit.pages.start import START_PAGES
from ehoks.kit.policy import public
from ehoks.pipeline.callers import (
    SESSION_COOKIE,
    PendingPerson,
    PersonSubject,
    SessionCredentials,
    person_policy,
)
from ehoks.pipeline.run import handle
from ehoks.pipeline.unit import AuditedUnit
from ehoks.planview.plan import PlanView
from ehoks.studentpages import service

PLANS: Final = START_PAGES[SubjectKind.STUDENT]
GUARDIAN: Final = "/ehoks/huoltaja"
STUDENT_SIGN_IN: Final = f"/auth/student/login?return_to={PLANS}"
STAFF_SIGN_IN: Final = "/auth/staff/login?return_to=/ehoks-virkailija-ui"
INSTRUCTOR_START: Final = "/tyopaikkaohjaaja"

router = APIRouter()
public_pages = page_router()
student_pages = page_router(sign_in="/auth/student/login?return_to={here}")

Student = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="student (oppija), own plans only"),
]
PublicPage = public("static page; shows no personal data")
FrontPage = public("the front page; a signed-in person is only sent to their own start page")
GuardianPage = public(
    "for guardians; a signed-in person is told only which kind of session they have"
)
HoksId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The plan's identifier.")]


@public_pages.get("/", summary="Front page", dependencies=[FrontPage])
async def front_page(request: Request) -> Response:
    """What eHOKS is, and the ways in; a signed-in person goes to their own start page."""
    kind = await _signed_in_kind(request)
    if kind is not None:
        # The language switch's choice goes along (the start page then remembers it).
        chosen = parse_lang(request.query_params.get("lang"))
        tail = f"?lang={chosen.value}" if chosen else ""
        return RedirectResponse(START_PAGES[kind] + tail, status_code=303)
    values = {
        "student_sign_in": STUDENT_SIGN_IN,
        "staff_sign_in": STAFF_SIGN_IN,
        "instructor_start": INSTRUCTOR_START,
    }
    return render(request, "home/landing.html", values)


@public_pages.get("/saavutettavuus", summary="Accessibility statement", dependencies=[PublicPage])
def accessibility(request: Request) -> Response:
    """The accessibility statement that the act on digital services (306/2019) requires."""
    contact = request.app.state.settings.accessibility_contact
    return render(request, "home/accessibility.html", {"contact": contact})


@public_pages.get(GUARDIAN, summary="For guardians", dependencies=[GuardianPage])
async def guardian(request: Request) -> Response:
    """Why a guardian cannot see their child's plan here, and what they can do instead.

    A guardian has no session (the sign-in sends them here without one); someone signed in as
    a student, a staff member or an instructor who opens the page is told so, with the way back
    to their own pages."""
    kind = await _signed_in_kind(request)
    values = {
        "student_sign_in": STUDENT_SIGN_IN,
        "signed_in_as": kind.value if kind is not None else None,
        "own_start": START_PAGES[kind] if kind is not None else None,
    }
    return render(request, "student/guardian.html", values)


@student_pages.get(PLANS, summary="My plans")
async def my_plans(request: Request, subject: Student) -> Response:
    """One card per plan of the signed-in student."""
    lang = page_lang(request)

    def work(unit: service.StudentUnit) -> tuple[str, list[service.PlanCard], list[str]]:
        surveys = feedback_service.open_links_for(unit.session, unit.subject.oppija_oid, unit.today)
        return unit.subject.name, service.plan_cards(unit, lang), surveys

    name, cards, surveys = await handle(request, subject, "read-hoks", work, read_only=True)
    values = {"name": name, "cards": cards, "surveys": surveys}
    return render(request, "student/plans.html", values)


@student_pages.get(f"{PLANS}/{{hoks_id}}", summary="One plan")
async def one_plan(request: Request, hoks_id: HoksId, subject: Student) -> Response:
    """Every part of one of the student's own plans, in sections."""
    lang = page_lang(request)

    def work(unit: service.StudentUnit) -> PlanView:
        return service.plan(unit, hoks_id, lang)

    view = await handle(request, subject, "read-hoks", work, read_only=True)
    return render(request, "student/plan.html", {"view": view, "hoks_id": hoks_id})


async def _signed_in_kind(request: Request) -> SubjectKind | None:
    """The kind of the session the request carries, if it is a live one."""
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        return None
    kinds = frozenset(SubjectKind(kind) for kind in START_PAGES)
    pending: PendingPerson[PersonSubject] = PendingPerson(
        SessionCredentials(token, "", checks_csrf=False), kinds
    )

    def work(unit: AuditedUnit[PersonSubject]) -> SubjectKind:
        return unit.subject.kind

    try:
        return await handle(request, pending, None, work)
    except ApiError:
        return None  # an ended session: the front page as to anyone


router.include_router(public_pages)
router.include_router(student_pages)
