"""Reads' audit records written together: none is lost at shutdown, the chains still verify, and
a read is refused rather than answered unrecorded when records cannot be written."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from ehoks.audit.models import AuditEvent
from ehoks.audit.recorder import ReadRecorder
from ehoks.audit.service import Event, chain_of, verify
from ehoks.kit.db import migrate
from ehoks.kit.db.engine import build_engine, build_sessionmaker
from tests.support.api import fresh_example, load_registry, make_caller, owner_of

# Long enough that nothing is written until the test says so.
NEVER = 3600.0


@pytest.fixture
def reader(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, school)
    hoks_id = caller.post("/hoks", document).json()["meta"]["id"]
    return caller, hoks_id, document


@pytest.fixture
def recorder_of(live_server):
    """Installs a recorder on the running service (as `read_audit_interval_ms` > 0 does)."""
    state = live_server.app.state
    before = state.read_recorder
    installed: list[ReadRecorder] = []

    def install(interval: float = NEVER, **kwargs) -> ReadRecorder:
        recorder = ReadRecorder(state.sessionmaker, interval, **kwargs)
        state.read_recorder = recorder
        installed.append(recorder)
        return recorder

    yield install
    state.read_recorder = before
    for recorder in installed:
        recorder.close()


def reads(session_factory):
    with session_factory() as session:
        return session.scalars(
            select(AuditEvent).where(AuditEvent.operation == "hoks.read").order_by(AuditEvent.id)
        ).all()


def test_reads_are_recorded_when_the_batch_is_written(reader, recorder_of, session_factory):
    caller, hoks_id, document = reader
    recorder = recorder_of()
    study_right = document["opiskeluoikeus-oid"]
    for path in (f"/hoks/{hoks_id}", f"/hoks/opiskeluoikeus/{study_right}", f"/hoks/{hoks_id}"):
        assert caller.get(path).status_code == 200
    assert reads(session_factory) == []
    assert recorder.pending == 3

    recorder.close()  # what a stopping server does

    recorded = reads(session_factory)
    assert [(e.outcome, e.subject_id, e.hoks_id) for e in recorded] == [
        ("success", caller.client_id, hoks_id)
    ] * 3
    assert recorded[1].details == {"study_right": study_right}
    # On the student's own chain, after the create, in the order of the reads.
    student_chain = chain_of(Event("", "", "", "", "", oppija_oid=document["oppija-oid"]))
    assert [(e.chain, e.position) for e in recorded] == [(student_chain, n) for n in (2, 3, 4)]
    assert [e.occurred_at for e in recorded] == sorted(e.occurred_at for e in recorded)
    with session_factory() as session:
        report = verify(session)
    assert report.ok, report.problems
    assert recorder.pending == 0


def test_the_flusher_writes_without_being_asked(reader, recorder_of, session_factory):
    caller, hoks_id, _ = reader
    recorder = recorder_of(0.01)
    assert caller.get(f"/hoks/{hoks_id}").status_code == 200
    for _ in range(3000):
        if reads(session_factory):
            break
        time.sleep(0.01)
    assert len(reads(session_factory)) == 1
    assert recorder.written == 1


def test_a_read_is_refused_when_too_many_records_wait(reader, recorder_of, session_factory):
    caller, hoks_id, _ = reader
    recorder = recorder_of(max_pending=1)
    assert caller.get(f"/hoks/{hoks_id}").status_code == 200
    refused = caller.get(f"/hoks/{hoks_id}")
    assert refused.status_code == 503
    assert refused.json()["code"] == "database_unavailable"
    recorder.close()
    assert len(reads(session_factory)) == 1


def test_records_that_cannot_be_written_are_kept(tmp_path):
    gone = build_engine(f"sqlite:///{tmp_path}/missing-dir/ehoks.db")
    recorder = ReadRecorder(build_sessionmaker(gone), NEVER)
    recorder.add(Event("r1", "system_client", "c1", "hoks.read", "success", oppija_oid="x"))
    with pytest.raises(Exception):  # noqa: B017, PT011 - whatever the driver says
        recorder.flush()
    assert recorder.pending == 1
    assert recorder.failures == 1
    # The database comes back: what was kept is written when the recorder closes (and nothing
    # is left for the process's exit to fail on).
    (tmp_path / "missing-dir").mkdir()
    migrate.upgrade(gone)
    recorder.close()
    assert (recorder.pending, recorder.written) == (0, 1)
    with build_sessionmaker(gone)() as session:
        assert session.scalars(select(AuditEvent.operation)).all() == ["hoks.read"]
    gone.dispose()


def test_an_unused_recorder_starts_no_thread(session_factory: sessionmaker) -> None:
    recorder = ReadRecorder(session_factory, NEVER)
    recorder.close()
    assert recorder.flush() == 0


def test_a_refused_read_is_recorded_at_once(reader, recorder_of, http, session_factory):
    """A refusal's record is written before the answer, not queued with the reads'."""
    _, hoks_id, _ = reader
    recorder = recorder_of()
    other = make_caller(http, session_factory, "1.2.246.562.10.81927839314", access="read")
    assert other.get(f"/hoks/{hoks_id}").status_code == 404
    assert recorder.pending == 0
    assert [(e.outcome, e.subject_id) for e in reads(session_factory)] == [
        ("denied", other.client_id)
    ]
