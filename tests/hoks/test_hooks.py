"""The "HOKS written" hook: listeners decide their work in the writing transaction and can
refuse the write, as a feedback-survey module writing an outbox of jobs will."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import func, select

from ehoks.audit import service as audit
from ehoks.audit.models import AuditEvent
from ehoks.hoks.hooks import HOKS_WRITTEN, Operation
from ehoks.hoks.models import Hoks
from ehoks.instructor.models import WorkplacePeriod
from ehoks.kit.errors import ApiError
from ehoks.kit.hooks import Hook, HookNotConnectedError
from tests.support.api import fresh_example, load_registry, make_caller

PROVIDER_A = "1.2.246.562.10.53642770753"


@contextlib.contextmanager
def listening(listener):
    HOKS_WRITTEN.listen(listener)
    try:
        yield
    finally:
        HOKS_WRITTEN.forget(listener)


@pytest.fixture
def provider_a(http, session_factory):
    load_registry(session_factory)
    return make_caller(http, session_factory, PROVIDER_A)


def _count(session_factory, model):
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_listener_writes_in_the_same_transaction_and_hears_every_write(
    provider_a, session_factory
):
    heard = []

    def outbox(session, writes):
        for write in writes:
            heard.append((write.operation, write.hoks_id, write.previous is None))
            # Stands in for an outbox row: written in the writer's own transaction.
            audit.record(
                session,
                audit.Event("outbox", "job", "feedback", f"job.{write.operation}", "queued"),
            )

    with listening(outbox):
        created = provider_a.post("/hoks", fresh_example("hoks-full.json"))
        hoks_id = created.json()["meta"]["id"]
        patched = provider_a.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "sahkoposti": "a@b.fi"})
    assert created.status_code == 200
    assert patched.status_code == 204
    assert heard == [(Operation.CREATE, hoks_id, True), (Operation.PATCH, hoks_id, False)]
    with session_factory() as session:
        queued = session.scalars(
            select(AuditEvent.operation).where(AuditEvent.outcome == "queued")
        ).all()
    assert sorted(queued) == ["job.create", "job.patch"]


def test_a_listener_that_refuses_rolls_the_whole_write_back(provider_a, session_factory):
    def outbox(session, writes):
        audit.record(session, audit.Event("outbox", "job", "feedback", "job", "queued"))

    def refuse(session, writes):
        raise ApiError(400, "validation_failed", params={"count": 0})

    with listening(outbox), listening(refuse):
        refused = provider_a.post("/hoks", fresh_example("hoks-full.json"))
    assert refused.status_code == 400
    assert _count(session_factory, Hoks) == 0
    assert _count(session_factory, WorkplacePeriod) == 0
    with session_factory() as session:
        queued = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.outcome == "queued")
        )
    assert queued == 0
    # Without the refusing listener the same document is stored, periods and all.
    assert provider_a.post("/hoks", fresh_example("hoks-full.json")).status_code == 200
    assert _count(session_factory, WorkplacePeriod) > 0


def test_a_hook_nobody_listens_to_refuses_to_fire():
    lonely: Hook[int] = Hook("lonely")
    with pytest.raises(HookNotConnectedError):
        lonely.notify(None, [1])
