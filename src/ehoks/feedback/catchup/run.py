"""The catch-up run: decide the feedback of plans stored before feedback existed.

Plans are read in id order, a batch at a time, and each batch is decided with the rules a plan
write uses (`initiation.student_decisions`, `workplace_decisions`) and written in one short
transaction with its progress, so a run that stops goes on from the last batch written.

A survey whose key exists already is left alone, whoever made it: a plan written since feedback
existed was decided then, and a key another plan of the student holds is theirs (one survey per
student, provider and funding period). That makes a run idempotent: running it again, or over
plans written since, adds nothing. A batch costs a handful of statements, not a few per plan.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final
from uuid import uuid4

import orjson
from sqlalchemy.orm import Session, sessionmaker

from ehoks.feedback.catchup import repository
from ehoks.feedback.initiation import (
    HANDLE_JOB,
    SAVE_EVENT,
    Decision,
    helsinki_date,
    start_of_day,
    student_decisions,
    workplace_decisions,
)
from ehoks.feedback.rules import State, StudyRightFacts, funding_period
from ehoks.kit.db.engine import transaction
from ehoks.registry.models import StudyRight

log = logging.getLogger("ehoks.feedback.catchup")
RUN_NAME: Final = "catch-up"
BATCH: Final = 1000
EVENT_OPERATION: Final = "catch-up"


@dataclass(frozen=True, slots=True)
class Progress:
    plans: int  # plans decided by this call
    surveys: int  # surveys recorded by this call
    last_hoks_id: int
    finished: bool


def catch_up(
    factory: sessionmaker[Session],
    now: datetime,
    *,
    batch: int = BATCH,
    restart: bool = False,
    max_batches: int | None = None,
    report: Callable[[Progress], None] | None = None,
) -> Progress:
    """Decide every live plan after the saved cursor; `restart` begins again from the first
    plan (harmless: what exists is kept). `max_batches` stops early, as a stopped run would."""
    today = helsinki_date(now)
    plans = surveys = batches = 0
    last = _cursor(factory, now, restart=restart)
    while max_batches is None or batches < max_batches:
        with transaction(factory) as session:
            state = repository.progress(session, RUN_NAME)
            assert state is not None  # _cursor made it  # noqa: S101
            rows = repository.plans_after(session, state.last_hoks_id, batch)
            if not rows:
                state.finished_at = now
                return Progress(plans, surveys, state.last_hoks_id, finished=True)
            recorded = _decide_batch(session, rows, today, now)
            state.last_hoks_id = rows[-1].id
            state.plans += len(rows)
            state.surveys += recorded
            state.updated_at = now
            last = state.last_hoks_id
        plans += len(rows)
        surveys += recorded
        batches += 1
        if report is not None:
            report(Progress(plans, surveys, last, finished=False))
    return Progress(plans, surveys, last, finished=False)


def _cursor(factory: sessionmaker[Session], now: datetime, *, restart: bool) -> int:
    with transaction(factory) as session:
        state = repository.progress(session, RUN_NAME)
        if state is None:
            state = repository.begin(session, RUN_NAME, now)
        if restart or state.finished_at is not None:
            # A finished run begins again from the first plan when asked to run again: new
            # plans were decided on their writes, and old ones add nothing twice.
            state.last_hoks_id, state.plans, state.surveys = 0, 0, 0
            state.started_at, state.finished_at = now, None
        return state.last_hoks_id


def _decide_batch(session: Session, rows: Any, today: date, now: datetime) -> int:
    rights = repository.study_rights(session, [row.opiskeluoikeus_oid for row in rows])
    new: dict[str, dict[str, Any]] = {}
    for row in rows:
        for decision, values in _decisions(row, rights.get(row.opiskeluoikeus_oid), today, now):
            # The first plan (by id) asking for a key has it, as sequential writes would give.
            new.setdefault(decision.key, values | {"_decision": decision})
    decisions = {key: values.pop("_decision") for key, values in new.items()}
    inserted = repository.insert_feedback(session, list(new.values()))
    events, jobs = [], []
    for feedback_id, key in inserted:
        decision = decisions[key]
        events.append(
            {
                "feedback_id": feedback_id,
                "at": now,
                "event": SAVE_EVENT,
                "old_state": None,
                "new_state": decision.state.value,
                "reason": decision.reason,
                "details": {"operation": EVENT_OPERATION},
            }
        )
        if decision.state is State.PENDING:
            jobs.append(
                {
                    "key": f"{HANDLE_JOB}|{feedback_id}",
                    "kind": HANDLE_JOB,
                    "feedback_id": feedback_id,
                    "payload": {},
                    "state": "pending",
                    "due_at": start_of_day(decision.herate),
                    "attempts": 0,
                    "created_at": now,
                }
            )
    repository.insert_events(session, events)
    repository.insert_jobs(session, jobs)
    return len(inserted)


def _decisions(
    row: Any, right: StudyRight | None, today: date, now: datetime
) -> Iterator[tuple[Decision, dict[str, Any]]]:
    koulutustoimija = (right.koulutustoimija_oid if right else None) or row.koulutustoimija_oid
    if not koulutustoimija:
        return  # no provider to key a survey on (as a write decides)
    try:
        document = orjson.loads(row.document)
    except orjson.JSONDecodeError:
        log.warning("catch-up: HOKS %s has a document that is not JSON; skipped", row.id)
        return
    facts = (
        StudyRightFacts(right.tyyppi, list(right.suoritus_tyypit), right.contained_in_oid, {})
        if right is not None
        else None
    )
    found = [
        *student_decisions(document, row.oppija_oid, koulutustoimija, facts, today),
        *workplace_decisions(row.id, document, today),
    ]
    for decision in found:
        yield (
            decision,
            {
                "key": decision.key,
                "kind": decision.kind.value,
                "state": decision.state.value,
                "reason": decision.reason,
                "hoks_id": row.id,
                "oppija_oid": row.oppija_oid,
                "opiskeluoikeus_oid": row.opiskeluoikeus_oid,
                "koulutustoimija_oid": koulutustoimija,
                "oppilaitos_oid": right.oppilaitos_oid if right else None,
                "herate_date": decision.herate,
                "funding_period": funding_period(decision.herate),
                "period_tunniste": decision.period_tunniste,
                "valid_from": decision.valid[0],
                "valid_to": decision.valid[1],
                "request_id": str(uuid4()),
                "details": decision.details or {},
                "created_at": now,
                "updated_at": now,
            },
        )
