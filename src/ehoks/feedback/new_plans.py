"""Deciding the feedback of a batch of new plans with a few statements for the whole batch.

A nightly synchronisation creates hundreds of plans in one transaction (`POST …/hoks/bulk`).
Deciding each survey on its own (`ehoks.feedback.initiation.decide`) costs a locking read and an
insert per survey; here the same decisions are made for every new plan, then stored with one
locking read of the keys, one insert of the surveys, one of their events and one of their jobs.
A survey whose key is already taken (by an earlier plan of the same student, by another plan of
the batch, or by a writer a moment ago) is decided one at a time exactly as before, so the
outcome is the one the plans would get one after another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from ehoks.feedback import initiation, repository
from ehoks.feedback.rules import State
from ehoks.hoks.hooks import HoksWritten, Operation


def on_hoks_written(session: Session, writes: Sequence[HoksWritten]) -> None:
    """Decide the feedback of every plan written (listens to "HOKS written")."""
    created = [w for w in writes if w.operation is Operation.CREATE and w.document is not None]
    if len(created) > 1:
        decide_new(session, created)
        writes = [w for w in writes if not (w.operation is Operation.CREATE and w.document)]
    for write in writes:
        initiation.decide(session, write)


def decide_new(session: Session, writes: Sequence[HoksWritten]) -> None:
    """The decisions of new plans (nothing of theirs is stored yet, so nothing can vanish)."""
    planned: list[tuple[initiation.Context, initiation.Decision]] = []
    for write in writes:
        context = initiation.context_of(session, write)
        if context is not None:
            planned += [(context, d) for d in initiation.decisions_of(write, context)]
    taken = repository.by_keys(session, [d.key for _, d in planned], lock=True)
    fresh: dict[str, tuple[initiation.Context, initiation.Decision]] = {}
    one_by_one: list[tuple[initiation.Context, initiation.Decision]] = []
    for context, decision in planned:
        if decision.key in taken or decision.key in fresh:
            one_by_one.append((context, decision))
        else:
            fresh[decision.key] = (context, decision)
    ids = repository.insert_many_new(
        session, [initiation.new_values(c, d) for c, d in fresh.values()]
    )
    events: list[dict[str, Any]] = []
    jobs: list[dict[str, Any]] = []
    for key, (context, decision) in fresh.items():
        feedback_id = ids.get(key)
        if feedback_id is None:
            # Another writer stored this key a moment ago: decided against its row.
            one_by_one.append((context, decision))
            continue
        events.append(initiation.creation_event(feedback_id, context, decision))
        if decision.state is State.PENDING:
            jobs.append(initiation.handle_job(feedback_id, decision.herate))
    repository.add_events(session, events)
    repository.schedule_new_jobs(session, jobs)
    for context, decision in one_by_one:
        initiation.apply(session, context, decision)
