"""Control characters are refused at the edge: every route, every place a request carries input.

A NUL in a path, query, form field or cookie used to reach PostgreSQL (a 500 on 14 routes, some
of them without an audit record, the raw parameters in the log). Now each is a 400 with the
stable code, an audit record of the refusal, and nothing of the input in the log.
"""

from __future__ import annotations

import logging
import re
import socket

import httpx
import pytest
from sqlalchemy import select

from ehoks.app import create_app
from ehoks.audit.models import AuditEvent
from ehoks.config import Settings
from tests.people.conftest import A_SCHOOL, MAIJA
from tests.support.api import API, make_caller
from tests.support.routes import all_routes

MARKER = "secret-marker-7731"  # sent next to every NUL; must not show in any log line
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _routes() -> list[tuple[str, str]]:
    app = create_app(Settings(database_url="sqlite://"))
    return sorted((m, r.path) for r in all_routes(app) for m in r.methods if m != "HEAD")


ROUTES = _routes()


def _path(template: str, poisoned: bool) -> str:
    """The route's path with each placeholder filled; with a NUL in the first one if asked."""
    filled = re.sub(r"\{[^}]+\}", "1", template)
    if not poisoned:
        return filled
    if "{" not in template:
        return filled + f"{MARKER}%00"
    return re.sub(r"\{[^}]+\}", f"{MARKER}%00", template, count=1).replace("{", "").replace("}", "")


def _refusals(method: str, template: str) -> dict[str, tuple[str, str, dict[str, object]]]:
    """Place -> (method, url, request options) of one refused request per place."""
    clean = _path(template, poisoned=False)
    cases: dict[str, tuple[str, str, dict[str, object]]] = {
        "/path": (method, _path(template, poisoned=True), {}),
        "/query/nimi": (method, f"{clean}?nimi={MARKER}%00", {}),
        "/cookie/ehoks_session": (
            method,
            clean,
            {"headers": {"Cookie": f'ehoks_session="{MARKER}\\000"'}},
        ),
    }
    if method in BODY_METHODS:
        cases["/form/sahkoposti"] = (
            method,
            clean,
            {
                "content": f"sahkoposti={MARKER}%00".encode(),
                "headers": {"Content-Type": "application/x-www-form-urlencoded"},
            },
        )
    return cases


def _audited(session_factory, response: httpx.Response) -> list[AuditEvent]:
    with session_factory() as session:
        rid = response.headers["X-Request-Id"]
        return list(session.scalars(select(AuditEvent).where(AuditEvent.request_id == rid)))


def test_every_route_refuses_control_characters_in_every_place(
    http, session_factory, caplog: pytest.LogCaptureFixture
):
    assert len(ROUTES) >= 30  # the enumeration sees the application
    caplog.set_level(logging.DEBUG)
    failures = []
    for method, template in ROUTES:
        for place, (verb, url, options) in _refusals(method, template).items():
            response = http.request(verb, url, **options)  # type: ignore[arg-type]
            body = response.json() if response.status_code == 400 else {}
            violations = [(v["code"], v["path"]) for v in body.get("violations", [])]
            if response.status_code != 400 or violations != [("control_character", place)]:
                failures.append(f"{verb} {template} {place}: {response.status_code} {body}")
                continue
            events = _audited(session_factory, response)
            if [(e.outcome, e.details.get("code"), e.details.get("where")) for e in events] != [
                ("failed", "control_character", place)
            ]:
                failures.append(f"{verb} {template} {place}: audit {events}")
    assert failures == []
    # The service's log lines (the test's own HTTP client logs the addresses it calls).
    served = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(r.getMessage() + str(r.exc_info or "") for r in served)
    assert MARKER not in logged


def test_a_control_character_in_a_form_field_is_refused_but_line_breaks_are_not(http):
    refused = http.post("/tyopaikkaohjaaja", data={"sahkoposti": "a\x01@example.fi"})
    assert refused.status_code == 400
    # A form's text may hold line breaks and tabs: the guard lets them through to the route.
    accepted = http.post("/tyopaikkaohjaaja", data={"sahkoposti": "a\r\n\t@example.fi"})
    assert "control_character" not in accepted.text


def test_a_browser_gets_the_refusal_as_a_page(http):
    response = http.get(
        f"/tyopaikkaohjaaja?x={MARKER}%00", headers={"Accept": "text/html", "Accept-Language": "fi"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "ohjausmerkki" in response.text.lower()


def test_nul_in_a_json_body_is_refused_with_its_place_and_audited(
    http, session_factory, registry, staff
):
    client = make_caller(http, session_factory, A_SCHOOL)
    for path in ("/hoks", "/validointi", "/hoks/1"):
        verb = "PUT" if path == "/hoks/1" else "POST"
        response = http.request(
            verb, API + path, json={"oppija-oid": f"{MARKER}\x00"}, headers=client.headers
        )
        assert response.status_code == 400, response.text
        assert response.json()["violations"][0]["path"] == "/oppija-oid"
        [event] = _audited(session_factory, response)
        assert (event.subject_id, event.outcome) == (client.client_id, "failed")
    writer = staff((A_SCHOOL, "write"))
    response = writer.send("POST", f"/oppijat/{MAIJA}/hoksit", {"x": [f"{MARKER}\x00"]})
    assert response.status_code == 400
    assert response.json()["violations"][0]["path"] == "/x/0"
    assert len(_audited(session_factory, response)) == 1
    link = http.post(
        "/ehoks-oppija-backend/api/v1/tyopaikkaohjaaja/kirjautumislinkki",
        json={"sahkoposti": f"{MARKER}\x00@example.fi"},
    )
    assert link.status_code == 400
    [event] = _audited(session_factory, link)
    assert (event.operation, event.subject_kind) == ("instructor.link-request", "unidentified")


def test_a_raw_control_character_in_a_header_is_refused_by_the_http_server(live_server):
    """Never reaches the application (so no audit record is possible): the server's HTTP parser
    answers 400 itself. Cookies, which are unquoted later, are covered above."""
    host, port = live_server.base_url.removeprefix("http://").split(":")
    for raw in (b"X-Extra: a\x00b", b"Caller-Id: a\x01b"):
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + raw + b"\r\n\r\n")
            status_line = connection.recv(4096).split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1.1 400"), (raw, status_line)
