"""The staff pages under `/ehoks-virkailija-ui/` (docs/staff-pages.md).

Every page needs a staff session (OpenID Connect sign-in, `/auth/staff/login`); without one the
page is the 401 page, whose button signs in and comes back. Pages that work on one organisation's
data send a member who has not chosen one to the organisation choice first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Final

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from ehoks.kit.forms import read_form
from ehoks.kit.pages import FieldError, page_lang, render
from ehoks.kit.shortcut import shortcut_route
from ehoks.kit.translations import translator
from ehoks.pipeline.run import handle
from ehoks.staffpages import admin_pages, plan_pages, report_pages, service, without_plan_pages
from ehoks.staffpages.common import (
    OppijaOid,
    PageValues,
    Staff,
    StaffForm,
    StaffUnit,
    choose_first,
    context_of,
    staff_page,
    staff_pages,
)
from ehoks.staffpages.context import StaffContext, choose_organisation
from ehoks.staffpages.listing import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    Approval,
    Order,
    StudentQuery,
    StudyRightState,
)
from ehoks.staffpages.paths import CHOOSE, START, STUDENTS, safe_return
from ehoks.staffpages.students_answer import shortcut, students_answer

router = APIRouter(tags=["staff pages"])
pages = staff_pages()
CHOICE_FIELD: Final = "organisation"


@pages.get(START, summary="The staff start page")
async def start(request: Request, subject: Staff) -> Response:
    """What the member can do in the chosen organisation (the choice first, if none yet)."""
    context = await handle(request, subject, None, context_of)
    if context.organisation is None:
        return choose_first(request)
    return render(request, "staff/start.html", {"staff": context})


@pages.get(CHOOSE, summary="Choose the organisation to work in")
async def organisation_page(request: Request, subject: Staff, return_to: str = "") -> Response:
    """The organisations of the member's grants, one to choose (kept for the session)."""
    context = await handle(request, subject, None, context_of)
    values = {"staff": context, "return_to": safe_return(return_to)}
    return render(request, "staff/organisation.html", values)


@pages.post(CHOOSE, summary="Choose the organisation to work in (form)")
async def choose(request: Request, subject: StaffForm) -> Response:
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))
    wanted = form.get(CHOICE_FIELD, "")

    def work(unit: StaffUnit) -> tuple[StaffContext | None, StaffContext]:
        chosen = choose_organisation(unit.session, unit.access, unit.subject, wanted)
        return chosen, context_of(unit)

    chosen, context = await handle(request, subject, None, work)
    return_to = safe_return(form.get("return_to", ""))
    if chosen is None:
        message = translator(lang).gettext("Choose one of your organisations.")
        errors = [FieldError(CHOICE_FIELD, message)]
        values = {"staff": context, "return_to": return_to, "errors": errors}
        return render(request, "staff/organisation.html", values, status_code=400, lang=lang)
    return RedirectResponse(return_to or f"{START}?lang={lang.value}", status_code=303)


# --- students ------------------------------------------------------------------------------

ListText = Annotated[str, Query(max_length=200)]


def _student_query(  # noqa: PLR0917 - the list's query parameters
    request: Request,
    nimi: ListText = "",
    tutkinto: ListText = "",
    opiskeluoikeus: StudyRightState = StudyRightState.ANY,
    hyvaksytty: Approval = Approval.ANY,
    jarjestys: Order = Order.NAME,
    sivu: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    koko: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = PAGE_SIZE,
) -> StudentQuery:
    return StudentQuery(
        name=nimi,
        qualification=tutkinto,
        state=opiskeluoikeus,
        approval=hyvaksytty,
        order=jarjestys,
        page=sivu,
        size=koko,
        lang=page_lang(request).value,
    )


ListQuery = Annotated[StudentQuery, Depends(_student_query)]


async def students(request: Request, subject: Staff, query: ListQuery) -> Response:
    """Search by name, filter, sort and page through the students of the chosen organisation."""
    return await students_answer(request, subject, query)


pages.add_api_route(
    STUDENTS,
    students,
    methods=["GET"],
    summary="The organisation's students",
    route_class_override=shortcut_route(shortcut, base=pages.route_class),
)


@pages.get(f"{STUDENTS}/{{oppija_oid}}", summary="A student and their plans")
async def student(
    request: Request,
    oppija_oid: OppijaOid,
    subject: Staff,
    query: ListQuery,
    kohta: Annotated[int | None, Query(ge=0, le=MAX_PAGE * MAX_PAGE_SIZE)] = None,
) -> Response:
    """The student's plans as cards (active and ended), and the previous and next student of the
    list the member came from (`kohta`: the student's place in it)."""

    def work(unit: StaffUnit) -> PageValues:
        context = context_of(unit)
        listed = None
        if kohta is not None and context.organisation is not None:
            listed = (context.oid, replace(query, today=unit.today), kohta)
        view = service.student(
            unit.session, unit.access, oppija_oid, unit.audit, today=unit.today, listed=listed
        )
        return {"student": view, "query": query}

    return await staff_page(request, subject, "read-student", "staff/student.html", work)


router.include_router(pages)
router.include_router(report_pages.pages)
router.include_router(without_plan_pages.pages)
router.include_router(plan_pages.pages)
router.include_router(admin_pages.pages)
