"""The provider-system HOKS API, at the national service's paths and with its bodies.

An integration written for the national service switches by changing its base URL and its
credentials (OAuth2 client credentials instead of CAS tickets). Differences, all deliberate, are
listed in docs/provider-api.md.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Path, Query, Request
from pydantic import AfterValidator
from starlette.responses import Response

from ehoks.access.subjects import SystemClientSubject
from ehoks.audit.service import Outcome
from ehoks.client.auth import system_client_policy
from ehoks.hoks import bulk, service, writes
from ehoks.hoks.openapi import batch_request_body, document_response, request_body
from ehoks.hoks.read_one import read_one, shortcut, study_right_read_on_loop
from ehoks.hoks.schemas import BulkItem, BulkMeta, Created, CreatedMeta, FeedPage
from ehoks.hoks.stored import StoredHoks
from ehoks.hoksmodel.formats import is_valid_oppija_oid
from ehoks.kit import jsonarray
from ehoks.kit.errors import ApiError, error_body
from ehoks.kit.http import check_json_request, if_match_tags, request_lang
from ehoks.kit.jsonarray import ArraySplitter, JsonArrayError
from ehoks.kit.responses import Empty, Envelope, NoMeta, envelope
from ehoks.kit.shortcut import shortcut_route
from ehoks.pipeline.run import handle, json_body
from ehoks.pipeline.unit import AuditedUnit

PREFIX = "/ehoks-virkailija-backend/api/v1"
router = APIRouter(prefix=PREFIX, tags=["provider API"])

ReadClient = Annotated[
    SystemClientSubject,
    system_client_policy(write=False, description="provider system, read access"),
]
WriteClient = Annotated[
    SystemClientSubject,
    system_client_policy(write=True, description="provider system, write access"),
]

HoksId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The HOKS id (`id`).")]
# A day inside the representable times, so the service's own time zone cannot overflow either.
_EARLIEST = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
_LATEST = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)


def _comparable(value: datetime) -> datetime:
    """A time that stays a time in UTC, a day either side: `9999-12-31T23:59:59-23:59` is past
    the last representable one once in UTC (was a 500 from the date overflow)."""
    try:
        utc = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        raise ValueError("the time is out of range") from None
    if not _EARLIEST <= utc <= _LATEST:
        raise ValueError("the time is out of range")
    return value


UpdatedAfter = Annotated[
    datetime | None,
    Query(alias="updated-after", description="Only HOKS changed after this time (ISO 8601)."),
    AfterValidator(lambda v: None if v is None else _comparable(v)),
]
MAX_PAGE = 1000
DEFAULT_PAGE = 500
_DEPRECATED_PARTS = (
    "aiemmin-hankittu-ammat-tutkinnon-osa",
    "aiemmin-hankittu-paikallinen-tutkinnon-osa",
    "aiemmin-hankittu-yhteinen-tutkinnon-osa",
    "hankittava-ammat-tutkinnon-osa",
    "hankittava-paikallinen-tutkinnon-osa",
    "hankittava-yhteinen-tutkinnon-osa",
    "opiskeluvalmiuksia-tukevat-opinnot",
)


ClientUnit = AuditedUnit[SystemClientSubject]


def _actor(unit: ClientUnit, *, audited: bool = True) -> service.Actor:
    return service.Actor(access=unit.access, audit=unit.audit if audited else None)


@router.post(
    "/hoks",
    summary="Create a HOKS",
    openapi_extra=request_body("HOKSPost"),
    response_model=Envelope[Created, CreatedMeta],
)
async def create_hoks(request: Request, subject: WriteClient) -> Response:
    """Validate and store a new HOKS for a study right of the caller's organisation.

    Answers 200 (as the national service does) with the new id in `meta.id` and its address in
    `data.uri`; a rejected document gets 400 listing every violation.
    """

    def work(unit: ClientUnit) -> StoredHoks:
        stored = writes.create_hoks(
            unit.session, unit.body, _actor(unit), today=unit.today, now=unit.now
        )
        unit.audit.about(hoks_id=stored.id, oppija_oid=stored.oppija_oid, revision=stored.revision)
        return stored

    stored = await handle(request, subject, "hoks.create", work, body=json_body)
    uri = f"{request.url.path}/{stored.id}"
    return envelope(
        Created(uri=uri), CreatedMeta(id=stored.id), headers={"Location": uri, "ETag": stored.etag}
    )


async def read_batch(request: Request) -> list[jsonarray.Item]:
    """A batch body: a JSON array of at most `bulk.MAX_BATCH` documents, each no larger than a
    single create may be, as each document's own bytes, or parsed when the body is no larger.

    Counted and measured while it is read (`ehoks.kit.jsonarray`): a body of a million tiny
    items is refused at the 1001st, before anything of it is built; a body no larger than one
    document may be is parsed whole, once, as a single create's body is.
    """
    settings = request.app.state.settings
    check_json_request(request, settings.max_batch_bytes)
    splitter = ArraySplitter(
        max_items=bulk.MAX_BATCH, max_item_bytes=settings.max_body_bytes, parse_small_whole=True
    )
    size = 0
    refused: JsonArrayError | None = None
    async for chunk in request.stream():
        size += len(chunk)
        if size > settings.max_batch_bytes:
            if refused is not None:
                break
            raise ApiError(413, "body_too_large", params={"limit": settings.max_batch_bytes})
        if refused is None:
            try:
                splitter.feed(chunk)
            except JsonArrayError as exc:
                # Read the rest without keeping it, so that the client, still sending, gets the
                # answer rather than a reset connection.
                refused = exc
    if refused is None:
        try:
            return splitter.finish()
        except JsonArrayError as exc:
            refused = exc
    raise _batch_error(refused, settings.max_body_bytes)


def batch_of(unit: ClientUnit) -> bulk.Batch:
    """The request's documents, as a batch of the caller's (each document audited apart)."""
    audit_event = unit.audit.event(Outcome.SUCCESS)
    return bulk.Batch(unit.body, _actor(unit, audited=False), unit.today, unit.now, audit_event)


def _batch_error(refused: JsonArrayError, max_item_bytes: int) -> ApiError:
    if refused.reason == jsonarray.TOO_MANY_ITEMS:
        return ApiError(413, "batch_too_large", params={"max": bulk.MAX_BATCH})
    if refused.reason == jsonarray.ITEM_TOO_LARGE:
        return ApiError(413, "batch_item_too_large", params={"limit": max_item_bytes})
    if refused.reason == jsonarray.NOT_AN_ARRAY:
        return ApiError(400, "batch_not_list")
    return ApiError(400, "invalid_json", params={"detail": refused.detail})


@router.post(
    "/hoks/bulk",
    summary="Create many HOKS at once (nightly synchronisation)",
    openapi_extra=batch_request_body("HOKSPost", bulk.MAX_BATCH),
    response_model=Envelope[list[BulkItem], BulkMeta],
)
async def create_bulk(request: Request, subject: WriteClient) -> Response:
    """Create up to 1000 HOKS in one request, each checked exactly as a single create.

    Not in the national API. Answers 200 with one result per document, in order:
    `{"index", "id", "uri"}` for a created HOKS, `{"index", "error"}` (the error body a single
    create gives) for a refused one. The created ones are stored together, in one transaction.
    """

    def work(unit: ClientUnit) -> list[bulk.ItemResult]:
        results, events = bulk.create_many(unit.session, batch_of(unit))
        unit.audit.recorded_all(unit.session, events)
        return results

    results = await handle(request, subject, "hoks.create", work, body=read_batch)
    lang = request_lang(request)
    base = request.url.path.rsplit("/", 1)[0]
    # The documents' errors share one budget of listed violations (`bulk.create_many`), so the
    # answer stays in proportion to the number of documents however broken each one is.
    items = [
        BulkItem(index=r.index, id=r.hoks_id, uri=f"{base}/{r.hoks_id}")
        if r.error is None
        else BulkItem(index=r.index, error=error_body(r.error, lang, None))
        for r in results
    ]
    created = sum(1 for r in results if r.error is None)
    return envelope(items, BulkMeta(created=created, refused=len(results) - created))


@router.get(
    "/hoks/paged",
    summary="Page through HOKS for statistics",
    response_model=Envelope[FeedPage, NoMeta],
)
async def paged(
    request: Request,
    subject: ReadClient,
    amount: Annotated[int, Query(description="Page size, 1–1000.")] = DEFAULT_PAGE,
    from_id: Annotated[int, Query(alias="from-id", ge=0, le=2_147_483_647)] = 0,
    updated_after: UpdatedAfter = None,
) -> Response:
    """The caller's organisation's HOKS after `from-id`, in id order, redacted for statistics.

    Soft-deleted HOKS are included with `poistettu`. Page on with `from-id` = `last-id` until
    `result` is empty.
    """
    amount = max(1, min(MAX_PAGE, amount))
    if updated_after is not None and updated_after.tzinfo is None:
        updated_after = updated_after.replace(tzinfo=ZoneInfo(request.app.state.settings.timezone))

    def work(unit: ClientUnit) -> service.ExportPage:
        page = service.export_page(
            unit.session,
            _actor(unit),
            after_id=from_id,
            amount=amount,
            updated_after=updated_after,
        )
        template = unit.audit.event(Outcome.SUCCESS)
        unit.audit.recorded_all(
            unit.session,
            [replace(template, hoks_id=row.id, oppija_oid=row.oppija_oid) for row in page.rows],
        )
        return page

    page = await handle(request, subject, "hoks.export", work)
    last_id = page.last_id if page.last_id is not None else from_id
    return envelope(FeedPage(last_id=last_id, failed_ids=page.failed_ids, result=page.result))


@router.get(
    "/hoks/opiskeluoikeus/{opiskeluoikeus_oid}",
    summary="Find the HOKS of a study right",
    responses=document_response("HOKSTopLevelEnvelope", "The HOKS's top-level fields."),
)
async def by_study_right(
    request: Request,
    opiskeluoikeus_oid: Annotated[str, Path(max_length=64)],
    subject: ReadClient,
) -> Response:
    """The top-level fields (no part lists) of the study right's HOKS."""

    def work(unit: ClientUnit) -> StoredHoks:
        unit.audit.about(study_right=opiskeluoikeus_oid)
        return service.get_hoks_by_study_right(unit.session, opiskeluoikeus_oid, _actor(unit))

    stored = await study_right_read_on_loop(request, opiskeluoikeus_oid, subject)
    if stored is None:
        stored = await handle(request, subject, "hoks.read", work, read_only=True)
    return envelope(stored.top_level(), headers={"ETag": stored.etag})


async def get_hoks(request: Request, hoks_id: HoksId, subject: ReadClient) -> Response:
    """The whole HOKS with every part; the body can be sent back unchanged as a PUT."""
    return await read_one(request, hoks_id, subject)


router.add_api_route(
    "/hoks/{hoks_id}",
    get_hoks,
    methods=["GET"],
    summary="Read a HOKS",
    responses={
        **document_response("HOKSEnvelope", "The HOKS, with its ETag."),
        304: {"description": "Not modified since the ETag in `If-None-Match`."},
    },
    route_class_override=shortcut_route(shortcut),
)


@router.put(
    "/hoks/{hoks_id}",
    status_code=204,
    summary="Replace a HOKS",
    openapi_extra=request_body("HOKSPut"),
)
async def replace_hoks(request: Request, hoks_id: HoksId, subject: WriteClient) -> Response:
    """Replace the whole document. Omitted fields and parts are removed; parts sent again keep
    their `module-id`. With `If-Match`, a HOKS changed since that ETag is not overwritten (412).
    """
    return await _change(request, hoks_id, subject, "hoks.replace", writes.replace_hoks)


@router.patch(
    "/hoks/{hoks_id}",
    status_code=204,
    summary="Update top-level fields of a HOKS",
    openapi_extra=request_body("HOKSPatch"),
)
async def patch_hoks(request: Request, hoks_id: HoksId, subject: WriteClient) -> Response:
    """Change only the top-level fields given; part lists cannot be patched."""
    return await _change(request, hoks_id, subject, "hoks.patch", writes.patch_hoks)


async def _change(
    request: Request,
    hoks_id: int,
    subject: SystemClientSubject,
    operation: str,
    write: writes.Write,
) -> Response:
    """A PUT or PATCH: read the body, write in one audited unit of work, answer 204 + ETag."""
    if_match = if_match_tags(request)

    def work(unit: ClientUnit) -> StoredHoks:
        unit.audit.about(hoks_id=hoks_id)
        change = writes.Change(hoks_id, unit.body, if_match, unit.today, unit.now)
        stored = write(unit.session, change, _actor(unit))
        unit.audit.about(revision=stored.revision, changes=stored.changes or [])
        return stored

    stored = await handle(request, subject, operation, work, body=json_body)
    return Response(status_code=204, headers={"ETag": stored.etag})


@router.post(
    "/validointi",
    summary="Validate a HOKS without storing it",
    openapi_extra=request_body("HOKSPost"),
    response_model=Envelope[Empty, NoMeta],
)
async def validate(request: Request, subject: ReadClient) -> Response:
    """Run every check of a create (format, rules, registries) and store nothing."""

    def work(unit: ClientUnit) -> None:
        if isinstance(unit.body, dict) and is_valid_oppija_oid(unit.body.get("oppija-oid")):
            unit.audit.about(oppija_oid=unit.body["oppija-oid"])
        writes.validate_new(unit.session, unit.body, _actor(unit), unit.today, check_only=True)

    await handle(request, subject, "hoks.validate", work, body=json_body)
    return envelope(Empty())


Part = Annotated[
    str,
    Path(description="A part list of the national API, e.g. `opiskeluvalmiuksia-tukevat-opinnot`."),
]


def _gone(request: Request, hoks_id: HoksId, part: Part, subject: ReadClient) -> Response:
    """Parts can no longer be read or written one by one (as in the national service)."""
    del request, hoks_id, subject
    if part not in _DEPRECATED_PARTS:
        raise ApiError(404, "not_found")
    raise ApiError(410, "part_route_gone")


def _gone_part(
    request: Request,
    hoks_id: HoksId,
    part: Part,
    part_id: Annotated[str, Path(description="The part's id in the national API.")],
    subject: ReadClient,
) -> Response:
    """One part can no longer be read or written on its own (as in the national service)."""
    del part_id
    return _gone(request, hoks_id, part, subject)


for _path, _methods, _route in (
    ("/hoks/{hoks_id}/{part}", ("GET", "POST"), _gone),
    ("/hoks/{hoks_id}/{part}/{part_id}", ("GET", "PATCH"), _gone_part),
):
    for _method in _methods:
        router.add_api_route(
            _path,
            _route,
            methods=[_method],
            deprecated=True,
            status_code=410,
            response_description="Gone: parts are read and written with their whole HOKS.",
            summary="Removed: part routes",
            operation_id=f"removed_part_{_path.count('/')}_{_method.lower()}",
        )
