"""Hostile bodies against a real server process: small answers, and memory that stays put.

The findings these reproduce: a 2 MB body of nulls to /validointi answered 95 MB, a 49 MB batch
of documents with unknown keys answered 1.1 GB and took the server to 6.2 GB, and a 50 MB batch
of `{}`s took 1.6 GB before its item limit was checked.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.hoks.test_error_bounds import nulls_body
from tests.limits.conftest import API, Served

ONE_MB = 1_000_000
MEMORY_MARGIN = 200 * 1_000_000
log = logging.getLogger(__name__)


def post(served: Served, path: str, body: bytes, access: str) -> httpx.Response:
    headers = {**served.token(access), "Content-Type": "application/json"}
    url = f"{served.server.base_url}{API}{path}"
    return httpx.post(url, content=body, headers=headers, timeout=300)


def measured(served: Served, path: str, body: bytes, access: str) -> tuple[httpx.Response, int]:
    """The answer to `body`, and the most the server's memory grew while it answered."""
    server = served.server
    post(served, path, b"[]" if path.endswith("bulk") else b"{}", access)  # every module loaded
    started = server.rss_bytes()
    server.reset_peak_rss()
    response = post(served, path, body, access)
    grown = max(server.peak_rss_bytes(), server.rss_bytes()) - started
    log.info("%s: %d B in, %d B out, memory +%d B", path, len(body), len(response.content), grown)
    return response, grown


def test_two_megabytes_of_nulls_to_validointi(served):
    response, grown = measured(served, "/validointi", nulls_body(1_990_000), "read")
    assert response.status_code == 400
    assert len(response.content) < ONE_MB
    assert response.json()["truncated"] is True
    assert grown < MEMORY_MARGIN


def test_a_49_megabyte_batch_of_documents_with_unknown_keys(served):
    document = b"{" + b",".join(b'"tuntematon-%05d": 0' % n for n in range(2220)) + b"}"
    body = b"[" + b",".join([document] * 1000) + b"]"
    assert 48_000_000 < len(body) < 50_000_000
    response, grown = measured(served, "/hoks/bulk", body, "write")
    assert response.status_code == 200
    assert len(response.content) < ONE_MB
    assert response.json()["meta"] == {"created": 0, "refused": 1000}
    assert grown < MEMORY_MARGIN


def test_a_50_megabyte_batch_of_empty_documents_is_refused_while_it_is_read(served):
    body = b"[" + b",".join([b"{}"] * 16_600_000) + b"]"
    assert 49_000_000 < len(body) < 50_000_000
    response, grown = measured(served, "/hoks/bulk", body, "write")
    assert response.status_code == 413
    assert response.json()["code"] == "batch_too_large"
    assert grown < MEMORY_MARGIN


def test_many_wrong_secrets_at_once_hold_little_memory(served):
    """120 wrong secrets at once took 600 MB (a 16 MB scrypt each, all at the same time)."""
    server = served.server
    url = f"{server.base_url}/oauth2/token"

    def attempt(number: int) -> int:
        # Each from its own address and client id: the throttle lets every one through.
        return httpx.post(
            url,
            data={"grant_type": "client_credentials"},
            auth=(f"ehoks-guess-{number}", "wrong"),
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
            timeout=120,
        ).status_code

    attempt(0)
    started = server.rss_bytes()
    server.reset_peak_rss()
    with ThreadPoolExecutor(max_workers=120) as pool:
        statuses = list(pool.map(attempt, range(1, 121)))
    grown = max(server.peak_rss_bytes(), server.rss_bytes()) - started
    counts = {status: statuses.count(status) for status in set(statuses)}
    log.info("120 wrong secrets at once: %s, memory +%d B", counts, grown)
    # Refused, or asked to come back when too many wait: never anything else.
    assert set(statuses) <= {401, 503}
    assert 401 in statuses
    assert grown < MEMORY_MARGIN
