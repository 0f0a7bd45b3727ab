"""GET one HOKS, the provider API's hot route: its answer, and its shortcut past FastAPI's
dependency solving (`ehoks.kit.shortcut`). The route itself is declared in `ehoks.hoks.routes`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ehoks.access.subjects import SystemClientSubject
from ehoks.client.auth import system_client_of
from ehoks.hoks import service
from ehoks.hoks.stored import StoredHoks
from ehoks.kit.responses import Raw, envelope
from ehoks.kit.shortcut import canonical_int
from ehoks.pipeline.run import handle
from ehoks.pipeline.unit import AuditedUnit

MAX_ID = 2_147_483_647


async def read_one(request: Request, hoks_id: int, subject: SystemClientSubject) -> Response:
    """The whole HOKS (its stored bytes, not parsed again) with its ETag, or 304."""

    def work(unit: AuditedUnit[SystemClientSubject]) -> StoredHoks:
        unit.audit.about(hoks_id=hoks_id)
        actor = service.Actor(access=unit.access, audit=unit.audit)
        return service.get_hoks(unit.session, hoks_id, actor)

    stored = await handle(request, subject, "hoks.read", work, read_only=True)
    if stored.etag in (request.headers.get("if-none-match") or ""):
        return Response(status_code=304, headers={"ETag": stored.etag})
    return envelope(Raw(stored.full_json()), headers={"ETag": stored.etag})


async def shortcut(request: Request) -> Response | None:
    """`read_one` with the caller admitted by one call of the route's policy function; an id
    spelled otherwise than plainly is left to the declared route (None)."""
    hoks_id = canonical_int(request.path_params["hoks_id"], 1, MAX_ID)
    if hoks_id is None:
        return None
    return await read_one(request, hoks_id, await system_client_of(request, write=False))
