"""JSON over HTTP/1.1 to one server, on connections kept open between calls (stdlib http.client).

For a worker that calls one service hundreds of times a second from several threads: a general
client (httpx) spends more CPU building and parsing each request than the rest of the caller's
work, while this one writes a request's few headers itself. Each call borrows an idle
connection (or opens one) and gives it back when the answer was read in full; a connection that
failed, or that the server asked to close, is closed. An idle connection the server closed
meanwhile shows as readable; it is dropped, and a call that fails at once on a reused
connection (the server closed it as the request went out) is made once more on a new one.
"""

from __future__ import annotations

import base64
import http.client
import select
import ssl
import threading
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlsplit

import orjson

USER_AGENT: Final = "ehoks"
# A reused connection the server had closed fails with one of these before any answer.
_STALE: Final = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: bytes

    @property
    def is_error(self) -> bool:
        return self.status >= 400  # noqa: PLR2004 - HTTP's client and server errors

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return orjson.loads(self.body)


class Connections:
    """Calls to the server of `base_url` (http or https, with an optional path prefix), with
    basic auth and a timeout in seconds on each connect, send and read; any failure to get an
    answer raises OSError or http.client.HTTPException. `close` closes the idle connections,
    and those in use when they come back."""

    def __init__(
        self, base_url: str, *, username: str, password: str, timeout: float, keep: int
    ) -> None:
        parts = urlsplit(base_url)
        # Told on each call (as a failure to get an answer), as a general client tells it.
        self._invalid = parts.scheme not in {"http", "https"} or not parts.hostname
        self._https = parts.scheme == "https"
        self._host, self._port = parts.hostname or "", parts.port
        self._prefix = parts.path.rstrip("/")
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self._headers = {
            "Authorization": f"Basic {token}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        self._timeout, self._keep = timeout, keep
        self._lock = threading.Lock()
        self._idle: list[http.client.HTTPConnection] = []
        self._generation = 0
        self._tls = ssl.create_default_context() if self._https else None

    def call(self, method: str, path: str, body: Any = None) -> Answer:
        if self._invalid:
            raise http.client.InvalidURL("not an http or https address")
        content = None if body is None else orjson.dumps(body)
        headers = self._headers if content is None else self._json_headers(len(content))
        connection, generation, reused = self._borrow()
        try:
            answer = self._exchange(connection, method, self._prefix + path, content, headers)
        except _STALE:
            connection.close()
            if not reused:
                raise
            connection, generation, _ = self._new()
            answer = self._exchange_or_close(connection, method, path, content, headers)
        except BaseException:
            connection.close()
            raise
        self._give_back(connection, generation)
        return answer

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
            self._generation += 1
        for connection in idle:
            connection.close()

    def _exchange_or_close(
        self,
        connection: http.client.HTTPConnection,
        method: str,
        path: str,
        content: bytes | None,
        headers: dict[str, str],
    ) -> Answer:
        try:
            return self._exchange(connection, method, self._prefix + path, content, headers)
        except BaseException:
            connection.close()
            raise

    @staticmethod
    def _exchange(
        connection: http.client.HTTPConnection,
        method: str,
        target: str,
        content: bytes | None,
        headers: dict[str, str],
    ) -> Answer:
        connection.request(method, target, body=content, headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.will_close:
            connection.close()
        return Answer(status=response.status, body=body)

    def _json_headers(self, length: int) -> dict[str, str]:
        return self._headers | {"Content-Type": "application/json", "Content-Length": str(length)}

    def _borrow(self) -> tuple[http.client.HTTPConnection, int, bool]:
        while True:
            with self._lock:
                connection = self._idle.pop() if self._idle else None
                generation = self._generation
            if connection is None:
                fresh, generation, _ = self._new()
                return fresh, generation, False
            if _usable(connection):
                return connection, generation, True
            connection.close()

    def _new(self) -> tuple[http.client.HTTPConnection, int, bool]:
        with self._lock:
            generation = self._generation
        if self._tls is not None:
            connection: http.client.HTTPConnection = http.client.HTTPSConnection(
                self._host, self._port, timeout=self._timeout, context=self._tls
            )
        else:
            connection = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        return connection, generation, False

    def _give_back(self, connection: http.client.HTTPConnection, generation: int) -> None:
        if connection.sock is None:  # closed: the server asked, or it failed
            return
        with self._lock:
            if generation == self._generation and len(self._idle) < self._keep:
                self._idle.append(connection)
                return
        connection.close()


def _usable(connection: http.client.HTTPConnection) -> bool:
    """Open and quiet: an idle connection with something to read has been closed by the
    server (or sent what nobody asked for)."""
    sock = connection.sock
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable
