"""The catch-up run: decide the feedback of plans stored before feedback existed.

Plans are read in id order, a batch at a time, and each batch is decided with the rules a plan
write uses (`initiation.student_decisions`, `workplace_decisions`) and written in one short
transaction with its progress, so a run that stops goes on from the last batch written.

A survey whose key exists already is left alone, whoever made it: a plan written since feedback
existed was decided then, and a key another plan of the student holds is theirs (one survey per
student, provider and funding period). That makes a run idempotent: running it again, or over
plans written since, adds nothing.

On PostgreSQL a batch is copied into a staging table and stored with one statement (surveys,
their events and jobs), and the writing runs beside the reading and deciding: while the database
stores one batch, the next one is decided (`ehoks.feedback.catchup.pipeline`). SQLite takes each
batch's rows as parameters, one statement per table, one batch after another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final
from uuid import uuid4

import orjson
from sqlalchemy.orm import Session, sessionmaker

from ehoks.feedback.catchup import repository
from ehoks.feedback.catchup.pipeline import RUN_NAME, Batch, writer_for
from ehoks.feedback.catchup.repository import RightRow
from ehoks.feedback.initiation import (
    HANDLE_JOB,
    SAVE_EVENT,
    helsinki_date,
    start_of_day,
    student_decisions,
    survey_values,
    workplace_decisions,
)
from ehoks.feedback.rules import State, StudyRightFacts
from ehoks.kit.db.engine import transaction

log = logging.getLogger("ehoks.feedback.catchup")
BATCH: Final = 2000
EVENT_OPERATION: Final = "catch-up"
EVENT_DETAILS: Final = orjson.dumps({"operation": EVENT_OPERATION}).decode()


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
    start = _cursor(factory, now, restart=restart)
    store = _store_staged if _on_postgresql(factory) else _store_rows
    writer = writer_for(factory, store, now, parallel=_on_postgresql(factory))
    totals = [0, 0, start]

    def written(plans: int, surveys: int, last: int) -> None:
        totals[:] = [totals[0] + plans, totals[1] + surveys, last]
        if report is not None:
            report(Progress(totals[0], totals[1], last, finished=False))

    writer.start(written)
    exhausted: list[bool] = []
    try:
        for decided in _batches(
            factory, start, batch, max_batches=max_batches, now=now, exhausted=exhausted
        ):
            writer.put(decided)
        writer.close(finish=bool(exhausted))
    except BaseException:
        writer.abort()
        raise
    return Progress(totals[0], totals[1], totals[2], finished=writer.finished)


def _on_postgresql(factory: sessionmaker[Session]) -> bool:
    bind = factory.kw.get("bind")
    return bind is not None and bind.dialect.name == "postgresql"


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


def _batches(
    factory: sessionmaker[Session],
    after: int,
    size: int,
    *,
    max_batches: int | None,
    now: datetime,
    exhausted: list[bool],
) -> Iterator[Batch]:
    """Each batch of plans after `after`, decided: its rows (one per new key, the first plan by
    id asking for a key has it, as sequential writes would give). `exhausted` gets an item when
    no plan is left."""
    today = helsinki_date(now)
    count = 0
    while max_batches is None or count < max_batches:
        with transaction(factory) as session:
            plans = repository.plans_after(session, after, size)
            if not plans:
                exhausted.append(True)
                return
            rights = repository.study_rights(session, [p.opiskeluoikeus_oid for p in plans])
        rows: dict[str, dict[str, Any]] = {}
        for plan in plans:
            for values in _decisions(plan, rights.get(plan.opiskeluoikeus_oid), today):
                rows.setdefault(values["key"], values)
        after = plans[-1].id
        count += 1
        yield Batch(plans=len(plans), last_hoks_id=after, rows=list(rows.values()))


def _store_staged(session: Session, rows: Sequence[dict[str, Any]], now: datetime) -> int:
    """PostgreSQL: the rows copied into the staging table, stored with one statement."""
    staged = [
        (
            order,
            *(values[name] for name in repository.STAGED[1:-2]),
            orjson.dumps(values["details"]).decode(),
            start_of_day(values["herate_date"]) if values["state"] == State.PENDING else None,
        )
        for order, values in enumerate(rows)
    ]
    return repository.store_staged(
        session,
        staged,
        now=now,
        event=SAVE_EVENT,
        event_details=EVENT_DETAILS,
        job_kind=HANDLE_JOB,
    )


def _store_rows(session: Session, rows: Sequence[dict[str, Any]], now: datetime) -> int:
    """SQLite: one insert of the surveys, then one each of their events and jobs."""
    by_key = {values["key"]: values for values in rows}
    inserted = repository.insert_feedback(
        session,
        [
            values | {"request_id": str(uuid4()), "created_at": now, "updated_at": now}
            for values in rows
        ],
    )
    events, jobs = [], []
    for feedback_id, key in inserted:
        values = by_key[key]
        events.append(
            {
                "feedback_id": feedback_id,
                "at": now,
                "event": SAVE_EVENT,
                "old_state": None,
                "new_state": values["state"],
                "reason": values["reason"],
                "details": {"operation": EVENT_OPERATION},
            }
        )
        if values["state"] == State.PENDING:
            jobs.append(
                {
                    "key": f"{HANDLE_JOB}|{feedback_id}",
                    "kind": HANDLE_JOB,
                    "feedback_id": feedback_id,
                    "payload": {},
                    "state": "pending",
                    "due_at": start_of_day(values["herate_date"]),
                    "attempts": 0,
                    "created_at": now,
                }
            )
    repository.insert_events(session, events)
    repository.insert_jobs(session, jobs)
    return len(inserted)


def _decisions(row: Any, right: RightRow | None, today: date) -> Iterator[dict[str, Any]]:
    """The rows of a plan's decisions (without `request_id` and times: the store adds them)."""
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
        yield survey_values(
            decision,
            hoks_id=row.id,
            oppija_oid=row.oppija_oid,
            opiskeluoikeus_oid=row.opiskeluoikeus_oid,
            koulutustoimija=koulutustoimija,
            oppilaitos=right.oppilaitos_oid if right else None,
        )
