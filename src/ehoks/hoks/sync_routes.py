"""What provider systems need to stay in step with the service: the change feed.

Not in the national API (it has none); documented in docs/provider-api.md. These routes sit on
their own router, matched before `/hoks/{hoks_id}`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from ehoks.audit.service import Outcome
from ehoks.hoks.changes import service as changes
from ehoks.hoks.changes.schemas import ChangeFeedPage
from ehoks.hoks.routes import PREFIX, ClientUnit, ReadClient
from ehoks.hoks.service import Actor
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
