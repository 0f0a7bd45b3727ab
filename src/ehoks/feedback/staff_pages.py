"""Staff pages of feedback: a plan's surveys with "send again", and the parked jobs.

`/ehoks-virkailija-ui/opiskelijat/{oid}/hoks/{id}/palaute` shows every survey of one plan (read
role): its state and why, its dates, the last invitation's delivery state and every event; an
open student survey has a "send again" button (write role, CSRF token in the form).
`/ehoks-virkailija-ui/palaute/pysakoidyt` lists the worker's parked jobs for the national admin.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ehoks.feedback import service
from ehoks.kit.forms import read_form
from ehoks.kit.pages import page_lang, render
from ehoks.pipeline.run import handle
from ehoks.staffpages.common import (
    HoksId,
    OppijaOid,
    Staff,
    StaffForm,
    StaffUnit,
    context_of,
    staff_pages,
)
from ehoks.staffpages.context import StaffContext

BASE: Final = "/ehoks-virkailija-ui"
router = APIRouter(tags=["feedback pages"])
pages = staff_pages()


def _path(oppija_oid: str, hoks_id: int) -> str:
    return f"{BASE}/opiskelijat/{oppija_oid}/hoks/{hoks_id}/palaute"


@pages.get(
    f"{BASE}/opiskelijat/{{oppija_oid}}/hoks/{{hoks_id}}/palaute", summary="A plan's surveys"
)
async def plan_feedback(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff, lahetetty: str = ""
) -> Response:
    """The plan's surveys and their history (read role)."""

    def work(unit: StaffUnit) -> tuple[service.PlanFeedback, StaffContext]:
        found = service.plan_feedback(
            unit.session, unit.access, oppija_oid, hoks_id, unit.audit, unit.today
        )
        # The member's context: the staff navigation and organisation in the page's header.
        return found, context_of(unit)

    view, staff = await handle(request, subject, "read-feedback", work, read_only=True)
    values = {
        "view": view,
        "staff": staff,
        "oppija_oid": oppija_oid,
        "hoks_id": hoks_id,
        "resent": lahetetty[:320],
    }
    return render(request, "feedback/plan.html", values)


@pages.post(
    f"{BASE}/opiskelijat/{{oppija_oid}}/hoks/{{hoks_id}}/palaute", summary="Send a survey again"
)
async def send_again(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: StaffForm
) -> Response:
    """Queue the invitation of an open student survey again (write role), then show the page."""
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))

    def work(unit: StaffUnit) -> str:
        return service.resend(
            unit.session,
            unit.access,
            oppija_oid=oppija_oid,
            hoks_id=hoks_id,
            body={"tyyppi": form.get("tyyppi", "")},
            audit=unit.audit,
            now=unit.now,
            today=unit.today,
        )

    await handle(request, subject, "resend-palaute", work)
    return RedirectResponse(
        f"{_path(oppija_oid, hoks_id)}?lahetetty=1&lang={lang.value}", status_code=303
    )


@pages.get(f"{BASE}/yllapito/palautetyot", summary="Parked feedback jobs")
async def parked_jobs(request: Request, subject: Staff) -> Response:
    """The worker's jobs that failed too often, newest first, with their reasons (national
    admin only)."""

    def work(unit: StaffUnit) -> tuple[list[service.ParkedJob], StaffContext]:
        jobs = service.parked_jobs(unit.session, unit.access, unit.audit)
        return jobs, context_of(unit)

    jobs, staff = await handle(request, subject, "read-parked-jobs", work, read_only=True)
    return render(request, "feedback/parked.html", {"jobs": jobs, "staff": staff})


router.include_router(pages)
