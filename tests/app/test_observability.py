"""Operators see the service: one JSON line per request without personal data, and Prometheus
metrics of every worker on a port of their own."""

from __future__ import annotations

import logging
import re
import time

import httpx
import orjson
import pytest

from ehoks.kit.observe import REQUEST_LOGGER
from tests.support.process import ServedProcess, clean_environment, free_port

HETU = "010101A123N"
STUDY_RIGHT = "1.2.246.562.15.76811932045"
HOKS_BY_STUDY_RIGHT = "/ehoks-virkailija-backend/api/v1/hoks/opiskeluoikeus/{opiskeluoikeus_oid}"


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def request_lines(live_server, settings):
    lines = Lines()
    logger = logging.getLogger(REQUEST_LOGGER)
    logger.addHandler(lines)
    logger.setLevel(logging.INFO)
    before = live_server.app.state.settings
    live_server.app.state.settings = before.model_copy(update={"request_log": True})
    yield lines.lines
    live_server.app.state.settings = before
    logger.removeHandler(lines)


def written(lines: list[str], count: int) -> list[str]:
    """The lines once `count` are there: a request's line is written after its answer has gone
    out, so the last one can arrive a moment after the client has read the answer."""
    deadline = time.monotonic() + 30
    while len(lines) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return list(lines)


def test_one_line_per_request_names_the_route_never_the_path(http, request_lines):
    answers = [
        http.get(f"/ehoks-virkailija-backend/api/v1/hoks/opiskeluoikeus/{STUDY_RIGHT}"),
        http.get(f"/oppija/{HETU}", params={"hetu": HETU}),
        http.get("/healthz", headers={"X-Request-Id": "probe-1"}),
    ]
    logged = [orjson.loads(line) for line in written(request_lines, len(answers))]
    assert [(e["method"], e["route"], e["status"]) for e in logged] == [
        ("GET", HOKS_BY_STUDY_RIGHT, 401),
        ("GET", "unmatched", 404),
        ("GET", "/healthz", 200),
    ]
    assert [e["request_id"] for e in logged] == [a.headers["X-Request-Id"] for a in answers]
    assert logged[2]["request_id"] == "probe-1"
    assert all(e["event"] == "request" and e["duration_ms"] >= 0 and e["at"] for e in logged)
    text = "\n".join(request_lines)
    assert STUDY_RIGHT not in text
    assert HETU not in text


def sample(metrics: str, name: str, **labels: str) -> float:
    """The value of one sample of the Prometheus text, 0 when it is absent."""
    for line in metrics.splitlines():
        match = re.fullmatch(rf"{name}\{{(.*)\}} (\S+)", line) or re.fullmatch(
            rf"{name} (\S+)", line
        )
        if match is None:
            continue
        if len(match.groups()) == 1:
            return float(match.group(1)) if not labels else 0.0
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1)))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match.group(2))
    return 0.0


def test_metrics_of_every_worker_on_their_own_port(tmp_path):
    env = clean_environment(EHOKS_DATABASE_URL=f"sqlite:///{tmp_path / 'metrics.db'}")
    metrics_port = free_port()
    args = ("--workers", "2", "--metrics-port", str(metrics_port))
    with ServedProcess(env, tmp_path / "serve.log", *args) as server:
        # New connections, so that both workers answer some.
        for _ in range(20):
            assert httpx.get(f"{server.base_url}/healthz", timeout=60).status_code == 200
        assert httpx.get(f"{server.base_url}/oppija/{HETU}", timeout=60).status_code == 404
        # The service's own port has no metrics.
        assert httpx.get(f"{server.base_url}/metrics", timeout=60).status_code == 404
        metrics = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=60).text
    # ServedProcess's own wait for /healthz counts too: at least the 20 of the test.
    healthz = sample(
        metrics, "ehoks_http_requests_total", route="/healthz", method="GET", status="200"
    )
    assert healthz >= 20
    # The mistyped address and the service port's /metrics.
    assert sample(metrics, "ehoks_http_requests_total", route="unmatched", status="404") == 2
    assert sample(metrics, "ehoks_http_request_duration_seconds_count", route="/healthz") == healthz
    assert "ehoks_db_pool_connections_in_use" in metrics
    assert sample(metrics, "ehoks_feedback_jobs_due") == 0
    assert HETU not in metrics
