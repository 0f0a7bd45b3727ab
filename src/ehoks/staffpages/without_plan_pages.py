"""The report of students without a plan (`/ehoks-virkailija-ui/raportit/ilman-suunnitelmaa`).

Every vocational student needs a plan; the students page lists plans, so a student whose study
right has none shows up only here (and from here on their own page, where a plan is created).
"""

from __future__ import annotations

from datetime import date

from fastapi import Request
from starlette.responses import Response

from ehoks.kit.formatting import localised
from ehoks.kit.pages import page_lang, render
from ehoks.kit.translations import N_
from ehoks.reports import service
from ehoks.reports.rows import Report, WithoutPlanRow
from ehoks.staffpages.common import Staff, StaffUnit, choose_first, in_organisation, staff_pages
from ehoks.staffpages.paths import REPORTS
from ehoks.staffpages.report_pages import Column, Format, PageNumber, csv_response

pages = staff_pages()
WITHOUT_PLAN = f"{REPORTS}/ilman-suunnitelmaa"


@pages.get(WITHOUT_PLAN, summary="Students without a plan")
async def without_plan(
    request: Request, subject: Staff, sivu: PageNumber = 1, muoto: Format = ""
) -> Response:
    """Active study rights of the chosen organisation and those below it with no live plan,
    longest waiting first; a writer gets "Create a plan" on each."""
    whole = muoto == "csv"

    def work(unit: StaffUnit, oid: str) -> tuple[Report[WithoutPlanRow], date]:
        found = service.without_plan(
            unit.session,
            unit.access,
            oid,
            unit.audit,
            today=unit.today,
            page=None if whole else sivu,
        )
        return found, unit.today

    context, result = await in_organisation(request, subject, "report-without-plan", work)
    if result is None:
        return choose_first(request)
    report, today = result
    lang = page_lang(request)
    if whole:
        columns: list[Column[WithoutPlanRow]] = [
            (N_("Student"), lambda r: r.student.name),
            (N_("Student OID"), lambda r: r.student.oppija_oid),
            (N_("Study right OID"), lambda r: r.opiskeluoikeus_oid),
            (N_("Study right start"), lambda r: r.started),
            (N_("Days since it began"), lambda r: r.days_waited(today)),
            (N_("Qualification"), lambda r: localised(r.qualification, lang)),
            (N_("Institution OID"), lambda r: r.oppilaitos_oid),
            (N_("Deleted plan ID"), lambda r: r.deleted_plan),
        ]
        name = f"ilman-suunnitelmaa-{today.isoformat()}"
        return csv_response(name, lang, columns, report.rows)
    values = {"staff": context, "report": report, "today": today}
    return render(request, "staff/report_without_plan.html", values)
