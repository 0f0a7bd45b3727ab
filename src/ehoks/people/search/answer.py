"""The staff student search's answer (`GET …/virkailija/oppijat`, declared in
`people.staff_routes`), and its shortcut past FastAPI's dependency solving (`kit.shortcut`).

The shortcut takes a request whose query string it can read exactly as the declared parameters
would: each known parameter at most once, texts within their lengths, numbers spelled plainly
and in range, `desc` written `true` or `false`, and the caller's session cookie (one call of the
route's policy). Anything else (an unknown or repeated parameter, another spelling, a value out
of range) is left to the declared route, whose answer, errors included, is the route's own.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, cast

from starlette.requests import Request
from starlette.responses import Response

from ehoks.access.subjects import StaffSubject, SubjectKind
from ehoks.kit.responses import envelope
from ehoks.kit.shortcut import canonical_int
from ehoks.people import staff_service
from ehoks.people.schemas import SearchMeta
from ehoks.people.search import SearchResult, StudentRow, StudentSearch
from ehoks.pipeline.callers import PendingPerson, pending_person
from ehoks.pipeline.run import handle
from ehoks.pipeline.unit import AuditedUnit

MAX_ID: Final = 2_147_483_647
MAX_PAGE: Final = 1_000_000
MAX_ITEMS: Final = 100
OID_LENGTH: Final = 64
TEXT_LENGTH: Final = 200
ORDERS: Final = ("nimi", "tutkinto", "osaamisala")
LOCALES: Final = ("fi", "sv", "en")
_NAME_SEPARATORS: Final = re.compile(r"[\s_%,]+")
_KNOWN: Final = frozenset(
    {
        "oppilaitos-oid",
        "nimi",
        "tutkinto",
        "osaamisala",
        "hoks-id",
        "order-by-column",
        "desc",
        "item-count",
        "page",
        "locale",
    }
)
_STAFF: Final = frozenset({SubjectKind.STAFF})


def search_of(  # noqa: PLR0917 - the route's query parameters, as declared
    nimi: str | None,
    tutkinto: str | None,
    osaamisala: str | None,
    hoks_id: int | None,
    order_by: str,
    desc: bool,  # noqa: FBT001 - a query parameter
    item_count: int,
    page: int,
    locale: str,
) -> StudentSearch:
    return StudentSearch(
        # NFC, as the stored sort names: "ä" typed as "a" + U+0308 finds "Mäkinen" too.
        name_tokens=tuple(
            t for t in _NAME_SEPARATORS.split(unicodedata.normalize("NFC", nimi or "")) if t
        ),
        tutkinto=tutkinto or None,
        osaamisala=osaamisala or None,
        hoks_id=hoks_id,
        order_by=order_by,
        descending=desc,
        limit=item_count,
        offset=page * item_count,
        locale=locale,
    )


async def search_answer(
    request: Request,
    subject: PendingPerson[StaffSubject],
    oppilaitos_oid: str,
    search: StudentSearch,
) -> Response:
    def work(unit: AuditedUnit[StaffSubject]) -> SearchResult:
        return staff_service.search_students(
            unit.session, unit.access, oppilaitos_oid, search, unit.audit
        )

    found = await handle(request, subject, "search-students", work, read_only=True)
    meta = SearchMeta(total_count=found.total, total_count_capped=found.more)
    return envelope([_search_row(row) for row in found.rows], meta)


def _search_row(row: StudentRow) -> dict[str, object]:
    """A `SearchRow` on the wire (built as a dict: a page of them is the route's hot path)."""
    found: dict[str, object] = {
        "oid": row.oppija_oid,
        "nimi": " ".join(p for p in (row.first_names, row.last_name) if p),
        "opiskeluoikeus-oid": row.opiskeluoikeus_oid,
        "hoks-id": row.hoks_id,
    }
    if row.tutkinto_nimi:
        found["tutkinto-nimi"] = row.tutkinto_nimi
    if row.osaamisala_nimi:
        found["osaamisala-nimi"] = row.osaamisala_nimi
    return found


async def shortcut(request: Request) -> Response | None:
    """`search_answer` for a plainly written query (see the module's docstring), else None."""
    pairs = request.query_params.multi_items()
    given = dict(pairs)
    if len(given) != len(pairs) or not given.keys() <= _KNOWN:
        return None
    oid = given.get("oppilaitos-oid")
    nimi, tutkinto, osaamisala = (given.get(name) for name in ("nimi", "tutkinto", "osaamisala"))
    if (
        oid is None
        or len(oid) > OID_LENGTH
        or any(t and len(t) > TEXT_LENGTH for t in (nimi, tutkinto, osaamisala))
    ):
        return None
    numbers = _numbers(given)
    order_by, locale = given.get("order-by-column", "nimi"), given.get("locale", "fi")
    desc = {"true": True, "false": False}.get(given.get("desc", "false"))
    if numbers is None or desc is None or order_by not in ORDERS or locale not in LOCALES:
        return None
    hoks_id, item_count, page = numbers
    search = search_of(
        nimi, tutkinto, osaamisala, hoks_id, order_by, desc, item_count, page, locale
    )
    subject = cast("PendingPerson[StaffSubject]", pending_person(request, _STAFF))
    return await search_answer(request, subject, oid, search)


def _numbers(given: dict[str, str]) -> tuple[int | None, int, int] | None:
    """(hoks-id, item-count, page) if each is absent or spelled plainly in its range."""
    hoks_id = None
    if "hoks-id" in given:
        hoks_id = canonical_int(given["hoks-id"], 1, MAX_ID)
        if hoks_id is None:
            return None
    item_count = canonical_int(given.get("item-count", "10"), 1, MAX_ITEMS)
    written_page = given.get("page", "0")
    page = 0 if written_page == "0" else canonical_int(written_page, 1, MAX_PAGE)
    if item_count is None or page is None:
        return None
    return hoks_id, item_count, page
