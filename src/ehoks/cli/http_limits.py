"""The HTTP server's own limits: request heads of bounded size, and no waiting forever on a client.

`ehoks serve` runs uvicorn with httptools (see docs/operations.md, "Performance"). That parser
takes any number of header fields of any size, and uvicorn waits for a request's head and body as
long as the client cares to trickle them (its only timer runs between requests), so one client
could hold memory and connections without end. This protocol adds what is missing:

- the request line's target at most `MAX_TARGET_BYTES` (else 414), the head at most
  `MAX_HEAD_BYTES` and `MAX_HEADER_FIELDS` fields (else 431);
- a request's head must arrive within `http_head_timeout_seconds` of its first byte (or of the
  connection, for its first request), and its body may pause at most `http_body_idle_seconds`
  between chunks; otherwise 408 and the connection is closed.

A proxy in front should enforce the same or tighter limits (docs/operations.md).
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from ehoks.config import get_settings

MAX_TARGET_BYTES: Final = 8 * 1024
MAX_HEAD_BYTES: Final = 32 * 1024
MAX_HEADER_FIELDS: Final = 100

_REASONS: Final = {
    408: b"Request Timeout",
    414: b"URI Too Long",
    431: b"Request Header Fields Too Large",
}


class _Refused(Exception):  # noqa: N818 - a signal out of the parser's callback, not an error
    """Raised in a parser callback; the parser turns it into the error uvicorn answers."""


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with bounded request heads and read timeouts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self._head_timeout = settings.http_head_timeout_seconds
        self._body_idle = settings.http_body_idle_seconds
        self._target_bytes = 0
        self._head_bytes = 0
        self._head_fields = 0
        self._refusal: tuple[int, str] | None = None
        self._timer: asyncio.TimerHandle | None = None

    # --- the timers ------------------------------------------------------------------------

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._timed_out)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _timed_out(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        if self.flow is not None and self.flow.read_paused:
            # Reading is paused because the application has not taken the body yet: the client
            # is not the slow one.
            self._arm(self._body_idle)
            return
        if self.cycle is None or not self.cycle.response_started:
            self._write_refusal(408, "The request did not arrive in time.")
        self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # A connection that never sends a request is closed too.
        self._arm(self._head_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    # --- parser callbacks --------------------------------------------------------------------

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._target_bytes = self._head_bytes = self._head_fields = 0
        self._arm(self._head_timeout)

    def on_url(self, url: bytes) -> None:
        self._target_bytes += len(url)
        self._head_bytes += len(url)
        if self._target_bytes > MAX_TARGET_BYTES:
            self._refuse(414, f"The request target is longer than {MAX_TARGET_BYTES} bytes.")
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_fields += 1
        self._head_bytes += len(name) + len(value) + 4
        if self._head_fields > MAX_HEADER_FIELDS:
            self._refuse(431, f"The request has more than {MAX_HEADER_FIELDS} header fields.")
        if self._head_bytes > MAX_HEAD_BYTES:
            self._refuse(431, f"The request head is larger than {MAX_HEAD_BYTES} bytes.")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        # Until the whole body has arrived, it may pause only so long between chunks.
        self._arm(self._body_idle)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        self._arm(self._body_idle)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    # --- refusing ------------------------------------------------------------------------------

    def _refuse(self, status: int, text: str) -> None:
        self._refusal = (status, text)
        raise _Refused(text)

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a request the parser gave up on: ours when we made it give up."""
        if self._refusal is None:
            super().send_400_response(msg)
            return
        self._disarm()
        self._write_refusal(*self._refusal)
        self.transport.close()

    def _write_refusal(self, status: int, text: str) -> None:
        body = text.encode("ascii")
        self.transport.write(
            b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])
            + b"content-type: text/plain; charset=utf-8\r\n"
            + b"content-length: %d\r\n" % len(body)
            + b"connection: close\r\n\r\n"
            + body
        )
