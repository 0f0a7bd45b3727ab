"""The web application: one FastAPI app serving every surface of the service."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import APIRouter, FastAPI

from ehoks import __version__, wiring
from ehoks.audit.recorder import ReadRecorder
from ehoks.auth import routes as sign_in_routes
from ehoks.auth.devidp import routes as dev_idp_routes
from ehoks.client import cas_routes
from ehoks.client import routes as token_routes
from ehoks.config import Settings, get_settings
from ehoks.credentials import check_pages as credential_check_pages
from ehoks.credentials import credential_pages as student_credential_pages
from ehoks.credentials import pages as credential_pages
from ehoks.credentials import routes as credential_routes
from ehoks.feedback import backend_routes as feedback_backend_routes
from ehoks.feedback import link_routes as survey_link_routes
from ehoks.feedback import pages as feedback_pages
from ehoks.feedback import routes as feedback_routes
from ehoks.feedback import staff_pages as feedback_staff_pages
from ehoks.hoks import lookup_routes, sync_routes
from ehoks.hoks import openapi as hoks_openapi
from ehoks.hoks import routes as provider_routes
from ehoks.instructor import routes as instructor_routes
from ehoks.kit import assets, docs, health, http, observe
from ehoks.kit.db.counts import CountMemo
from ehoks.kit.db.counts import attach as attach_counts
from ehoks.kit.db.engine import (
    build_engine,
    build_read_sessionmaker,
    build_sessionmaker,
    is_sqlite,
)
from ehoks.kit.db.loop_pool import LoopPool, build_loop_pool, open_loop_pool
from ehoks.kit.keys import PROVIDER_TOKENS, ServiceKeys
from ehoks.kit.shortcut import ShortcutsFirst
from ehoks.people import staff_routes, student_routes
from ehoks.pipeline.edge import InputGuard
from ehoks.planform import routes as plan_form_routes
from ehoks.planhistory import routes as plan_history_routes
from ehoks.registry.remote.setup import attach, registries_from
from ehoks.reports import alert_routes
from ehoks.sharing import pages as sharing_pages
from ehoks.sharing import period_pages as sharing_period_pages
from ehoks.sharing import routes as sharing_routes
from ehoks.staffpages import routes as staff_pages
from ehoks.studentpages import routes as student_pages

log = logging.getLogger("ehoks.app")

DEVELOPMENT_MODE_NOTICE = (
    "DEVELOPMENT MODE: the development identity provider lets anyone sign in as anyone; "
    "never use this server for real data (unset EHOKS_DEVELOPMENT_MODE)."
)

# Every surface's router, in matching order.
_ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    assets.router,
    token_routes.router,
    cas_routes.router,
    survey_link_routes.router,
    lookup_routes.router,
    sync_routes.router,
    alert_routes.router,
    provider_routes.router,
    sign_in_routes.router,
    dev_idp_routes.router,
    staff_routes.router,
    student_routes.router,
    feedback_routes.router,
    feedback_backend_routes.router,
    feedback_pages.router,
    feedback_staff_pages.router,
    instructor_routes.router,
    staff_pages.router,
    student_pages.router,
    plan_history_routes.router,
    sharing_routes.router,
    sharing_pages.router,
    sharing_period_pages.router,
    plan_form_routes.router,
    credential_pages.router,
    student_credential_pages.router,
    credential_check_pages.router,
    credential_routes.router,
    docs.router,
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    bound_request_threads(settings)
    # The event loop's own connections, opened in it (`ehoks.kit.db.loop_pool`).
    pool = build_loop_pool(settings.database_url, loop_connections(settings))
    if pool is not None:
        await open_loop_pool(pool)
        app.state.loop_pool = pool
    try:
        yield
    finally:
        app.state.loop_pool = None
        if pool is not None:
            await pool.close()
        # A stopping process writes the audit records of its last reads before it exits.
        recorder: ReadRecorder | None = app.state.read_recorder
        if recorder is not None:
            recorder.close()


def bound_request_threads(settings: Settings) -> None:
    """At most `database_pool_size` threads of this event loop do blocking work at once.

    Every request's work that may use the database runs in anyio's worker threads: the unit of
    work of each route (`run_in_threadpool`), the routes and dependencies that are plain
    functions, and `off_loop`. Each holds at most one connection at a time, so with this bound
    the pool (`connections_kept`) always has one for it: under load no connection is opened and
    closed again, and none is waited for; the requests beyond wait on the event loop for a
    thread instead. anyio's own default, 40 threads, would be 40 connections a process, more
    than 2 cores can keep busy and soon more than PostgreSQL's `max_connections` with several
    processes (docs/operations.md, "Database connections"). Called once the server's event loop
    runs (the lifespan): the bound is the loop's.
    """
    to_thread.current_default_thread_limiter().total_tokens = settings.database_pool_size


def connections_kept(settings: Settings) -> int:
    """The connections a web process keeps and never exceeds: one for each request thread
    (`bound_request_threads`), and one for the thread that writes the audit records of reads
    (`ehoks.audit.recorder`), when reads are recorded that way."""
    return settings.database_pool_size + (1 if settings.read_audit_interval_ms > 0 else 0)


def loop_connections(settings: Settings) -> int:
    """The connections a web process's event loop keeps besides (`ehoks.kit.db.loop_pool`):
    none on SQLite, nor when each read writes its own audit record before it is answered
    (`read_audit_interval_ms` 0), which only a request thread does."""
    if is_sqlite(settings.database_url) or settings.read_audit_interval_ms == 0:
        return 0
    return settings.database_loop_pool_size


def create_app(settings: Settings | None = None) -> FastAPI:
    wiring.connect()
    settings = settings or get_settings()
    if settings.development_mode:
        log.warning(DEVELOPMENT_MODE_NOTICE)
    app = FastAPI(
        title="eHOKS",
        version=__version__,
        description=(
            "National repository and digital service for HOKS documents. The provider-system "
            "API is wire-compatible with the national eHOKS service."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=_lifespan,
        # No OpenTelemetry by default: it costs CPU on every request, and this service exports
        # none of it (yet).
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    interval = settings.read_audit_interval_ms / 1000
    engine = build_engine(settings.database_url, pool_size=connections_kept(settings))
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = build_sessionmaker(engine)
    app.state.registries = registries_from(settings)
    attach(app.state.sessionmaker, app.state.registries)
    app.state.read_sessionmaker = build_read_sessionmaker(engine)
    loop_pool: LoopPool | None = None  # opened in the lifespan
    app.state.loop_pool = loop_pool
    attach(app.state.read_sessionmaker, app.state.registries)
    counts = CountMemo(settings.list_count_seconds)
    attach_counts(app.state.sessionmaker, counts)
    attach_counts(app.state.read_sessionmaker, counts)
    app.state.read_recorder = (
        ReadRecorder(app.state.sessionmaker, interval) if interval > 0 else None
    )
    configured = {PROVIDER_TOKENS: settings.token_signing_key} if settings.token_signing_key else {}
    app.state.keys = ServiceKeys(app.state.sessionmaker, configured)
    # Inside the request context (installed after it, so it runs within): refusals get a
    # request id, the error contract and the security headers.
    app.add_middleware(InputGuard)
    http.install(app)
    # Outermost: it sees every answer, the last-resort 500 included, and its request id.
    app.add_middleware(observe.Observe)
    if settings.request_log:
        observe.log_requests_to_stderr()
    app.state.openapi_extenders = [hoks_openapi.extend]
    for router in _ROUTERS:
        app.include_router(router)
    # The staff search's and students page's common case before FastAPI's route search.
    app.router.middleware_stack = ShortcutsFirst(app.router.middleware_stack, app.router)
    return app


# Container objects allocated (net) before the youngest generation is collected: Python's 700
# means a collection every few documents of a batch create, each a walk of the documents being
# worked on, and the survivors soon trigger the older generations' walks as well.
YOUNG_GENERATION_THRESHOLD = 10_000


def create_served_app(settings: Settings | None = None) -> FastAPI:
    """`create_app` for a process that then serves it (each worker of `ehoks serve`).

    Everything made until now (the modules, the app, its routes) lives as long as the process,
    and is moved out of the cyclic garbage collector's sight (`gc.freeze`). A full collection
    otherwise walks all of it again every time a request leaves enough surviving objects behind:
    a batch create triggered one every few batches, and they took 40 % of its CPU time. The
    young generation is collected less often (`YOUNG_GENERATION_THRESHOLD`): what collections
    remained cost 0.45 ms of a batch's document, 0.1–0.2 ms after (bench/README.md, "A batch of
    200, fourth round").
    """
    app = create_app(settings)
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
    return app
