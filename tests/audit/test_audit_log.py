"""Every access to personal data leaves a record; the chain shows any later tampering."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from ehoks.audit.models import AuditChain, AuditEvent
from ehoks.audit.service import Event, document_changes, record, verify
from tests.support.api import fresh_example, load_registry, make_caller, owner_of

PROVIDER_B = "1.2.246.562.10.81927839314"


@pytest.fixture
def traffic(http, session_factory):
    """Real provider-API traffic: a create, reads, a change, and a refused read."""
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, school)
    hoks_id = caller.post("/hoks", document).json()["meta"]["id"]
    caller.get(f"/hoks/{hoks_id}")
    assert (
        caller.patch(
            f"/hoks/{hoks_id}", {"id": hoks_id, "sahkoposti": "uusi@example.fi"}
        ).status_code
        == 204
    )
    other = make_caller(http, session_factory, PROVIDER_B)
    assert other.get(f"/hoks/{hoks_id}").status_code == 404
    return hoks_id, document, caller, other


def events(session_factory):
    with session_factory() as session:
        return session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


def test_reads_changes_and_refusals_are_recorded(traffic, session_factory):
    hoks_id, document, caller, other = traffic
    recorded = [(e.operation, e.outcome, e.subject_id, e.hoks_id) for e in events(session_factory)]
    assert recorded == [
        ("hoks.create", "success", caller.client_id, hoks_id),
        ("hoks.read", "success", caller.client_id, hoks_id),
        ("hoks.patch", "success", caller.client_id, hoks_id),
        ("hoks.read", "denied", other.client_id, hoks_id),
    ]
    patch = events(session_factory)[2]
    assert patch.oppija_oid == document["oppija-oid"]
    assert patch.organisation_oid is not None
    assert patch.request_id
    assert patch.details["changes"] == [
        {"path": "/sahkoposti", "old": document["sahkoposti"], "new": "uusi@example.fi"}
    ]


def test_verify_passes_on_real_data(traffic, session_factory):
    with session_factory() as session:
        report = verify(session)
    assert report.ok, report.problems
    assert report.records == 4


def _break(session_factory, statement):
    with session_factory() as session:
        session.execute(statement)
        session.commit()
    with session_factory() as session:
        return verify(session)


def test_verify_detects_an_edited_record(traffic, session_factory):
    target = events(session_factory)[1]
    report = _break(
        session_factory,
        update(AuditEvent).where(AuditEvent.id == target.id).values(outcome="denied"),
    )
    assert not report.ok
    assert any("edited" in p for p in report.problems)


def test_verify_detects_a_removed_record(traffic, session_factory):
    with session_factory() as session:
        for number in range(3):
            record(session, Event("req", "operator", "test", f"op{number}", "success"), chain=5)
        session.commit()
        middle = session.scalars(
            select(AuditEvent.id).where(AuditEvent.chain == 5, AuditEvent.position == 2)
        ).one()
        assert verify(session).ok
    report = _break(session_factory, text(f"DELETE FROM audit_event WHERE id = {middle}"))
    assert any("chain 5 position 3" in p and "missing" in p for p in report.problems)


def test_verify_detects_removal_at_the_end_and_reordering(traffic, session_factory):
    with session_factory() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        chain = last.chain
    report = _break(session_factory, text(f"DELETE FROM audit_event WHERE id = {last.id}"))
    assert any(f"chain {chain}" in p for p in report.problems)

    with session_factory() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        a, b = rows[0], rows[1]
        # Swap the content of two records (keeping their places): the chain no longer follows.
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.id == a.id)
            .values(occurred_at=b.occurred_at, operation=b.operation)
        )
        session.commit()
        assert not verify(session).ok


def test_heads_missing_are_reported(traffic, session_factory):
    report = _break(session_factory, text("DELETE FROM audit_chain WHERE chain = 0"))
    assert any("chain 0" in p for p in report.problems)
    with session_factory() as session:
        assert session.get(AuditChain, 1) is not None


def test_document_changes():
    old = {"a": 1, "b": [1, 2], "module-id": "x", "c": {"d": "e"}}
    new = {"a": 2, "b": [1], "module-id": "y", "c": {"d": "e", "f": True}}
    assert document_changes(old, new) == [
        {"path": "/a", "old": 1, "new": 2},
        {"path": "/b/1", "old": 2},
        {"path": "/c/f", "new": True},
    ]
    assert document_changes({"x": 1}, {"x": 1.0}) == [{"path": "/x", "old": 1, "new": 1.0}]
