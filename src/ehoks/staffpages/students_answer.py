"""The students page's answer (`GET /ehoks-virkailija-ui/opiskelijat`, declared in
`staffpages.routes`), and its shortcut past FastAPI's dependency solving (`kit.shortcut`).

The shortcut takes a request whose query string it can read exactly as the declared parameters
would: each known parameter at most once, texts within their length, choices among their
values, numbers spelled plainly and in range, and the caller's session cookie (one call of the
route's policy). Anything else (an unknown or repeated parameter, another spelling, a value out
of range) is left to the declared route, whose page, error pages included, is the route's own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, cast

from starlette.requests import Request
from starlette.responses import Response

from ehoks.access.subjects import StaffSubject, SubjectKind
from ehoks.kit.formatting import format_date, localised
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import page_lang
from ehoks.kit.shortcut import canonical_int
from ehoks.pipeline.callers import PendingPerson, pending_person
from ehoks.staffpages import service
from ehoks.staffpages.common import PageValues, StaffUnit, page_of_organisation
from ehoks.staffpages.listing import (
    MAX_PAGE,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    Approval,
    Order,
    StudentPage,
    StudentQuery,
    StudyRightState,
)

TEXT_LENGTH: Final = 200
# The declared parameters, and `lang`, which the page's language is read from.
_KNOWN: Final = frozenset(
    {"nimi", "tutkinto", "opiskeluoikeus", "hyvaksytty", "jarjestys", "sivu", "koko", "lang"}
)
_STATES: Final = {state.value: state for state in StudyRightState}
_APPROVALS: Final = {approval.value: approval for approval in Approval}
_ORDERS: Final = {order.value: order for order in Order}
_STAFF: Final = frozenset({SubjectKind.STAFF})


@dataclass(frozen=True, slots=True)
class ListedStudent:
    """A row of the page as it is shown, its texts in the page's language (written here once,
    rather than by a call from the template for each of them)."""

    oppija_oid: str
    position: int  # 0-based place in the whole list: the student page's `kohta`
    name: str
    qualification: str
    competence_area: str
    ended: bool
    started: str  # "" if not known
    approved: str  # "" if not approved yet
    hoks_id: int


def listed_students(page: StudentPage, lang: Lang) -> list[ListedStudent]:
    """The page's rows as shown, in `lang`."""
    today, offset = page.query.today, page.query.offset
    if today is None:
        raise ValueError("the query's day is set by the request's work")
    return [
        ListedStudent(
            oppija_oid=row.oppija_oid,
            position=offset + index,
            name=row.name,
            qualification=localised(row.tutkinto_nimi, lang, "–"),
            competence_area=localised(row.osaamisala_nimi, lang),
            ended=row.has_ended(today),
            started=format_date(row.started, lang),
            approved=format_date(row.approved, lang) if row.approved else "",
            hoks_id=row.hoks_id,
        )
        for index, row in enumerate(page.rows)
    ]


async def students_answer(
    request: Request, subject: PendingPerson[StaffSubject], query: StudentQuery
) -> Response:
    """The page of the chosen organisation's students that `query` asks for."""

    def work(unit: StaffUnit, oid: str) -> PageValues:
        asked = replace(query, today=unit.today)
        page = service.students(unit.session, unit.access, oid, asked, unit.audit)
        return {
            "page": page,
            "query": page.query,
            "rows": listed_students(page, Lang(page.query.lang)),
        }

    return await page_of_organisation(
        request, subject, "search-students", "staff/students.html", work
    )


async def shortcut(request: Request) -> Response | None:
    """`students_answer` for a plainly written query (see the module's docstring), else None."""
    pairs = request.query_params.multi_items()
    given = dict(pairs)
    if len(given) != len(pairs) or not given.keys() <= _KNOWN:
        return None
    name, qualification = given.get("nimi", ""), given.get("tutkinto", "")
    state = _STATES.get(given.get("opiskeluoikeus", ""))
    approval = _APPROVALS.get(given.get("hyvaksytty", ""))
    order = _ORDERS.get(given.get("jarjestys", Order.NAME.value))
    number = given.get("sivu")
    page = 1 if number is None else canonical_int(number, 1, MAX_PAGE)
    size = given.get("koko")
    count = PAGE_SIZE if size is None else canonical_int(size, 1, MAX_PAGE_SIZE)
    if (
        len(name) > TEXT_LENGTH
        or len(qualification) > TEXT_LENGTH
        or state is None
        or approval is None
        or order is None
        or page is None
        or count is None
    ):
        return None
    query = StudentQuery(
        name=name,
        qualification=qualification,
        state=state,
        approval=approval,
        order=order,
        page=page,
        size=count,
        lang=page_lang(request).value,
    )
    subject = cast("PendingPerson[StaffSubject]", pending_person(request, _STAFF))
    return await students_answer(request, subject, query)
