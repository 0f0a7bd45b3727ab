"""The staff (virkailija) JSON API at the national paths (ehoks-api.md 3.4).

A signed-in staff member reaches the students and HOKS of the organisations they hold a role on,
and of every organisation below those. Differences from the national service are deliberate and
listed in docs/people.md: the search covers the organisation's whole subtree, a student's HOKS
list holds only the caller's own students' HOKS, and the path `oppija-oid` must match the body.
Every route writes an audit event, reads included.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from ehoks.access.subjects import StaffSubject, SubjectKind
from ehoks.hoks import writes as hoks_writes
from ehoks.hoks.openapi import document_response, request_body
from ehoks.hoks.schemas import Created, CreatedMeta
from ehoks.hoks.stored import StoredHoks
from ehoks.kit.http import if_match_tags
from ehoks.kit.responses import Envelope, NoMeta, Raw, answer, envelope
from ehoks.kit.shortcut import shortcut_route
from ehoks.people import grants, naming, staff_service
from ehoks.people.schemas import (
    Document,
    SearchMeta,
    SearchRow,
    StaffMember,
    StudentName,
    Success,
)
from ehoks.people.search.answer import search_answer, search_of, shortcut
from ehoks.pipeline.callers import PendingPerson, person_policy
from ehoks.pipeline.run import handle, json_body, optional_json_body
from ehoks.pipeline.unit import AuditedUnit

PREFIX = "/ehoks-virkailija-backend/api/v1/virkailija"
router = APIRouter(prefix=PREFIX, tags=["staff API"])

Staff = Annotated[
    PendingPerson[StaffSubject],
    person_policy(SubjectKind.STAFF, description="staff member (virkailija) with a session"),
]
StaffUnit = AuditedUnit[StaffSubject]
OppijaOid = Annotated[str, Path(max_length=64, description="The student's OID.")]
HoksId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The HOKS id (`id`).")]
Names = Annotated[
    bool,
    Query(description="Also return `names`: fi/sv/en names of every code and organisation."),
]


TopLevels = list[dict[str, Any]]


# --- students --------------------------------------------------------------------------------


async def search_students(
    request: Request,
    *,
    subject: Staff,
    oppilaitos_oid: Annotated[str, Query(alias="oppilaitos-oid", max_length=64)],
    nimi: Annotated[str | None, Query(max_length=200)] = None,
    tutkinto: Annotated[str | None, Query(max_length=200)] = None,
    osaamisala: Annotated[str | None, Query(max_length=200)] = None,
    hoks_id: Annotated[int | None, Query(alias="hoks-id", ge=1, le=2_147_483_647)] = None,
    order_by: Annotated[
        Literal["nimi", "tutkinto", "osaamisala"], Query(alias="order-by-column")
    ] = "nimi",
    desc: bool = False,
    item_count: Annotated[int, Query(alias="item-count", ge=1, le=100)] = 10,
    page: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    locale: Literal["fi", "sv", "en"] = "fi",
) -> Response:
    """Students with a non-deleted HOKS in the organisation **or any organisation below it**.

    Needs the read role on the organisation (or above it). `nimi` is split into words that must
    all occur in the name; `tutkinto` and `osaamisala` match part of the name in `locale`.
    `meta.total-count` counts every match; `page` is 0-based.
    """
    search = search_of(
        nimi, tutkinto, osaamisala, hoks_id, order_by, desc, item_count, page, locale
    )
    return await search_answer(request, subject, oppilaitos_oid, search)


router.add_api_route(
    "/oppijat",
    search_students,
    methods=["GET"],
    summary="Search the students of an organisation",
    response_model=Envelope[list[SearchRow], SearchMeta],
    route_class_override=shortcut_route(shortcut),
)


@router.get(
    "/oppijat/{oppija_oid}",
    summary="A student's name",
    response_model=Envelope[StudentName, NoMeta],
)
async def student(request: Request, oppija_oid: OppijaOid, subject: Staff) -> Response:
    """`{oid, nimi}` of a student the caller reaches through a HOKS or a study right."""

    def work(unit: StaffUnit) -> dict[str, str]:
        return staff_service.student_summary(unit.session, unit.access, oppija_oid, unit.audit)

    return envelope(StudentName(**await handle(request, subject, "read-student", work)))


@router.get(
    "/oppijat/{oppija_oid}/opiskeluoikeudet",
    summary="A student's study rights",
    response_model=Envelope[list[Document], NoMeta],
)
async def study_rights(request: Request, oppija_oid: OppijaOid, subject: Staff) -> Response:
    """The student's study rights that the caller may read, as Koski documents from the local
    registry: those of the caller's own organisations and those containing procured training
    the caller carries out, never another provider's."""

    def work(unit: StaffUnit) -> list[dict[str, Any]]:
        return staff_service.study_rights(unit.session, unit.access, oppija_oid, unit.audit)

    return envelope(await handle(request, subject, "read-study-rights", work))


@router.get(
    "/oppijat/{oppija_oid}/hoksit",
    summary="A student's HOKS that the caller may read",
    response_model=Envelope[TopLevels, NoMeta],
)
async def student_hoks(request: Request, oppija_oid: OppijaOid, subject: Staff) -> Response:
    """Top-level fields of the student's non-deleted HOKS of the caller's organisations (and of
    procured training they carry out); other providers' HOKS are not shown (109 a §)."""

    def work(unit: StaffUnit) -> list[StoredHoks]:
        return staff_service.readable_hoks(unit.session, unit.access, oppija_oid, unit.audit)

    stored = await handle(request, subject, "list-hoks", work)
    return envelope(staff_service.top_levels(stored))


# --- one HOKS --------------------------------------------------------------------------------


@router.get(
    "/oppijat/{oppija_oid}/hoksit/{hoks_id}",
    summary="Read a HOKS",
    responses={
        **document_response("HOKSEnvelope", "The HOKS (with `names` if asked), with its ETag."),
        304: {"description": "Not modified since the ETag in `If-None-Match`."},
    },
)
async def read_hoks(
    request: Request,
    *,
    oppija_oid: OppijaOid,
    hoks_id: HoksId,
    subject: Staff,
    nimet: Names = False,
) -> Response:
    """The whole HOKS (read role on its owner, or procured training it includes), with ETag."""

    def work(unit: StaffUnit) -> tuple[StoredHoks, naming.Names | None]:
        stored = staff_service.read_hoks(unit.session, unit.access, oppija_oid, hoks_id, unit.audit)
        names = naming.names_in(unit.session, [orjson.loads(stored.document)]) if nimet else None
        return stored, names

    stored, names = await handle(request, subject, "read-hoks", work)
    if not nimet and stored.etag in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers={"ETag": stored.etag})
    return envelope(Raw(stored.full_json()), names=names, headers={"ETag": stored.etag})


@router.post(
    "/oppijat/{oppija_oid}/hoksit",
    summary="Create a HOKS (typed in by staff)",
    openapi_extra=request_body("HOKSPost"),
    response_model=Envelope[Created, CreatedMeta],
)
async def create_hoks(request: Request, oppija_oid: OppijaOid, subject: Staff) -> Response:
    """Store a new HOKS for a study right the caller has the write role on.

    `manuaalisyotto` becomes true; workplace periods without `yksiloiva-tunniste` get one. The
    body's `oppija-oid` must be the one in the address (400 otherwise).
    """

    def work(unit: StaffUnit) -> StoredHoks:
        return staff_service.create_hoks(
            unit.session,
            unit.access,
            oppija_oid,
            unit.body,
            unit.audit,
            today=unit.today,
            now=unit.now,
        )

    stored = await handle(request, subject, "create-hoks", work, body=json_body)
    uri = f"{request.url.path}/{stored.id}"
    return envelope(
        Created(uri=uri), CreatedMeta(id=stored.id), headers={"Location": uri, "ETag": stored.etag}
    )


@router.put(
    "/oppijat/{oppija_oid}/hoksit/{hoks_id}",
    status_code=204,
    summary="Replace a HOKS",
    openapi_extra=request_body("HOKSPut"),
)
async def replace_hoks(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """Replace the whole document (write role). With `If-Match`, a stale ETag gets 412."""
    return await _change(
        request, subject, oppija_oid, hoks_id, "replace-hoks", hoks_writes.replace_hoks
    )


@router.patch(
    "/oppijat/{oppija_oid}/hoksit/{hoks_id}",
    status_code=204,
    summary="Update top-level fields of a HOKS",
    openapi_extra=request_body("HOKSPatch"),
)
async def patch_hoks(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """Change only the given top-level fields (write role). `If-Match` as in PUT."""
    return await _change(
        request, subject, oppija_oid, hoks_id, "patch-hoks", hoks_writes.patch_hoks
    )


async def _change(  # noqa: PLR0917 - a route's pieces, passed on as they are
    request: Request,
    subject: PendingPerson[StaffSubject],
    oppija_oid: str,
    hoks_id: int,
    operation: str,
    write: hoks_writes.Write,
) -> Response:
    if_match = if_match_tags(request)

    def work(unit: StaffUnit) -> StoredHoks:
        change = hoks_writes.Change(hoks_id, unit.body, if_match, unit.today, unit.now)
        return staff_service.change_hoks(
            unit.session, unit.access, oppija_oid, change, write=write, audit=unit.audit
        )

    stored = await handle(request, subject, operation, work, body=json_body)
    return Response(status_code=204, headers={"ETag": stored.etag})


@router.patch(
    "/oppijat/{oppija_oid}/hoksit/{hoks_id}/shallow-delete",
    summary="Delete a HOKS",
    response_model=Success,
)
async def shallow_delete(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """Hide the HOKS everywhere (delete role on its owner). It stays stored and can be restored.

    The national body `{"oppilaitos-oid": …}` is accepted and ignored; the owner comes from the
    study right. Answers the national bare `{"success": <id>}`.
    """

    return await _set_deleted(request, subject, oppija_oid, hoks_id, deleted=True)


@router.patch(
    "/oppijat/{oppija_oid}/hoksit/{hoks_id}/restore",
    summary="Restore a HOKS",
    response_model=Success,
)
async def restore(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """Bring back a deleted HOKS (delete role on its owner, or a national administrator)."""

    return await _set_deleted(request, subject, oppija_oid, hoks_id, deleted=False)


async def _set_deleted(
    request: Request,
    subject: PendingPerson[StaffSubject],
    oppija_oid: str,
    hoks_id: int,
    *,
    deleted: bool,
) -> Response:
    """Delete or restore; any JSON body is read and ignored. Answers the national bare
    `{"success": <id>}`."""

    def work(unit: StaffUnit) -> None:
        staff_service.set_deleted(
            unit.session,
            unit.access,
            oppija_oid,
            hoks_id,
            unit.audit,
            deleted=deleted,
            now=unit.now,
        )

    operation = "delete-hoks" if deleted else "restore-hoks"
    await handle(request, subject, operation, work, body=optional_json_body)
    return answer(Success(success=hoks_id))


# --- administrators --------------------------------------------------------------------------


@router.get(
    "/kayttajat",
    summary="Staff and their grants on an organisation",
    response_model=Envelope[list[StaffMember], NoMeta],
)
async def staff_grants(
    request: Request,
    subject: Staff,
    organisation: Annotated[str, Query(max_length=64, description="Organisation OID.")],
) -> Response:
    """For administrators (admin role on the organisation or above it): everyone holding a role
    that acts on it – granted on it, below it, or inherited from above (`inherited`)."""

    def work(unit: StaffUnit) -> list[StaffMember]:
        return grants.staff_of_organisation(unit.session, unit.access, organisation, unit.audit)

    return envelope(await handle(request, subject, "list-staff-grants", work))
