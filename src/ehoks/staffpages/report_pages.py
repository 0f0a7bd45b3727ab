"""The reports pages (`/ehoks-virkailija-ui/raportit/…`): each report of the chosen organisation
as a table, and with `muoto=csv` as a CSV file for spreadsheets (`ehoks.reports.csvfile`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Annotated, Any, Final, Literal, TypeVar

from fastapi import Query, Request
from starlette.responses import Response

from ehoks.kit.i18n import Lang
from ehoks.kit.pages import FieldError, page_lang, render
from ehoks.kit.translations import N_, translator
from ehoks.pipeline.run import handle
from ehoks.reports import csvfile, service
from ehoks.reports.quality import PLAN_RULES, RULES, RULES_BY_CODE
from ehoks.reports.rows import PeriodRow, Report, StudyRightRow
from ehoks.staffpages.common import (
    Staff,
    StaffUnit,
    choose_first,
    context_of,
    in_organisation,
    staff_pages,
)
from ehoks.staffpages.paths import REPORTS

pages = staff_pages()
Format = Annotated[Literal["", "csv"], Query(description="`csv`: the whole report as a file.")]
PageNumber = Annotated[int, Query(ge=1, le=100_000)]
DateText = Annotated[str, Query(max_length=10)]
MAX_RANGE: Final = timedelta(days=3 * 366)
_Row = TypeVar("_Row")


# A column of a report's CSV file: its English title (marked with `N_`, translated when the
# file is made) and its cell of a row.
Column = tuple[str, Callable[[_Row], Any]]


def csv_response(
    name: str, lang: Lang, columns: Sequence[Column[_Row]], rows: Iterable[_Row]
) -> Response:
    """The rows as a CSV file `name`.csv, a column each of `columns`, titles in `lang`."""
    texts = translator(lang)
    header = [texts.gettext(title) for title, _ in columns]
    table = [[cell(row) for _, cell in columns] for row in rows]
    return Response(
        csvfile.render(header, table),
        media_type=csvfile.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@pages.get(REPORTS, summary="The reports of the chosen organisation")
async def reports(request: Request, subject: Staff) -> Response:
    context = await handle(request, subject, None, context_of)
    if context.organisation is None:
        return choose_first(request)
    return render(request, "staff/reports.html", {"staff": context, "rules": RULES})


@pages.get(f"{REPORTS}/opiskeluoikeudet", summary="Plans without a valid study right")
async def study_rights(
    request: Request, subject: Staff, sivu: PageNumber = 1, muoto: Format = ""
) -> Response:
    """Plans whose study right is missing from the registry or has ended."""
    whole = muoto == "csv"

    def work(unit: StaffUnit, oid: str) -> tuple[Report[StudyRightRow], date]:
        page = None if whole else sivu
        found = service.study_rights(
            unit.session, unit.access, oid, unit.audit, today=unit.today, page=page
        )
        return found, unit.today

    context, result = await in_organisation(request, subject, "report-study-rights", work)
    if result is None:
        return choose_first(request)
    report, _ = result
    lang = page_lang(request)
    if whole:
        columns: list[Column[StudyRightRow]] = [
            (N_("Plan ID"), lambda r: r.hoks_id),
            (N_("Student"), lambda r: r.student.name),
            (N_("Student OID"), lambda r: r.student.oppija_oid),
            (N_("Study right OID"), lambda r: r.opiskeluoikeus_oid),
            (N_("Study right"), lambda r: _study_right_state(r, lang)),
            (N_("Ended"), lambda r: r.ended),
            (N_("Institution OID"), lambda r: r.oppilaitos_oid),
        ]
        return csv_response("opiskeluoikeudet", lang, columns, report.rows)
    values = {"staff": context, "report": report}
    return render(request, "staff/report_study_rights.html", values)


def _study_right_state(row: StudyRightRow, lang: Lang) -> str:
    texts = translator(lang)
    if row.missing:
        return texts.gettext("Not in the registry")
    return texts.gettext("Ended") + (f" ({row.state})" if row.state else "")


@pages.get(f"{REPORTS}/tyopaikkajaksot", summary="Workplace periods in a date range")
async def periods(  # noqa: PLR0917 - the report's query parameters
    request: Request,
    subject: Staff,
    alku: DateText = "",
    loppu: DateText = "",
    sivu: PageNumber = 1,
    muoto: Format = "",
) -> Response:
    """Workplace periods overlapping the range: workplace, Y-tunnus, instructor, dates, share."""
    lang = page_lang(request)
    texts = translator(lang)
    errors: list[FieldError] = []
    first = _date(alku)
    last = _date(loppu)
    if alku and first is None:
        errors.append(
            FieldError("alku", texts.gettext("Give the date as 31.12.2026 or 2026-12-31."))
        )
    if loppu and last is None:
        errors.append(
            FieldError("loppu", texts.gettext("Give the date as 31.12.2026 or 2026-12-31."))
        )
    if first and last and last < first:
        errors.append(
            FieldError("loppu", texts.gettext("The end date cannot be before the start date."))
        )
    elif first and last and last - first > MAX_RANGE:
        errors.append(FieldError("loppu", texts.gettext("Choose at most three years at a time.")))
    whole = muoto == "csv"

    def work(unit: StaffUnit, oid: str) -> tuple[Report[PeriodRow] | None, date, date]:
        start = first or unit.today.replace(day=1)
        end = last or (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if errors:
            return None, start, end
        found = service.periods(
            unit.session,
            unit.access,
            oid,
            unit.audit,
            first=start,
            last=end,
            page=None if whole else sivu,
        )
        return found, start, end

    context, result = await in_organisation(request, subject, "report-workplace-periods", work)
    if result is None:
        return choose_first(request)
    report, start, end = result
    if whole and report is not None:
        name = f"tyopaikkajaksot-{start.isoformat()}-{end.isoformat()}"
        return csv_response(name, lang, PERIOD_COLUMNS, report.rows)
    values = {
        "staff": context,
        "report": report,
        "alku": alku or _typed(start),
        "loppu": loppu or _typed(end),
        "start": start,
        "end": end,
        "errors": errors,
    }
    return render(request, "staff/report_periods.html", values, status_code=400 if errors else 200)


PERIOD_COLUMNS: Final[list[Column[PeriodRow]]] = [
    (N_("Plan ID"), lambda r: r.hoks_id),
    (N_("Student"), lambda r: r.student.name),
    (N_("Student OID"), lambda r: r.student.oppija_oid),
    (N_("Workplace"), lambda r: r.workplace),
    (N_("Y-tunnus"), lambda r: r.y_tunnus),
    (N_("Instructor"), lambda r: r.instructor_name),
    (N_("Instructor's e-mail"), lambda r: r.instructor_email),
    (N_("Start date"), lambda r: r.alku),
    (N_("End date"), lambda r: r.loppu),
    (N_("Part-time share (%)"), lambda r: r.part_time),
    (N_("Period identifier"), lambda r: r.yksiloiva_tunniste),
]


def _typed(day: date) -> str:
    """A date as the form's hint shows it, 31.12.2026 (in every language: the field's format)."""
    return f"{day.day}.{day.month}.{day.year}"


def _date(text: str) -> date | None:
    """A date typed as 31.12.2026 (as Finns and Swedes write it) or 2026-12-31 (a date field)."""
    text = text.strip()
    try:
        if "." in text:
            day, month, year = (int(part) for part in text.split("."))
            typed = date(year, month, day)
        else:
            typed = date.fromisoformat(text)
    except ValueError:
        return None
    # A range's ends are counted with date arithmetic: 31.12.9999 would overflow (a 500).
    return typed if date(1900, 1, 1) <= typed <= date(2999, 12, 31) else None


@pages.get(f"{REPORTS}/tietojen-laatu", summary="Workplace periods with data to fix")
async def data_quality(
    request: Request,
    subject: Staff,
    paivia: Annotated[int, Query(ge=0, le=service.MAX_AHEAD_DAYS)] = 30,
    muoto: Format = "",
) -> Response:
    """Periods ending in the next `paivia` days, or ended lately, that lack what feedback and
    funding need: each with the rules it breaks."""

    def work(unit: StaffUnit, oid: str) -> tuple[list[PeriodRow], date]:
        rows = service.data_quality(
            unit.session, unit.access, oid, unit.audit, today=unit.today, ahead_days=paivia
        )
        return rows, unit.today

    context, result = await in_organisation(request, subject, "report-data-quality", work)
    if result is None:
        return choose_first(request)
    rows, today = result
    lang = page_lang(request)
    texts = translator(lang)
    if muoto == "csv":
        columns: list[Column[PeriodRow]] = [
            (N_("Plan ID"), lambda r: r.hoks_id),
            (N_("Student"), lambda r: r.student.name),
            (N_("Student OID"), lambda r: r.student.oppija_oid),
            (N_("Workplace"), lambda r: r.workplace),
            (N_("Start date"), lambda r: r.alku),
            (N_("End date"), lambda r: r.loppu),
            (
                N_("What is missing"),
                lambda r: " ".join(
                    texts.gettext(RULES_BY_CODE[code].description) for code in r.problems
                ),
            ),
            (N_("Rule codes"), lambda r: " ".join(r.problems)),
        ]
        return csv_response(f"tietojen-laatu-{today.isoformat()}", lang, columns, rows)
    values = {
        "staff": context,
        "rows": rows,
        "rules": RULES_BY_CODE,
        "paivia": paivia,
        "lookback": service.ENDED_LOOKBACK.days,
        "today": today,
    }
    return render(request, "staff/report_quality.html", values)


# The page shows this many plans per rule; the CSV file has them all.
PLANS_ON_PAGE: Final = 200


@pages.get(f"{REPORTS}/suunnitelmien-laatu", summary="Plans with data to fix")
async def plan_quality(request: Request, subject: Staff, muoto: Format = "") -> Response:
    """Live plans without a date of first approval, and plans still open after their study
    right ended: each with the rule it breaks."""
    whole = muoto == "csv"

    def work(unit: StaffUnit, oid: str) -> tuple[list[service.PlanProblem], bool, date]:
        limit = None if whole else PLANS_ON_PAGE
        found, cut = service.plan_quality(
            unit.session, unit.access, oid, unit.audit, today=unit.today, limit=limit
        )
        return found, cut, unit.today

    context, result = await in_organisation(request, subject, "report-plan-quality", work)
    if result is None:
        return choose_first(request)
    problems, cut, today = result
    if whole:
        lang = page_lang(request)
        texts = translator(lang)
        columns: list[Column[service.PlanProblem]] = [
            (N_("Plan ID"), lambda p: p.plan.hoks_id),
            (N_("Student"), lambda p: p.plan.student.name),
            (N_("Student OID"), lambda p: p.plan.oppija_oid),
            (N_("Study right OID"), lambda p: p.plan.opiskeluoikeus_oid),
            (N_("Study right ended"), lambda p: p.plan.due),
            (N_("What is missing"), lambda p: texts.gettext(p.rule.description)),
            (N_("Rule code"), lambda p: p.rule.code),
        ]
        name = f"suunnitelmien-laatu-{today.isoformat()}"
        return csv_response(name, lang, columns, problems)
    values = {
        "staff": context,
        "problems": problems,
        "cut": cut,
        "shown": PLANS_ON_PAGE,
        "rules": PLAN_RULES,
    }
    return render(request, "staff/report_plan_quality.html", values)
