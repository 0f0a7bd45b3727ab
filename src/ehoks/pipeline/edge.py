"""Input refused at the edge: control characters where none can belong, before any route runs.

PostgreSQL cannot store NUL in text, and no address, query parameter, cookie, header or form
field of this service has a use for control characters; a NUL that reached a query used to be a
500 (and the failure's log line kept the raw parameters). `InputGuard` answers such a request
with a 400 (`control_character`, with a violation naming the place and, when it is clean, the
parameter) before routing, writes one audit record of the refusal, and logs nothing of the
input. JSON bodies are checked where they are parsed (`ehoks.kit.http.read_json_body`): only
NUL is refused there, since text fields may hold line breaks.

What a request holds is checked as the route would see it: the path after percent-decoding, the
query string and form fields after decoding (`%00`, `+`), cookies after unquoting (a quoted
cookie may spell NUL as `\\000`). Raw control bytes in a header never get this far: the HTTP
server refuses the request itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Final
from urllib.parse import unquote_to_bytes

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.types import Message, Receive, Scope, Send

from ehoks.audit.scope import UNIDENTIFIED, AuditScope
from ehoks.kit.errors import ApiError, Violation, pointer
from ehoks.kit.forms import FORM_MEDIA_TYPE
from ehoks.kit.http import HttpMiddleware, error_response, request_id

log = logging.getLogger("ehoks.edge")

CODE: Final = "control_character"
OPERATION: Final = "request.refused-input"
# C0 controls and DEL; tab is allowed in headers, tab and line breaks in form fields (textareas).
_CONTROLS: Final = frozenset(range(0x20)) | {0x7F}
_HEADER_CONTROLS: Final = _CONTROLS - {0x09}
_FORM_CONTROLS: Final = _CONTROLS - {0x09, 0x0A, 0x0D}
# Forms are a few short fields (`ehoks.kit.forms`); a longer body is refused by its reader.
_MAX_FORM_CHECK: Final = 65_536


class InputGuard(HttpMiddleware):
    """Refuses control characters in a request, audited."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        place = refused_place(scope)
        if place is None and _is_form(scope):
            body, complete = await _buffer(receive, _MAX_FORM_CHECK)
            receive = _replaying(body, receive)
            if complete:
                sent = b"".join(m.get("body", b"") for m in body)
                place = _first_control(_query_fields(sent), _FORM_CONTROLS, "form")
        if place is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        error = ApiError(400, CODE, violations=[Violation(CODE, place)])
        await run_in_threadpool(_record, request, error, place)
        await error_response(request, error)(scope, receive, send)


def refused_place(scope: Scope) -> str | None:
    """A JSON Pointer to the first place of the request that holds a control character."""
    path: str = scope.get("path", "")
    if _has(path.encode("utf-8", "surrogatepass"), _CONTROLS):
        return pointer("path")
    query = _first_control(_query_fields(scope.get("query_string", b"")), _CONTROLS, "query")
    if query is not None:
        return query
    for name, value in scope.get("headers", ()):
        if _has(value, _HEADER_CONTROLS):
            return pointer("header", name.decode("latin-1"))
        if name == b"cookie":
            cookie = _first_control(_cookies(value), _CONTROLS, "cookie")
            if cookie is not None:
                return cookie
    return None


def _has(data: bytes, controls: frozenset[int]) -> bool:
    return not controls.isdisjoint(data)


def _first_control(
    fields: Iterable[tuple[bytes, bytes]], controls: frozenset[int], where: str
) -> str | None:
    for name, value in fields:
        if _has(name, controls):
            return pointer(where)
        if _has(value, controls):
            return pointer(where, name.decode("utf-8", "replace"))
    return None


def _query_fields(raw: bytes) -> Iterable[tuple[bytes, bytes]]:
    """Name and value of each `name=value` part, decoded as a form decodes them."""
    for part in raw.replace(b";", b"&").split(b"&"):
        name, _, value = part.partition(b"=")
        yield _decoded(name), _decoded(value)


def _decoded(part: bytes) -> bytes:
    return unquote_to_bytes(part.replace(b"+", b" "))


def _cookies(raw: bytes) -> Iterable[tuple[bytes, bytes]]:
    """The cookies exactly as a route reads them (Starlette's parser unquotes `"\\000"`)."""
    for name, value in cookie_parser(raw.decode("latin-1")).items():
        yield name.encode("utf-8", "replace"), value.encode("utf-8", "replace")


def _is_form(scope: Scope) -> bool:
    media = Headers(scope=scope).get("content-type", "").split(";", 1)[0].strip().lower()
    return media == FORM_MEDIA_TYPE


async def _buffer(receive: Receive, limit: int) -> tuple[list[Message], bool]:
    """The body's messages up to `limit` bytes, and whether that was all of it."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            return messages, False
        size += len(message.get("body", b""))
        if not message.get("more_body", False):
            return messages, True
        if size > limit:
            return messages, False


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that first hands back what was buffered, then reads on."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


def _record(request: Request, error: ApiError, place: str) -> None:
    details = {"method": request.method, "where": place}
    audit = AuditScope(UNIDENTIFIED, OPERATION, request_id(request), details=details)
    audit.refused_apart(request.app.state.sessionmaker, error)
