"""What operators see of the running service: Prometheus metrics and one JSON line per request.

`Observe` is the outermost middleware: it counts every answer by route template, method and
status, times it into a latency histogram, keeps the database pool's use as a gauge and, with
`EHOKS_REQUEST_LOG` on, writes one JSON line per request to the logger `ehoks.requests`:

    {"event": "request", "request_id": "…", "method": "GET",
     "route": "/ehoks-virkailija-backend/api/v1/hoks/{hoks_id}", "status": 200, "duration_ms": 3.1}

Only the route's template is ever named, never the path: paths hold student OIDs and study-right
OIDs, and a mistyped path can hold anything (a henkilötunnus), so a request no route matched is
`unmatched`. Nothing of the query, the headers or the body is logged.

The metrics are served by `ehoks serve --metrics-port` on a port of their own
(`ehoks.cli.metrics`), never by the service's own port.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, Final

import orjson
import structlog
from prometheus_client import Counter, Gauge, Histogram
from starlette.types import Message, Receive, Scope, Send

from ehoks.kit.http import HttpMiddleware

REQUEST_LOGGER: Final = "ehoks.requests"
UNMATCHED: Final = "unmatched"
_METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "ehoks_http_requests",
    "HTTP requests answered, by route template, method and status.",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "ehoks_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template and method.",
    ["route", "method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
POOL_IN_USE = Gauge(
    "ehoks_db_pool_connections_in_use",
    "Database connections checked out of the web processes' pools (after each request).",
    multiprocess_mode="livesum",
)
POOL_SIZE = Gauge(
    "ehoks_db_pool_connections_open",
    "Database connections the web processes' pools hold open (after each request).",
    multiprocess_mode="livesum",
)
READ_AUDIT_PENDING = Gauge(
    "ehoks_read_audit_records_pending",
    "Audit records of reads queued and not yet written (ehoks.audit.recorder).",
    multiprocess_mode="livesum",
)


def _json(value: Any, **_: Any) -> str:
    return orjson.dumps(value).decode()


structlog.configure(
    processors=[
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="at"),
        structlog.processors.JSONRenderer(serializer=_json),
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)
_log = structlog.get_logger(REQUEST_LOGGER)


def log_requests_to_stderr() -> None:
    """Send the request lines to standard error, once per process (`ehoks serve`)."""
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.setLevel(logging.INFO)
    if not any(isinstance(h, _StandardError) for h in logger.handlers):
        handler = _StandardError()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


class _StandardError(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever standard error is when a line is written (it may be replaced)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.setStream(sys.stderr)
        super().emit(record)


def route_template(scope: Scope) -> str:
    """The matched route's template (`/hoks/{hoks_id}`), or `unmatched`; never the path."""
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED


class Observe(HttpMiddleware):
    """Counts, times and logs every HTTP request (see the module's docstring)."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            _observed(scope, status, time.perf_counter() - started)


# Each (route, method, status)'s counter and histogram, resolved once: `labels()` builds and
# looks up its key under a lock on every call. Route templates, methods and statuses are few.
_SERIES: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def _series(route: str, method: str, status: int) -> tuple[Any, Any]:
    key = (route, method, status)
    found = _SERIES.get(key)
    if found is None:
        found = _SERIES[key] = (
            REQUESTS.labels(route, method, str(status)),
            LATENCY.labels(route, method),
        )
    return found


def _observed(scope: Scope, status: int, elapsed: float) -> None:
    route = route_template(scope)
    method = scope.get("method", "")
    method = method if method in _METHODS else "other"
    requests, latency = _series(route, method, status)
    requests.inc()
    latency.observe(elapsed)
    state = scope["app"].state
    pool = state.engine.pool
    checked_out = getattr(pool, "checkedout", None)
    if checked_out is not None:
        in_use = checked_out()
        POOL_IN_USE.set(in_use)
        POOL_SIZE.set(in_use + pool.checkedin())
    recorder = state.read_recorder
    if recorder is not None:
        READ_AUDIT_PENDING.set(recorder.pending)
    if state.settings.request_log:
        _log.info(
            "request",
            request_id=scope.get("state", {}).get("request_id", ""),
            method=method,
            route=route,
            status=status,
            duration_ms=round(elapsed * 1000, 2),
        )
