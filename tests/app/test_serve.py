"""`ehoks serve` as an operator starts it: a real process answering real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

STARTUP_S = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_server_names_no_product_and_sends_the_security_headers(tmp_path):
    port = _free_port()
    env = {**os.environ, "EHOKS_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}"}
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "ehoks", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        response = None
        deadline = time.monotonic() + STARTUP_S
        while response is None and time.monotonic() < deadline and server.poll() is None:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/tyopaikkaohjaaja", timeout=5)
            except httpx.TransportError:
                time.sleep(0.2)
        assert response is not None, log.read_text(encoding="utf-8", errors="replace")
        assert response.status_code == 200
        assert "server" not in response.headers  # no product name or version for scanners
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    finally:
        server.terminate()
        server.wait(timeout=15)
