"""Every access to personal data leaves a record; the chain shows any later tampering."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select, text, update

from ehoks.audit.models import CHAIN_COUNT, GENESIS_HASH, AuditChain, AuditEvent
from ehoks.audit.records import ChainedRecord
from ehoks.audit.scope import Actor, AuditScope
from ehoks.audit.service import Event, chain_of, document_changes, record, record_hash, verify
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


def on_chain(report, number):
    """The problems `verify` reports for one chain ("chain 1" must not match chain 10)."""
    return [p for p in report.problems if p.startswith((f"chain {number} ", f"chain {number}:"))]


def test_verify_passes_on_real_data(traffic, session_factory):
    document = traffic[1]
    recorded = events(session_factory)
    # Every record about the student is on the student's own chain, in the order written.
    student_chain = chain_of(Event("", "", "", "", "", oppija_oid=document["oppija-oid"]))
    assert [(e.chain, e.position) for e in recorded] == [(student_chain, n) for n in (1, 2, 3, 4)]
    assert recorded[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in recorded[1:]] == [e.hash for e in recorded[:-1]]
    with session_factory() as session:
        report = verify(session)
        heads = {c.chain: (c.length, c.head_hash) for c in session.scalars(select(AuditChain))}
    assert report.ok, report.problems
    assert report.records == 4
    assert heads[student_chain] == (4, recorded[-1].hash)
    assert all(heads[n] == (0, GENESIS_HASH) for n in range(CHAIN_COUNT) if n != student_chain)


def test_the_chain_is_chosen_by_student_else_by_actor():
    def event(subject_id, oppija_oid=None):
        return Event("r", "client", subject_id, "op", "success", oppija_oid=oppija_oid)

    student = "1.2.246.562.24.30124551081"
    assert chain_of(event("a", student)) == chain_of(event("b", student))
    assert chain_of(event("a")) == chain_of(event("a"))
    chains = {chain_of(event(f"client-{n}")) for n in range(200)}
    assert chains == set(range(CHAIN_COUNT))  # spread over every chain


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


def _chain_of_three(session_factory, number=5):
    with session_factory() as session:
        for op in range(3):
            record(session, Event("req", "operator", "test", f"op{op}", "success"), chain=number)
        session.commit()
        assert verify(session).ok


@pytest.mark.parametrize("position", [1, 2, 3])
def test_verify_detects_an_edit_whose_own_hash_was_recomputed(session_factory, position):
    """A careful tamperer edits a record and recomputes its own hash: then only the link to it
    (from the next record, or from the chain's head for the last one) shows the edit."""
    _chain_of_three(session_factory)
    with session_factory() as session:
        row = session.scalars(
            select(AuditEvent).where(AuditEvent.chain == 5, AuditEvent.position == position)
        ).one()
        row.outcome = "denied"
        row.hash = record_hash(row)
        session.commit()
        report = verify(session)
    problems = on_chain(report, 5)
    assert problems == report.problems
    if position < 3:
        assert len(problems) == 1
        assert problems[0].startswith(f"chain 5 position {position + 1} (id ")
        assert problems[0].endswith("): does not follow the previous record")
    else:
        assert len(problems) == 1
        assert problems[0].startswith("chain 5: head says 3 records ending")


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
    assert any("chain 5 position 3" in p and "missing" in p for p in on_chain(report, 5))


def test_verify_detects_removal_at_the_end_and_reordering(traffic, session_factory):
    with session_factory() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        chain = last.chain
    report = _break(session_factory, text(f"DELETE FROM audit_event WHERE id = {last.id}"))
    assert on_chain(report, chain) == report.problems
    assert len(report.problems) == 1
    assert "records removed?" in report.problems[0]

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


def test_a_missing_head_does_not_stop_the_other_chains_being_checked(session_factory):
    _chain_of_three(session_factory, number=9)
    with session_factory() as session:
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.chain == 9, AuditEvent.position == 2)
            .values(outcome="denied")
        )
        session.execute(text("DELETE FROM audit_chain WHERE chain = 1"))
        session.commit()
        report = verify(session)
    assert on_chain(report, 1) == ["chain 1: its head row is missing"]
    assert len(on_chain(report, 9)) == 1
    assert "edited" in on_chain(report, 9)[0]


def test_heads_missing_are_reported(traffic, session_factory):
    report = _break(session_factory, text("DELETE FROM audit_chain WHERE chain = 1"))
    assert report.problems == ["chain 1: its head row is missing"]
    with session_factory() as session:
        assert session.get(AuditChain, 0) is not None


def test_document_changes():
    old = {"a": 1, "b": [1, 2], "module-id": "x", "c": {"d": "e"}}
    new = {"a": 2, "b": [1], "module-id": "y", "c": {"d": "e", "f": True}}
    assert document_changes(old, new) == [
        {"path": "/a", "old": 1, "new": 2},
        {"path": "/b/1", "old": 2},
        {"path": "/c/f", "new": True},
    ]
    assert document_changes({"x": 1}, {"x": 1.0}) == [{"path": "/x", "old": 1, "new": 1.0}]


@pytest.mark.parametrize("read_only", [True, False])
def test_a_reads_record_lets_its_commit_skip_the_disk_wait_and_a_changes_record_does_not(
    session_factory, backend, read_only
):
    """A read's transaction writes nothing but its record, so on PostgreSQL its commit does not
    wait for the WAL flush (docs/operations.md, "Audit log"); a change's commit still does, and
    the setting ends with the transaction."""
    scope = AuditScope(Actor("staff", "1.2.246.562.24.00000000001", None, None), "op", "r")
    with session_factory() as session:
        scope.succeeded(session, read_only=read_only)
        if backend == "postgresql":
            during = session.execute(text("SHOW synchronous_commit")).scalar_one()
            assert during == ("off" if read_only else "on")
        session.commit()
        if backend == "postgresql":
            assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
    with session_factory() as session:
        assert verify(session).ok
        assert [e.operation for e in session.scalars(select(AuditEvent))] == ["op"]


def test_a_chained_record_has_every_column_of_the_table_but_its_id():
    columns = [c.name for c in AuditEvent.__table__.columns if c.name != "id"]
    assert [f.name for f in dataclasses.fields(ChainedRecord)] == columns
