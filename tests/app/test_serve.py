"""`ehoks serve` as an operator starts it: a real process answering real HTTP."""

from __future__ import annotations

import httpx

from tests.support.process import ServedProcess, clean_environment


def test_the_server_names_no_product_and_sends_the_security_headers(tmp_path):
    env = clean_environment(EHOKS_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}")
    with ServedProcess(env, tmp_path / "serve.log") as server:
        response = httpx.get(f"{server.base_url}/tyopaikkaohjaaja", timeout=60)
    assert response.status_code == 200
    assert "server" not in response.headers  # no product name or version for scanners
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
