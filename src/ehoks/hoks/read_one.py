"""GET one HOKS, the provider API's hot route: its answer, and its shortcut past FastAPI's
dependency solving (`ehoks.kit.shortcut`). The route itself is declared in `ehoks.hoks.routes`.

On PostgreSQL the plan is read on the event loop (`read_on_loop`; the route that finds a plan by
its study right uses `study_right_read_on_loop`): one statement on a connection of the loop's
pool, in autocommit, instead of the thread-pool hand-off and a transaction's BEGIN, SELECT and
COMMIT. The access decision is the same function (`service.authorise`, over the organisation
tree this process remembers), and its audit record is queued for the same batch writer. Only a
read that is allowed and whose every fact is at hand is answered there; anything else (a plan
that is not there or not the caller's, a tree not remembered, no pool, a database error) is read
again through the pipeline (`ehoks.pipeline.run.handle`), whose answer, refusals and their audit
records included, is then the answer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import psycopg
from psycopg import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response

from ehoks.access.decision import Action
from ehoks.access.rules import Access
from ehoks.access.subjects import SystemClientSubject
from ehoks.audit.recorder import ReadRecorder
from ehoks.audit.scope import AuditScope, actor_of
from ehoks.audit.service import Outcome
from ehoks.client.auth import system_client_of
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks import service
from ehoks.hoks.repository import HoksRead
from ehoks.hoks.stored import StoredHoks
from ehoks.kit.db.loop_pool import LoopPool
from ehoks.kit.errors import ApiError
from ehoks.kit.http import request_id
from ehoks.kit.responses import Raw, envelope
from ehoks.kit.shortcut import canonical_int
from ehoks.pipeline.run import handle
from ehoks.pipeline.unit import AuditedUnit
from ehoks.registry.directory import NotRemembered, RememberedDirectory

MAX_ID = 2_147_483_647
OPERATION = "hoks.read"


async def read_one(request: Request, hoks_id: int, subject: SystemClientSubject) -> Response:
    """The whole HOKS (its stored bytes, not parsed again) with its ETag, or 304."""

    def work(unit: AuditedUnit[SystemClientSubject]) -> StoredHoks:
        unit.audit.about(hoks_id=hoks_id)
        actor = service.Actor(access=unit.access, audit=unit.audit)
        return service.get_hoks(unit.session, hoks_id, actor)

    stored = await read_on_loop(request, hoks_id, subject)
    if stored is None:
        stored = await handle(request, subject, OPERATION, work, read_only=True)
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


async def read_on_loop(
    request: Request, hoks_id: int, subject: SystemClientSubject
) -> StoredHoks | None:
    """The plan, read and allowed on the event loop with its audit record queued; None when
    this path cannot answer it (see the module's docstring) and the pipeline must."""
    return await _on_loop(
        request, subject, partial(hoks_repository.view_on_loop, hoks_id=hoks_id), hoks_id=hoks_id
    )


async def study_right_read_on_loop(
    request: Request, opiskeluoikeus_oid: str, subject: SystemClientSubject
) -> StoredHoks | None:
    """`read_on_loop` of the plan of a study right (the national "find by study right")."""
    read = partial(
        hoks_repository.view_by_study_right_on_loop, opiskeluoikeus_oid=opiskeluoikeus_oid
    )
    return await _on_loop(request, subject, read, study_right=opiskeluoikeus_oid)


async def _on_loop(
    request: Request,
    subject: SystemClientSubject,
    read: Callable[[AsyncConnection[Any]], Awaitable[HoksRead | None]],
    **about: Any,
) -> StoredHoks | None:
    state = request.app.state
    pool: LoopPool | None = state.loop_pool
    recorder: ReadRecorder | None = state.read_recorder
    if pool is None or recorder is None:
        return None
    try:
        # getconn and putconn: `pool.connection()` is the same with an async context manager
        # around it, which cost a fifth of this path's CPU time.
        connection = await pool.getconn()
        try:
            row = await read(connection)
        finally:
            await pool.putconn(connection)
    except psycopg.Error:  # the pool's timeout and a closed pool among them
        return None
    audit = AuditScope(actor_of(subject), OPERATION, request_id(request))
    audit.about(**about)
    access = Access(subject, RememberedDirectory(state.engine.url))
    try:
        service.authorise(service.Actor(access=access, audit=audit), row, Action.READ)
    except (ApiError, NotRemembered):
        return None
    assert row is not None  # authorise refused a missing one  # noqa: S101
    recorder.add(audit.event(Outcome.SUCCESS))
    return StoredHoks.of(row)
