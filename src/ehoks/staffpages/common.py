"""What every staff page route shares: the policies, the page router's sign-in, the member's
context and the way to the organisation choice."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Path, Request
from fastapi.routing import APIRouter
from starlette.responses import RedirectResponse

from ehoks.access.subjects import StaffSubject, SubjectKind
from ehoks.kit.pages import page_router
from ehoks.pipeline.callers import PendingPerson, person_policy, session_form_policy
from ehoks.pipeline.unit import AuditedUnit
from ehoks.staffpages.context import StaffContext, staff_context
from ehoks.staffpages.paths import CHOOSE

Staff = Annotated[
    PendingPerson[StaffSubject],
    person_policy(SubjectKind.STAFF, description="staff member (virkailija) with a session"),
]
StaffForm = Annotated[
    PendingPerson[StaffSubject],
    session_form_policy(
        SubjectKind.STAFF, description="staff member with a session; CSRF token in the form"
    ),
]
StaffUnit = AuditedUnit[StaffSubject]
OppijaOid = Annotated[str, Path(max_length=64, description="The student's OID.")]


def staff_pages() -> APIRouter:
    """A router of staff pages: a failed page offers the staff sign-in, coming back to it."""
    return page_router(sign_in="/auth/staff/login?return_to={here}")


def context_of(unit: StaffUnit) -> StaffContext:
    return staff_context(unit.session, unit.access, unit.subject)


def choose_first(request: Request) -> RedirectResponse:
    """To the organisation choice, coming back here afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"{CHOOSE}?return_to={quote(here, safe='')}", status_code=303)
