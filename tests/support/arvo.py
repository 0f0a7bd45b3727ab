"""A local HTTP stand-in that speaks Arvo's survey-link API, for the feedback tests.

It keeps the links it made, recognises a repeated `request_id` (answers with the link it made
for it, unless that link was deleted), checks basic auth, and can be told to fail the next
requests: `500` (a server error), `slow` (answers after the client's timeout, having made the
link), or `no-survey` (Arvo's 404 "ei-kyselya"). `on_request`, when set, is called with each
request's method and path before it is answered (what happens elsewhere while a call is on its
way).

It speaks HTTP/1.1 and keeps connections open (a thread each), as a client reusing its
connections expects; the CPU its connections take is counted (`ArvoState.cpu_seconds`) for the
feedback benchmark.
"""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.support.quiet_server import QuietThreadingHTTPServer

ARVO_USERNAME = "ehoks-arvo"
ARVO_PASSWORD = "arvo-test-password"


@dataclass
class ArvoState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    links: dict[str, dict[str, Any]] = field(default_factory=dict)  # tunnus -> record
    by_request: dict[str, str] = field(default_factory=dict)  # request_id -> tunnus
    requests: list[tuple[str, str, dict[str, Any] | None]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    slow_seconds: float = 1.5
    fixed_link: str | None = None
    on_request: Callable[[str, str], None] | None = None
    cpu_seconds: float = 0.0  # of the threads serving connections that have closed

    def posts(self, path: str) -> list[dict[str, Any]]:
        with self.lock:
            return [
                body or {} for method, p, body in self.requests if method == "POST" and p == path
            ]

    def live(self) -> list[dict[str, Any]]:
        with self.lock:
            return [r for r in self.links.values() if not r["deleted"]]

    def reset(self) -> None:
        with self.lock:
            self.links.clear()
            self.by_request.clear()
            self.requests.clear()
            self.failures.clear()
            self.fixed_link = None
            self.on_request = None


class _Handler(BaseHTTPRequestHandler):
    state: ArvoState
    base: str
    # Keep-alive: every answer says its length (`_answer`), so a connection serves many.
    protocol_version = "HTTP/1.1"
    # An answer goes as two writes (head, body): with Nagle's algorithm the body waited for the
    # client's delayed ACK of the head, about 40 ms a call on Linux, whatever the client.
    disable_nagle_algorithm = True

    def log_message(self, *_args: Any) -> None:  # quiet
        return

    def handle(self) -> None:
        started = time.thread_time()
        try:
            super().handle()
        finally:
            spent = time.thread_time() - started
            with self.state.lock:
                self.state.cpu_seconds += spent

    def _authorised(self) -> bool:
        expected = "Basic " + base64.b64encode(f"{ARVO_USERNAME}:{ARVO_PASSWORD}".encode()).decode()
        return self.headers.get("Authorization") == expected

    def _answer(self, status: int, body: Any = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any] | None:
        length = int(self.headers.get("Content-Length") or 0)
        return json.loads(self.rfile.read(length)) if length else None

    def _received(self, method: str, body: dict[str, Any] | None) -> str | None:
        """Keep the request, run `on_request`; the failure it is to answer with, if any."""
        state = self.state
        with state.lock:
            state.requests.append((method, self.path, body))
            # A failure is the next POST's, or names its method ("PATCH 500").
            head = state.failures[0] if state.failures else ""
            named = head.startswith(f"{method} ")
            applies = named or (method == "POST" and head != "" and " " not in head)
            failure = state.failures.pop(0).split(" ")[-1] if applies else None
            hook = state.on_request
        if hook is not None:
            hook(method, self.path)
        return failure

    def _handle(self, method: str) -> None:
        body = self._body()
        state = self.state
        failure = self._received(method, body)
        if not self._authorised():
            self._answer(401, {"error": "unauthorised"})
            return
        if failure == "500":
            self._answer(500, {"error": "internal"})
            return
        if failure == "no-survey":
            self._answer(404, {"error": "ei-kyselya"})
            return
        if method == "POST":
            record = self._create(body or {})
            if failure == "slow":
                time.sleep(state.slow_seconds)  # the link exists; the answer comes too late
            self._answer(
                200,
                {
                    "tunnus": record["tunnus"],
                    "kysely_linkki": record["url"],
                    "voimassa_loppupvm": (body or {}).get("vastaamisajan_loppupvm"),
                },
            )
            return
        parts = self.path.rstrip("/").split("/")
        tunnus = parts[-1]
        with state.lock:
            record = state.links.get(tunnus)
        if record is None or record["deleted"]:
            self._answer(404, {"error": "not found"})
            return
        if method == "GET":
            self._answer(
                200,
                {
                    "vastattu": record["answered"],
                    "voimassa_loppupvm": record["body"].get("vastaamisajan_loppupvm"),
                },
            )
        elif method == "PATCH":
            with state.lock:
                record["patches"].append(body)
            self._answer(200, {"tunnus": tunnus})
        elif method == "DELETE":
            with state.lock:
                record["deleted"] = True
            self._answer(200, {})

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        state = self.state
        with state.lock:
            known = state.by_request.get(str(body.get("request_id")))
            if known is not None and not state.links[known]["deleted"]:
                return state.links[known]
            tunnus = f"T{len(state.links) + 1:06d}"
            record = {
                "tunnus": tunnus,
                "url": state.fixed_link or f"{self.base}/v/{tunnus}",
                "body": body,
                "path": self.path,
                "deleted": False,
                "answered": False,
                "patches": [],
            }
            state.links[tunnus] = record
            state.by_request[str(body.get("request_id"))] = tunnus
            return record

    def do_POST(self) -> None:
        self._handle("POST")

    def do_GET(self) -> None:
        self._handle("GET")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


@dataclass
class ArvoStandIn:
    url: str
    state: ArvoState


def start_stand_in() -> tuple[ArvoStandIn, Callable[[], None]]:
    """A running stand-in on a free port of 127.0.0.1, and the function that stops it (the
    tests' fixture, and the feedback benchmark)."""
    state = ArvoState()
    server = QuietThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    handler = type("Handler", (_Handler,), {"state": state, "base": url})
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return ArvoStandIn(url=url, state=state), stop


@pytest.fixture(scope="session")
def arvo_server() -> Iterator[ArvoStandIn]:
    stand_in, stop = start_stand_in()
    yield stand_in
    stop()


@pytest.fixture
def arvo(arvo_server: ArvoStandIn) -> Iterator[ArvoStandIn]:
    arvo_server.state.reset()
    yield arvo_server
    arvo_server.state.reset()
