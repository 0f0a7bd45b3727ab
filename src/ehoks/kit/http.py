"""HTTP plumbing shared by every surface: request ids, language, JSON bodies, error responses,
security headers."""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ehoks.kit.errors import ApiError, Violation, error_body, pointer
from ehoks.kit.faults import log_failure, unavailable
from ehoks.kit.headers import add_security_headers
from ehoks.kit.i18n import Lang, negotiate
from ehoks.kit.pages.errors import error_page, wants_page

log = logging.getLogger("ehoks.http")

REQUEST_ID_HEADER = "X-Request-Id"
# Every response is personal data or about it: never cache (as the national service does).
MAX_REQUEST_ID = 64
NO_CACHE_HEADERS = {"Cache-Control": "no-store", "Expires": "0"}


class JsonResponse(Response):
    """JSON written by orjson: several times faster than the stdlib for HOKS-sized bodies."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):
            return content
        return orjson.dumps(content)


def today(request: Request) -> date:
    """Today in the service's time zone (date rules are Finnish dates)."""
    return datetime.now(ZoneInfo(request.app.state.settings.timezone)).date()


def if_match_tags(request: Request) -> list[str] | None:
    """The entity tags of an If-Match header (RFC 9110 13.1.1), or None without one."""
    header = request.headers.get("if-match")
    if header is None:
        return None
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if not tags or any(t != "*" and not (t.startswith('"') and t.endswith('"')) for t in tags):
        raise ApiError(400, "invalid_if_match")
    return tags


def client_address(request: Request) -> str:
    """The caller's address (the proxy's X-Forwarded-For, when `ehoks serve` trusts it)."""
    return request.client.host if request.client is not None else ""


def request_lang(request: Request) -> Lang:
    return negotiate(request.headers.get("accept-language"))


def request_id(request: Request) -> str:
    value = getattr(request.state, "request_id", None)
    return value if isinstance(value, str) else ""


def error_response(request: Request, error: ApiError) -> Response:
    """The error as the JSON contract, or as a page for page routes (ehoks.kit.pages.errors)."""
    if wants_page(request):
        try:
            return error_page(request, error, request_id(request))
        except Exception as exc:  # noqa: BLE001 - logged; the JSON answer below still goes out
            # The page itself failed: the JSON contract below still tells what happened.
            log_failure(log, "error page failed", exc, request_id(request))
    body = error_body(error, request_lang(request), request_id(request))
    headers = {**NO_CACHE_HEADERS, **error.headers}
    if request_id(request):
        headers[REQUEST_ID_HEADER] = request_id(request)
    return JsonResponse(body, status_code=error.status, headers=headers)


def check_json_request(request: Request, max_bytes: int) -> None:
    """A 4xx before reading, for a body that is not JSON or says it is too large."""
    content_type = request.headers.get("content-type", "")
    if content_type and "json" not in content_type.lower():
        raise ApiError(415, "unsupported_media_type")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ApiError(413, "body_too_large", params={"limit": max_bytes})


async def read_json_body(request: Request, max_bytes: int) -> Any:
    """The request body parsed as JSON, or a 4xx that says what is wrong with it.

    A NUL in any key or string is refused with its place (PostgreSQL cannot store it). A batch
    is not read here (`ehoks.kit.jsonarray`): each of its documents' own validation refuses a
    NUL, and only the document that holds it.
    """
    check_json_request(request, max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ApiError(413, "body_too_large", params={"limit": max_bytes})
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        body = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, "invalid_json", params={"detail": str(exc)}) from None
    # JSON can spell NUL only as an escape: a body without one needs no walk.
    where = nul_pointer(body) if b"\\u0000" in raw else None
    if where is not None:
        raise ApiError(400, "invalid_character", violations=[Violation("invalid_character", where)])
    return body


def nul_pointer(value: Any, *parts: str | int) -> str | None:
    """A JSON Pointer to the first key or string of a parsed JSON body holding NUL, or None."""
    if isinstance(value, str):
        return pointer(*parts) if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in key:
                return pointer(*parts)
            found = nul_pointer(item, *parts, key)
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_pointer(item, *parts, index)
            if found is not None:
                return found
    return None


class HttpMiddleware:
    """A plain ASGI middleware of HTTP requests: anything else (lifespan) passes straight through.

    Plain ASGI rather than Starlette's BaseHTTPMiddleware: that one runs every request in an
    extra task with streamed bodies, which cost about a third of a small request's CPU time
    (bench/README.md).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class RequestContext(HttpMiddleware):
    """Request id, no-cache and security headers and the last-resort 500."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        incoming = Headers(scope=scope).get(REQUEST_ID_HEADER, "")
        # Accept a caller's id only if it is short and plain, so logs cannot be forged.
        rid = (
            incoming
            if 0 < len(incoming) <= MAX_REQUEST_ID and incoming.isascii()
            else uuid.uuid4().hex
        )
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers.setdefault(REQUEST_ID_HEADER, rid)
                # A response that states its own caching (the hashed assets) keeps it.
                if "cache-control" not in headers:
                    headers.update(NO_CACHE_HEADERS)
                add_security_headers(scope, headers)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            log_failure(log, "unhandled error", exc, rid)
            if started:
                raise
            # A database that is away is no bug of ours and passes: 503 with Retry-After.
            error = unavailable(exc) or ApiError(500, "internal_error")
            response = error_response(Request(scope), error)
            await response(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """Request ids, no-cache headers and the one error contract, on every route of `app`."""

    app.add_middleware(RequestContext)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
        violations = [_violation_from_pydantic(err) for err in exc.errors()]
        error = ApiError(
            400, "validation_failed", params={"count": len(violations)}, violations=violations
        )
        return error_response(request, error)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "unknown_error")
        headers = dict(exc.headers or {})
        return error_response(request, ApiError(exc.status_code, code, headers=headers))


def _violation_from_pydantic(err: Any) -> Violation:
    location = [str(p) for p in err.get("loc", ())]
    if location and location[0] in {"body", "query", "path", "header"}:
        where, rest = location[0], location[1:]
    else:
        where, rest = "body", location
    return Violation(
        code="invalid_parameter",
        path=pointer(where, *rest),
        params={"name": ".".join(rest) or where, "detail": err.get("msg", "")},
    )
