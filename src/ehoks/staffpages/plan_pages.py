"""A plan's page for staff, deleting it (with a confirmation that names it) and the deleted
plans with their restore buttons (`/ehoks-virkailija-ui/...`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from starlette.responses import RedirectResponse, Response

from ehoks.kit.forms import read_form
from ehoks.kit.pages import page_lang
from ehoks.people import staff_service
from ehoks.pipeline.run import handle
from ehoks.planhistory import views as history
from ehoks.planhistory.seen import MAX_PAGE
from ehoks.staffpages import paths, plans
from ehoks.staffpages.common import (
    HoksId,
    OppijaOid,
    PageValues,
    Staff,
    StaffForm,
    StaffUnit,
    page_of_organisation,
    staff_page,
    staff_pages,
)

pages = staff_pages()
VersionNumber = Annotated[int, Query(ge=1, le=2_147_483_647, description="A version.")]
VersionInPath = Annotated[int, Path(ge=1, le=2_147_483_647, description="A version.")]
SeenPageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page, from 1.")]
PLAN = f"{paths.STUDENTS}/{{oppija_oid}}/hoks/{{hoks_id}}"


@pages.get(PLAN, summary="A plan")
async def plan(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff, palautettu: int = 0
) -> Response:
    """The plan in the sections the student sees, with its identifiers; edit and delete links
    only for the roles that allow them."""
    lang = page_lang(request)
    plan_url = paths.plan(oppija_oid, hoks_id)

    def work(unit: StaffUnit) -> PageValues:
        found = plans.plan_page(
            unit.session, unit.access, oppija_oid, hoks_id, unit.audit, lang=lang, today=unit.today
        )
        return {
            "plan": found,
            "view": found.view,
            "edit_url": paths.edit(oppija_oid, hoks_id),
            "delete_url": f"{plan_url}/poista",
            "student_url": paths.student(oppija_oid),
            "restored": palautettu == 1,
            "history_url": f"{plan_url}/historia",
            "seen_url": f"{plan_url}/tapahtumat",
        }

    return await staff_page(request, subject, "read-hoks", "staff/plan.html", work)


@pages.get(f"{PLAN}/poista", summary="Confirm deleting a plan")
async def confirm_delete(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """Names the plan (student, qualification, study right, institution) before it is deleted."""

    def work(unit: StaffUnit) -> PageValues:
        summary = plans.delete_summary(unit.session, unit.access, oppija_oid, hoks_id, unit.audit)
        return {"summary": summary, "plan_url": paths.plan(oppija_oid, hoks_id)}

    return await staff_page(request, subject, "read-hoks", "staff/delete.html", work)


@pages.post(f"{PLAN}/poista", summary="Delete a plan (form)")
async def delete(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: StaffForm
) -> Response:
    """Hides the plan everywhere; it stays stored and can be restored from the deleted plans."""
    lang = page_lang(request, (await read_form(request)).get("lang"))

    def work(unit: StaffUnit) -> None:
        staff_service.set_deleted(
            unit.session, unit.access, oppija_oid, hoks_id, unit.audit, deleted=True, now=unit.now
        )

    await handle(request, subject, "delete-hoks", work)
    return RedirectResponse(
        f"{paths.DELETED}?poistettu={hoks_id}&lang={lang.value}", status_code=303
    )


@pages.get(paths.DELETED, summary="The organisation's deleted plans")
async def deleted(request: Request, subject: Staff, poistettu: int | None = None) -> Response:
    """Deleted plans of the chosen organisation, each with a button that restores it."""

    def work(unit: StaffUnit, oid: str) -> PageValues:
        rows = plans.deleted_plans(unit.session, unit.access, oid, unit.audit)
        return {"rows": rows, "just_deleted": poistettu}

    return await page_of_organisation(
        request, subject, "list-deleted-hoks", "staff/deleted.html", work
    )


@pages.post(f"{paths.DELETED}/{{hoks_id}}/palauta", summary="Restore a deleted plan (form)")
async def restore(request: Request, hoks_id: HoksId, subject: StaffForm) -> Response:
    """Brings the plan back as it was, and opens it."""
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))
    oppija_oid = form.get("oppija_oid", "")[:64]

    def work(unit: StaffUnit) -> None:
        staff_service.set_deleted(
            unit.session, unit.access, oppija_oid, hoks_id, unit.audit, deleted=False, now=unit.now
        )

    await handle(request, subject, "restore-hoks", work)
    return RedirectResponse(
        f"{paths.plan(oppija_oid, hoks_id)}?palautettu=1&lang={lang.value}", status_code=303
    )


# --- the plan through time ------------------------------------------------------------------


@pages.get(f"{PLAN}/historia", summary="A plan's versions")
async def versions(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """Every version of the plan, and a form to compare any two of them."""

    def work(unit: StaffUnit) -> PageValues:
        plans.check_student(unit.session, oppija_oid, hoks_id)
        return {
            "found": history.versions_of(unit, hoks_id),
            "plan_url": paths.plan(oppija_oid, hoks_id),
        }

    return await staff_page(request, subject, "read-hoks-history", "staff/versions.html", work)


@pages.get(f"{PLAN}/historia/muutokset", summary="What changed between two versions of a plan")
async def changes(  # noqa: PLR0917 - the route's parameters
    request: Request,
    oppija_oid: OppijaOid,
    hoks_id: HoksId,
    subject: Staff,
    vanha: VersionNumber,
    uusi: VersionNumber,
) -> Response:
    """Field by field, in words with the plan's own labels: added, removed, changed."""
    lang = page_lang(request)

    def work(unit: StaffUnit) -> PageValues:
        plans.check_student(unit.session, oppija_oid, hoks_id)
        found = history.comparison(unit, hoks_id, vanha, uusi, lang)
        return {"found": found, "plan_url": paths.plan(oppija_oid, hoks_id)}

    return await staff_page(request, subject, "read-hoks-history", "staff/changes.html", work)


# After `muutokset`: a version's number is the last part of the path there too.
@pages.get(f"{PLAN}/historia/{{number}}", summary="One version of a plan")
async def version(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, number: VersionInPath, subject: Staff
) -> Response:
    """The whole plan as one version said it (the same read decision as the other versions)."""
    lang = page_lang(request)

    def work(unit: StaffUnit) -> PageValues:
        plans.check_student(unit.session, oppija_oid, hoks_id)
        shown = history.version_view(unit, hoks_id, lang, number=number)
        return {"shown": shown, "plan_url": paths.plan(oppija_oid, hoks_id)}

    return await staff_page(request, subject, "read-hoks-history", "staff/version.html", work)


@pages.get(f"{PLAN}/tapahtumat", summary="Who has read or changed a plan")
async def seen(
    request: Request,
    oppija_oid: OppijaOid,
    hoks_id: HoksId,
    subject: Staff,
    sivu: SeenPageNumber = 1,
) -> Response:
    """Every read and change of the plan: when, which organisation, in which role; never which
    staff member (the organisation answers for its staff)."""

    def work(unit: StaffUnit) -> PageValues:
        plans.check_student(unit.session, oppija_oid, hoks_id)
        found = history.seen(unit, hoks_id, page=sivu, with_student=True)
        return {"seen": found, "plan_url": paths.plan(oppija_oid, hoks_id)}

    return await staff_page(request, subject, "read-access-log", "staff/seen.html", work)
