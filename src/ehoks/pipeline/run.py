"""The one request pipeline: read the body, do the work in the thread pool inside the request's
audit scope and unit of work, and hand back its result for the route to answer with.

    @router.get("/oppijat/{oppija_oid}")
    async def student(request: Request, oppija_oid: OppijaOid, caller: Staff) -> Response:
        def work(unit: StaffUnit) -> Summary:
            return staff_service.student_summary(unit.session, unit.access, oppija_oid, unit.audit)

        return respond(await handle(request, caller, "read-student", work))

Order of events: the body is read (and refused if it is malformed or too large); in a worker
thread one transaction opens; the caller is resolved in it (a cookie session; a provider system
is known already); the audit scope opens for that caller; the work runs; unless the work recorded
its own events, one success event is written; the transaction commits; the result goes back to
the route. When the work raises, the transaction rolls back and the scope records the refusal
(401/403/404/412: "denied") or the failure in a transaction of its own, after the request's one
is closed; then the error answers.

`perform` and `perform_public` are the same pipeline for code already in a worker thread (a
sign-in, which must call the identity provider between two units of work).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session, sessionmaker

from ehoks.access.subjects import Subject
from ehoks.audit.recorder import ReadRecorder
from ehoks.audit.scope import UNIDENTIFIED, Actor, AuditScope, actor_of
from ehoks.audit.service import Outcome
from ehoks.config import Settings
from ehoks.kit.db.engine import transaction
from ehoks.kit.errors import ApiError
from ehoks.kit.http import read_json_body, request_id
from ehoks.pipeline.callers import OtherKindError, Resolvable
from ehoks.pipeline.unit import AuditedUnit, Unit

T = TypeVar("T")
S = TypeVar("S", bound=Subject)
BodyReader = Callable[[Request], Awaitable[Any]]


async def json_body(request: Request) -> Any:
    """A JSON body of at most the configured size (`max_body_bytes`)."""
    return await read_json_body(request, _settings(request).max_body_bytes)


async def optional_json_body(request: Request) -> Any:
    """A JSON body if one was sent (it still has to be JSON), else None."""
    sent = request.headers.get("content-length", "0") not in ("", "0")
    if sent or request.headers.get("transfer-encoding"):
        return await json_body(request)
    return None


async def handle(
    request: Request,
    caller: S | Resolvable[S],
    operation: str | None,
    work: Callable[[AuditedUnit[S]], T],
    *,
    body: BodyReader | None = None,
    read_only: bool = False,
) -> T:
    """Run `work` for `caller` as the audited operation `operation`; its result.

    `operation` None: the work reads only the caller's own session (who is signed in), which is
    no one's personal data but theirs, and writes no audit record. `read_only`: the work changes
    nothing but its audit record, whose commit then need not wait for the disk
    (`ehoks.kit.db.engine.relax_commit_durability`).
    """
    actor = UNIDENTIFIED if _resolvable(caller) else actor_of(cast("S", caller))
    parsed = await _read(request, body, actor, operation) if body is not None else None
    return await run_in_threadpool(
        perform, request, caller, operation, work, body=parsed, read_only=read_only
    )


async def refusals_audited(request: Request, body: BodyReader, operation: str) -> Any:
    """The body read by `body`, for work outside the pipeline (a public form of personal data):
    a refused body is audited as `operation` all the same, from an unidentified sender."""
    return await _read(request, body, UNIDENTIFIED, operation)


async def _read(request: Request, body: BodyReader, actor: Actor, operation: str | None) -> Any:
    try:
        return await body(request)
    except ApiError as error:
        # Refused before the work's transaction opened: the refusal is recorded all the same.
        if operation is not None:
            audit = AuditScope(actor, operation, request_id(request))
            await run_in_threadpool(audit.refused_apart, _sessions(request), error)
        raise


async def handle_public(
    request: Request, work: Callable[[Unit], T], *, body: BodyReader | None = None
) -> T:
    """Run `work` that touches no personal data (no caller, no audit record) in its own unit."""
    parsed = await body(request) if body is not None else None
    return await run_in_threadpool(perform_public, request, work, body=parsed)


async def off_loop(blocking: Callable[..., T], *args: Any) -> T:
    """Blocking work that is not a unit of work (sending mail, calling the identity provider),
    in the thread pool: never inside a transaction, which would hold the database meanwhile."""
    return await run_in_threadpool(blocking, *args)


def perform(
    request: Request,
    caller: S | Resolvable[S],
    operation: str | None,
    work: Callable[[AuditedUnit[S]], T],
    *,
    body: Any = None,
    read_only: bool = False,
) -> T:
    """`handle` for code already in a worker thread (the body, if any, already read)."""
    if read_only and not _resolvable(caller):
        return _perform_read(request, cast("S", caller), operation, work, body)
    apart = _RecordedApart(request)  # its scope is known once the caller is
    with apart, transaction(_sessions(request)) as session:
        unit = _unit(request, session, body)
        subject = _resolved(request, caller, unit)
        # Known to the response too: a page shows that someone is signed in (sign-out).
        request.state.subject = subject
        audit = AuditScope(actor_of(subject), operation or "", request_id(request))
        scope = apart.scope = audit if operation is not None else None
        result = work(AuditedUnit(unit, subject, audit))
        if scope is not None and not scope.recorded:
            scope.succeeded(session, read_only=read_only)
        return result


def _resolved(request: Request, caller: S | Resolvable[S], unit: Unit) -> S:
    if not _resolvable(caller):
        return cast("S", caller)
    try:
        return cast("Resolvable[S]", caller).resolve(unit)
    except OtherKindError as refused:
        # The refusal's page says who is signed in, with their own start page and sign-out.
        request.state.subject = refused.subject
        raise


def _perform_read(
    request: Request,
    subject: S,
    operation: str | None,
    work: Callable[[AuditedUnit[S]], T],
    body: Any,
) -> T:
    """A read by a caller known up front (a provider system): nothing but the audit record is
    written, so the work runs in a read-only transaction (on SQLite one that takes no lock) and
    the record is written apart: queued for this process's next batch of read records
    (`ehoks.audit.recorder`), or, without one, in a transaction of its own before the answer."""
    request.state.subject = subject
    audit = AuditScope(actor_of(subject), operation or "", request_id(request))
    scope = audit if operation is not None else None
    with _RecordedApart(request, scope), transaction(_read_sessions(request)) as session:
        result = work(AuditedUnit(_unit(request, session, body), subject, audit))
    if scope is not None and not scope.recorded:
        recorder: ReadRecorder | None = request.app.state.read_recorder
        if recorder is not None:
            recorder.add(scope.event(Outcome.SUCCESS))
        else:
            scope.succeeded_apart(_sessions(request))
    return result


class _RecordedApart:
    """Records a refusal (`ApiError`) or failure of the work in the audit log, in a transaction
    of its own, after the request's one has rolled back; the error goes on. Nothing is recorded
    while `scope` is None (no audited operation, or the caller not yet known)."""

    __slots__ = ("request", "scope")

    def __init__(self, request: Request, scope: AuditScope | None = None) -> None:
        self.request = request
        self.scope = scope

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.scope is None:
            return
        if isinstance(error, ApiError):
            self.scope.refused_apart(_sessions(self.request), error)
        elif isinstance(error, Exception):
            self.scope.failed_apart(_sessions(self.request))


def perform_public(request: Request, work: Callable[[Unit], T], *, body: Any = None) -> T:
    """`handle_public` for code already in a worker thread."""
    with transaction(_sessions(request)) as session:
        return work(_unit(request, session, body))


def _unit(request: Request, session: Session, body: Any) -> Unit:
    settings = _settings(request)
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    return Unit(session, settings, now, today, body)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


# Whether each type of caller is `Resolvable`. A runtime-checkable Protocol's isinstance walks
# the protocol's members on every call, which cost a tenth of a plain read's CPU time.
_RESOLVABLE_TYPES: dict[type, bool] = {}


def _resolvable(caller: object) -> bool:
    kind = type(caller)
    known = _RESOLVABLE_TYPES.get(kind)
    if known is None:
        known = _RESOLVABLE_TYPES[kind] = isinstance(caller, Resolvable)
    return known


def _read_sessions(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.read_sessionmaker
    return factory


def _sessions(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    return factory
