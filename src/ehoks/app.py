"""The web application: one FastAPI app serving every surface of the service."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from ehoks import __version__
from ehoks.config import Settings, get_settings
from ehoks.kit import http
from ehoks.kit.db.engine import build_engine, build_sessionmaker
from ehoks.kit.keys import PROVIDER_TOKENS, ServiceKeys

log = logging.getLogger("ehoks.app")

DEVELOPMENT_MODE_NOTICE = (
    "DEVELOPMENT MODE: the development identity provider lets anyone sign in as anyone; "
    "never use this server for real data (unset EHOKS_DEVELOPMENT_MODE)."
)


def create_app(settings: Settings | None = None) -> FastAPI:
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
        # No OpenTelemetry by default: it costs CPU on every request, and this service exports
        # none of it (yet).
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    engine = build_engine(settings.database_url, pool_size=settings.database_pool_size)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = build_sessionmaker(engine)
    configured = {PROVIDER_TOKENS: settings.token_signing_key} if settings.token_signing_key else {}
    app.state.keys = ServiceKeys(app.state.sessionmaker, configured)
    http.install(app)
    app.state.openapi_extenders = [_hoks_openapi_extender()]
    _include_routers(app)
    return app


def _hoks_openapi_extender() -> Callable[[dict[str, Any]], None]:
    from ehoks.hoks.openapi import extend  # noqa: PLC0415

    return extend


# Every surface's router, in matching order. A module that is absent is skipped, so a surface can
# be left out of a build without editing this list.
_ROUTERS = (
    "ehoks.kit.health",
    "ehoks.client.routes",
    "ehoks.hoks.routes",
    "ehoks.auth.routes",
    "ehoks.auth.devidp.routes",
    "ehoks.people.staff_routes",
    "ehoks.people.student_routes",
    "ehoks.instructor.routes",
    "ehoks.kit.docs",
)


def _include_routers(app: FastAPI) -> None:
    for module_name in _ROUTERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if not missing.name or not module_name.startswith(missing.name):
                raise
            continue
        app.include_router(module.router)
