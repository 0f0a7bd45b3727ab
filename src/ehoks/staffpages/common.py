"""What every staff page route shares: the policies, the page router's sign-in, the member's
context and the way to the organisation choice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar
from urllib.parse import quote

from fastapi import Path, Request, params
from fastapi.routing import APIRouter
from starlette.responses import RedirectResponse, Response

from ehoks.access.subjects import StaffSubject, SubjectKind
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import page_router, render
from ehoks.pipeline.callers import FormLimits, PendingPerson, person_policy, session_form_policy
from ehoks.pipeline.run import handle
from ehoks.pipeline.unit import AuditedUnit
from ehoks.staffpages.context import StaffContext, staff_context
from ehoks.staffpages.paths import CHOOSE

Staff = Annotated[
    PendingPerson[StaffSubject],
    person_policy(SubjectKind.STAFF, description="staff member (virkailija) with a session"),
]


def staff_form_policy(limits: FormLimits | None = None) -> params.Depends:
    """The policy of a staff form post; `limits`: the (bytes, fields) of a larger form."""
    return session_form_policy(
        SubjectKind.STAFF,
        description="staff member with a session; CSRF token in the form",
        limits=limits,
    )


StaffForm = Annotated[PendingPerson[StaffSubject], staff_form_policy()]
StaffUnit = AuditedUnit[StaffSubject]
OppijaOid = Annotated[str, Path(max_length=64, description="The student's OID.")]
HoksId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The plan's id.")]


def staff_pages() -> APIRouter:
    """A router of staff pages: a failed page offers the staff sign-in, coming back to it."""
    return page_router(sign_in="/auth/staff/login?return_to={here}")


def context_of(unit: StaffUnit) -> StaffContext:
    return staff_context(unit.session, unit.access, unit.subject)


def choose_first(request: Request) -> RedirectResponse:
    """To the organisation choice, coming back here afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{CHOOSE}?return_to={quote(here, safe='')}", status_code=303)


T = TypeVar("T")
Caller = PendingPerson[StaffSubject]
PageValues = Mapping[str, Any]


async def in_organisation(
    request: Request, subject: Caller, operation: str, work: Callable[[StaffUnit, str], T]
) -> tuple[StaffContext, T | None]:
    """Read-only `work` on the chosen organisation (its OID), audited as `operation`, with the
    member's context; None instead of the work's result when no organisation is chosen yet."""

    def unit_work(unit: StaffUnit) -> tuple[StaffContext, T | None]:
        context = context_of(unit)
        if context.organisation is None:
            return context, None
        return context, work(unit, context.oid)

    return await handle(request, subject, operation, unit_work, read_only=True)


async def page_of_organisation(
    request: Request,
    subject: Caller,
    operation: str,
    template: str,
    work: Callable[[StaffUnit, str], PageValues],
    *,
    status_code: int = 200,
    lang: Lang | None = None,
) -> Response:
    """A page of the chosen organisation's data: `work`'s values with the member's context; the
    organisation choice first when none is chosen (coming back here)."""
    context, values = await in_organisation(request, subject, operation, work)
    if values is None:
        return choose_first(request)
    page = {"staff": context, **values}
    return render(request, template, page, status_code=status_code, lang=lang)


async def staff_page(
    request: Request,
    subject: Caller,
    operation: str,
    template: str,
    work: Callable[[StaffUnit], PageValues],
) -> Response:
    """A page of read-only `work`, audited as `operation`: its values with the member's context
    (the header's organisation and sign-out)."""

    def unit_work(unit: StaffUnit) -> PageValues:
        return {"staff": context_of(unit), **work(unit)}

    return render(
        request, template, await handle(request, subject, operation, unit_work, read_only=True)
    )
