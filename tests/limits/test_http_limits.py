"""The HTTP server's own limits, against a real `ehoks serve`: oversized heads are refused, and a
client that sends its request too slowly (or not at all) is disconnected."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from ehoks.cli.http_limits import MAX_HEAD_BYTES, MAX_HEADER_FIELDS, MAX_TARGET_BYTES
from tests.support.process import ServedProcess, clean_environment

# Short, so that the tests need not wait long; the defaults are 10 s and 30 s.
TIMEOUTS = {"EHOKS_HTTP_HEAD_TIMEOUT_SECONDS": "1", "EHOKS_HTTP_BODY_IDLE_SECONDS": "1"}
# How long a test waits for the server to act: far more than the timeouts above.
PATIENCE_S = 30


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedProcess]:
    """A server of its own: no request here reaches the database, so an empty one will do."""
    folder = tmp_path_factory.mktemp("http")
    env = clean_environment(EHOKS_DATABASE_URL=f"sqlite:///{folder / 'ehoks.db'}", **TIMEOUTS)
    with ServedProcess(env, folder / "serve.log") as process:
        yield process


def connect(server: ServedProcess) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=PATIENCE_S)


def read_all(conn: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := conn.recv(65536):
        received += chunk
    return received


def test_too_many_header_fields_are_refused(server):
    headers = {f"x-field-{n}": "1" for n in range(MAX_HEADER_FIELDS + 1)}
    response = httpx.get(f"{server.base_url}/healthz", headers=headers, timeout=PATIENCE_S)
    assert response.status_code == 431
    allowed = {f"x-field-{n}": "1" for n in range(MAX_HEADER_FIELDS - 10)}
    assert httpx.get(f"{server.base_url}/healthz", headers=allowed).status_code == 200


def test_an_oversized_head_or_target_is_refused(server):
    big = {"x-big": "a" * (MAX_HEAD_BYTES + 1)}
    assert httpx.get(f"{server.base_url}/healthz", headers=big).status_code == 431
    long_target = f"{server.base_url}/healthz?q={'a' * MAX_TARGET_BYTES}"
    assert httpx.get(long_target).status_code == 414


def test_a_head_that_never_ends_is_cut_off(server):
    with connect(server) as conn:
        conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        answer = read_all(conn)
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_connection_that_sends_nothing_is_closed(server):
    with connect(server) as conn:
        assert read_all(conn).startswith(b"HTTP/1.1 408 ")


def test_a_body_that_stops_arriving_is_cut_off(server):
    with connect(server) as conn:
        conn.sendall(
            b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
            b"grant_type="
        )
        answer = read_all(conn)
    assert answer.startswith(b"HTTP/1.1 408 ")
    # The server still answers everyone else.
    assert httpx.get(f"{server.base_url}/healthz", timeout=PATIENCE_S).status_code == 200
