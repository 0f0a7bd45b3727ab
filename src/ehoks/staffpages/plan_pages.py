"""A plan's page for staff, deleting it (with a confirmation that names it) and the deleted
plans with their restore buttons (`/ehoks-virkailija-ui/...`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request
from starlette.responses import RedirectResponse, Response

from ehoks.kit.forms import read_form
from ehoks.kit.pages import page_lang, render
from ehoks.people import staff_service
from ehoks.pipeline.run import handle
from ehoks.planhistory import views as history
from ehoks.planhistory.seen import MAX_PAGE, SeenPage
from ehoks.staffpages import paths, plans
from ehoks.staffpages.common import (
    OppijaOid,
    Staff,
    StaffForm,
    StaffUnit,
    choose_first,
    context_of,
    staff_pages,
)
from ehoks.staffpages.context import StaffContext
from ehoks.staffpages.listing import DeletedPlan

pages = staff_pages()
HoksId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The plan's id.")]
VersionNumber = Annotated[int, Query(ge=1, le=2_147_483_647, description="A version.")]
SeenPageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page, from 1.")]
PLAN = f"{paths.STUDENTS}/{{oppija_oid}}/hoks/{{hoks_id}}"


@pages.get(PLAN, summary="A plan")
async def plan(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff, palautettu: int = 0
) -> Response:
    """The plan in the sections the student sees, with its identifiers; edit and delete links
    only for the roles that allow them."""
    lang = page_lang(request)

    def work(unit: StaffUnit) -> tuple[StaffContext, plans.PlanPage]:
        found = plans.plan_page(
            unit.session, unit.access, oppija_oid, hoks_id, unit.audit, lang=lang, today=unit.today
        )
        return context_of(unit), found

    context, found = await handle(request, subject, "read-hoks", work, read_only=True)
    values = {
        "staff": context,
        "plan": found,
        "view": found.view,
        "edit_url": paths.edit(oppija_oid, hoks_id),
        "delete_url": f"{paths.plan(oppija_oid, hoks_id)}/poista",
        "student_url": paths.student(oppija_oid),
        "restored": palautettu == 1,
        "history_url": f"{paths.plan(oppija_oid, hoks_id)}/historia",
        "seen_url": f"{paths.plan(oppija_oid, hoks_id)}/tapahtumat",
    }
    return render(request, "staff/plan.html", values)


@pages.get(f"{PLAN}/poista", summary="Confirm deleting a plan")
async def confirm_delete(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """Names the plan (student, qualification, study right, institution) before it is deleted."""

    def work(unit: StaffUnit) -> tuple[StaffContext, plans.DeleteSummary]:
        summary = plans.delete_summary(unit.session, unit.access, oppija_oid, hoks_id, unit.audit)
        return context_of(unit), summary

    context, summary = await handle(request, subject, "read-hoks", work, read_only=True)
    plan_url = paths.plan(oppija_oid, hoks_id)
    values = {"staff": context, "summary": summary, "plan_url": plan_url}
    return render(request, "staff/delete.html", values)


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

    def work(unit: StaffUnit) -> tuple[StaffContext, list[DeletedPlan] | None]:
        context = context_of(unit)
        if context.organisation is None:
            return context, None
        return context, plans.deleted_plans(unit.session, unit.access, context.oid, unit.audit)

    context, rows = await handle(request, subject, "list-deleted-hoks", work, read_only=True)
    if rows is None:
        return choose_first(request)
    values = {"staff": context, "rows": rows, "just_deleted": poistettu}
    return render(request, "staff/deleted.html", values)


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

    def work(unit: StaffUnit) -> tuple[StaffContext, history.Versions]:
        plans.check_student(unit.session, oppija_oid, hoks_id)
        return context_of(unit), history.versions_of(unit, hoks_id)

    context, found = await handle(request, subject, "read-hoks-history", work, read_only=True)
    values = {"staff": context, "found": found, "plan_url": paths.plan(oppija_oid, hoks_id)}
    return render(request, "staff/versions.html", values)


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

    def work(unit: StaffUnit) -> tuple[StaffContext, history.Comparison]:
        plans.check_student(unit.session, oppija_oid, hoks_id)
        return context_of(unit), history.comparison(unit, hoks_id, vanha, uusi, lang)

    context, found = await handle(request, subject, "read-hoks-history", work, read_only=True)
    values = {"staff": context, "found": found, "plan_url": paths.plan(oppija_oid, hoks_id)}
    return render(request, "staff/changes.html", values)


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

    def work(unit: StaffUnit) -> tuple[StaffContext, SeenPage]:
        plans.check_student(unit.session, oppija_oid, hoks_id)
        return context_of(unit), history.seen(unit, hoks_id, page=sivu, with_student=True)

    context, found = await handle(request, subject, "read-access-log", work, read_only=True)
    values = {
        "staff": context,
        "seen": found,
        "plan_url": paths.plan(oppija_oid, hoks_id),
    }
    return render(request, "staff/seen.html", values)
