"""JSON calls on kept-open connections, against a real HTTP/1.1 server on loopback."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from ehoks.kit.keepalive import Connections
from tests.support.quiet_server import QuietThreadingHTTPServer


class _Server(QuietThreadingHTTPServer):
    # Closing the server waits for its handlers: a handler still answering a call the client
    # gave up on (the timeout test) ends with its test.
    daemon_threads = False
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.connections = 0  # TCP connections accepted
        self.seen: list[tuple[str, str, str | None, Any]] = []
        self.close_after_answer = False
        self.delay = 0.0
        self.idle_timeout: float | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Head and body go as two writes: without this the body waits for the client's delayed ACK
    # of the head (Nagle's algorithm), about 40 ms a call on a kept-open connection.
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        self.timeout = self.server.idle_timeout
        super().setup()
        self.server.connections += 1

    def log_message(self, *_: Any) -> None:
        pass

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.seen.append((self.command, self.path, self.headers["Authorization"], body))
        time.sleep(self.server.delay)
        payload = json.dumps({"path": self.path, "body": body}).encode()
        self.send_response(404 if self.path.endswith("/missing") else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        if self.server.close_after_answer:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_DELETE = _answer  # noqa: N815 - http.server's names


@pytest.fixture
def server() -> Iterator[_Server]:
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def client(server: _Server, timeout: float = 5.0) -> Connections:
    host, port = server.server_address[:2]
    return Connections(
        f"http://{host!s}:{port}/api", username="u", password="p", timeout=timeout, keep=4
    )


def test_calls_reuse_one_connection_and_send_json_with_basic_auth(server):
    arvo = client(server)
    first = arvo.call("POST", "/links", {"request_id": "ä-1"})
    second = arvo.call("GET", "/links/status/x")
    missing = arvo.call("DELETE", "/links/missing")
    arvo.close()

    assert first.json() == {"path": "/api/links", "body": {"request_id": "ä-1"}}
    assert second.json() == {"path": "/api/links/status/x", "body": None}
    assert (missing.status, missing.is_error, first.is_error) == (404, True, False)
    assert [(m, a) for m, _, a, _ in server.seen] == [
        ("POST", "Basic dTpw"),
        ("GET", "Basic dTpw"),
        ("DELETE", "Basic dTpw"),
    ]
    assert server.connections == 1


def test_a_connection_the_server_closes_is_replaced(server):
    server.close_after_answer = True
    arvo = client(server)
    answers = [arvo.call("GET", f"/n/{n}").status for n in range(3)]
    arvo.close()
    assert answers == [200, 200, 200]
    assert server.connections == 3


def test_an_idle_connection_closed_by_the_server_is_not_used_again(server):
    server.idle_timeout = 0.2  # the server ends a connection idle this long (its keep-alive)
    arvo = client(server)
    assert arvo.call("GET", "/one").status == 200
    time.sleep(0.6)
    assert arvo.call("POST", "/two", {"n": 2}).status == 200
    arvo.close()
    assert server.connections == 2
    assert [p for _, p, _, _ in server.seen] == ["/api/one", "/api/two"]  # each once


def test_a_slow_answer_times_out(server):
    server.delay = 0.5
    arvo = client(server, timeout=0.1)
    with pytest.raises(TimeoutError):
        arvo.call("GET", "/slow")
    server.delay = 0.0
    assert arvo.call("GET", "/after").status == 200  # a new connection, not the timed-out one
    arvo.close()
    assert server.connections == 2


def test_a_wrong_address_fails_on_the_call():
    arvo = Connections("ftp://example.invalid", username="", password="", timeout=1, keep=1)
    with pytest.raises(http.client.HTTPException):
        arvo.call("GET", "/x")
