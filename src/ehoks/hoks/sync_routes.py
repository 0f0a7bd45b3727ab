"""What provider systems need to stay in step with the service: the change feed and the
idempotent upsert of a nightly synchronisation.

Not in the national API (it has none); documented in docs/provider-api.md. These routes sit on
their own router, matched before `/hoks/{hoks_id}`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ehoks.audit.service import Outcome
from ehoks.hoks import bulk, upsert
from ehoks.hoks.changes import service as changes
from ehoks.hoks.changes.schemas import ChangeFeedPage, UpsertedItem, UpsertMeta
from ehoks.hoks.openapi import batch_request_body
from ehoks.hoks.routes import PREFIX, ClientUnit, ReadClient, WriteClient, batch_of, read_batch
from ehoks.hoks.service import Actor
from ehoks.kit.errors import error_body
from ehoks.kit.http import request_lang
from ehoks.kit.responses import Envelope, NoMeta, envelope
from ehoks.pipeline.run import handle

router = APIRouter(prefix=PREFIX, tags=["provider API: synchronisation"])

MAX_CHANGES = 500
DEFAULT_CHANGES = 100


@router.get(
    "/hoks/muutokset",
    summary="Changes of HOKS since a cursor (change feed)",
    response_model=Envelope[ChangeFeedPage, NoMeta],
)
async def change_feed(
    request: Request,
    subject: ReadClient,
    after: Annotated[
        str | None,
        Query(
            max_length=40, description="The `next-cursor` of the previous answer; none at first."
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_CHANGES, description="At most this many.")] = (
        DEFAULT_CHANGES
    ),
) -> Response:
    """HOKS of the caller's organisation created, changed, deleted or restored after the cursor,
    in the order their transactions committed.

    Follow `next-cursor` for ever: no change is left out and none comes twice, even when writers'
    transactions end in another order than they began. A change shows once every transaction
    that began before it has ended (`waiting` says some are held back).
    """

    def work(unit: ClientUnit) -> changes.ChangePage:
        page = changes.change_page(
            unit.session, Actor(access=unit.access, audit=unit.audit), after=after, limit=limit
        )
        template = unit.audit.event(Outcome.SUCCESS)
        unit.audit.recorded_all(
            unit.session,
            [
                replace(template, hoks_id=row.hoks_id, oppija_oid=row.oppija_oid)
                for row in page.rows
            ],
        )
        return page

    page = await handle(request, subject, "hoks.changes", work)
    return envelope({"changes": page.changes, "next-cursor": page.next, "waiting": page.waiting})


@router.put(
    "/hoks/bulk",
    summary="Create or replace many HOKS by study right (idempotent nightly synchronisation)",
    openapi_extra=batch_request_body("HOKSPost", bulk.MAX_BATCH),
    response_model=Envelope[list[UpsertedItem], UpsertMeta],
)
async def upsert_bulk(request: Request, subject: WriteClient) -> Response:
    """Up to 1000 HOKS, each keyed by its `opiskeluoikeus-oid`: a study right without a HOKS gets
    one (the checks of a create), an existing HOKS is replaced (the checks of a PUT), and one
    that already says exactly this is left as it is.

    Not in the national API. Answers 200 with one result per document, in order:
    `{"index", "result", "id", "uri", "revision"}`, `result` being `created`, `changed` or
    `unchanged`; or `{"index", "error"}`. Sending the same batch again makes no new revisions
    and answers `unchanged` for each. Everything is stored in one transaction.
    """

    def work(unit: ClientUnit) -> list[upsert.UpsertItem]:
        results, events = upsert.upsert_many(unit.session, batch_of(unit))
        unit.audit.recorded_all(unit.session, events)
        return results

    results = await handle(request, subject, "hoks.upsert", work, body=read_batch)
    lang = request_lang(request)
    base = request.url.path.rsplit("/", 1)[0]
    items = [
        UpsertedItem(
            index=r.index,
            result=r.result.value,
            id=r.hoks_id,
            uri=f"{base}/{r.hoks_id}",
            revision=r.revision,
        )
        if r.error is None and r.result is not None
        else UpsertedItem(index=r.index, error=error_body(r.error, lang, None) if r.error else None)
        for r in results
    ]
    counts = {kind: sum(1 for r in results if r.result is kind) for kind in upsert.Result}
    meta = UpsertMeta(
        created=counts[upsert.Result.CREATED],
        changed=counts[upsert.Result.CHANGED],
        unchanged=counts[upsert.Result.UNCHANGED],
        refused=sum(1 for r in results if r.error is not None),
    )
    return envelope(items, meta)
