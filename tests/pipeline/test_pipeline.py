"""The request pipeline: one transaction per request, the session resolved inside it, and every
outcome audited once.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, select

from ehoks.audit.models import AuditEvent
from tests.people.conftest import A_SCHOOL, MAIJA


@contextmanager
def transactions(engine):
    """Counts the transactions the server begins meanwhile."""
    begun: list[object] = []

    def count(connection):
        begun.append(connection)

    event.listen(engine, "begin", count)
    try:
        yield begun
    finally:
        event.remove(engine, "begin", count)


def audit_events(session_factory, operation):
    with session_factory() as session:
        return session.execute(
            select(AuditEvent.outcome, AuditEvent.organisation_oid, AuditEvent.role).where(
                AuditEvent.operation == operation
            )
        ).all()


def test_a_cookie_request_is_one_transaction(hoks, staff, live_server, session_factory):
    reader = staff((A_SCHOOL, "read"))
    engine = live_server.app.state.engine
    with transactions(engine) as begun:
        response = reader.get(f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}")
    assert response.status_code == 200, response.text
    # The session, the grants, the HOKS and the audit record: all in the request's one.
    assert len(begun) == 1
    assert audit_events(session_factory, "read-hoks") == [("success", A_SCHOOL, "read")]


def test_a_refusal_rolls_back_and_is_recorded_apart(hoks, staff, live_server, session_factory):
    reader = staff((A_SCHOOL, "read"))
    engine = live_server.app.state.engine
    with transactions(engine) as begun:
        response = reader.send(
            "PATCH", f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}", {"sahkoposti": "x@example.fi"}
        )
    assert response.status_code == 403, response.text
    assert len(begun) == 2  # the request's (rolled back), then the refusal's own record
    assert audit_events(session_factory, "patch-hoks") == [("denied", A_SCHOOL, "write")]


def test_no_session_cookie_is_refused_before_any_work(hoks, http, live_server, session_factory):
    engine = live_server.app.state.engine
    with transactions(engine) as begun:
        response = http.get(f"/ehoks-virkailija-backend/api/v1/virkailija/oppijat/{MAIJA}")
    assert response.status_code == 401
    assert begun == []


def test_a_wrong_csrf_token_changes_nothing_and_names_nobody(hoks, staff, session_factory):
    writer = staff((A_SCHOOL, "write"))
    path = f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}"
    response = writer.send(
        "PATCH", path, {"sahkoposti": "x@example.fi"}, headers={"X-CSRF-Token": "not-it"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert audit_events(session_factory, "patch-hoks") == []
    assert writer.get(path).json()["data"]["sahkoposti"] != "x@example.fi"
