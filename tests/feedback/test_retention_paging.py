"""The removal job pages through the plans by id: a run over more plans than a batch handles
each plan once, each batch reads no more than its page however far the run has got, and a plan
a writer changed meanwhile is left for the next run instead of being tried again and again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from ehoks.audit.models import AuditEvent
from ehoks.feedback import retention
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import Context
from ehoks.feedback.worker.run import run_once
from ehoks.hoks.models import Hoks
from ehoks.hoksmodel.formats import is_valid_opiskeluoikeus_oid
from ehoks.registry.models import StudyRight
from tests.feedback.conftest import MATTI, MATTI_RIGHTS, post, start_plan, today, weekday_morning
from tests.feedback.test_exclusions import workplace_plan

OPERATION = "retention.remove-contact-data"
SMALL_BATCH = 2
# Seven plans: instructors' addresses only, the student's only, and both (the two sources of
# candidates overlap and interleave in id order).
KINDS = ("both", "instructor", "student", "instructor", "both", "student", "instructor")


def study_rights(factory: sessionmaker[Session], count: int) -> list[str]:
    """`count` new study rights of Matti's at the school of his first one."""
    with factory() as session:
        model = session.get(StudyRight, MATTI_RIGHTS[0])
        assert model is not None
        columns = [column.key for column in StudyRight.__table__.columns]
        oids: list[str] = []
        number = 9000000000
        while len(oids) < count:
            number += 1
            oid = next(
                candidate
                for digit in range(10)
                if is_valid_opiskeluoikeus_oid(candidate := f"1.2.246.562.15.{number}{digit}")
            )
            values: dict[str, Any] = {key: getattr(model, key) for key in columns}
            session.add(StudyRight(**(values | {"oid": oid})))
            oids.append(oid)
        session.commit()
    return oids


def plans(caller: Any, factory: sessionmaker[Session]) -> dict[int, str]:
    """{HOKS id: kind} of a plan of each of `KINDS`, every one of them due for removal."""
    made: dict[int, str] = {}
    for oid, kind in zip(study_rights(factory, len(KINDS)), KINDS, strict=True):
        if kind == "student":
            document = start_plan(oid, puhelinnumero="0405556666")
        else:
            document = workplace_plan() | {"opiskeluoikeus-oid": oid, "oppija-oid": MATTI}
            document["sahkoposti"] = "matti.meikalainen@example.fi"
        made[post(caller, document)] = kind
    ended = today() - timedelta(days=120)
    with factory() as session:
        for hoks_id, kind in made.items():
            if kind == "instructor":
                continue  # the study right goes on
            oid = session.scalar(select(Hoks.opiskeluoikeus_oid).where(Hoks.id == hoks_id))
            session.execute(
                update(StudyRight).where(StudyRight.oid == oid).values(paattymispaiva=ended)
            )
            session.execute(
                update(Hoks)
                .where(Hoks.id == hoks_id)
                .values(updated_at=datetime.now(UTC) - timedelta(days=100))
            )
        session.commit()
    return made


def document_removals(factory: sessionmaker[Session]) -> list[AuditEvent]:
    """The removal records of plans' documents (not of their feedback rows' copies)."""
    with factory() as session:
        records = session.scalars(select(AuditEvent).where(AuditEvent.operation == OPERATION))
        return [r for r in records if all(p.startswith("/") for p in r.details["removed"])]


@pytest.fixture
def batches(monkeypatch: pytest.MonkeyPatch, context: Context) -> Iterator[list[list[int]]]:
    """For each batch of plans, the rows each of its candidate statements returned (batches of
    `SMALL_BATCH` plans)."""
    batches: list[list[int]] = []
    reading = {"now": False}
    candidates = repository.retention_candidates

    def counted(session: Session, **kwargs: Any) -> Any:
        batches.append([])
        reading["now"] = True
        try:
            return candidates(session, **kwargs)
        finally:
            reading["now"] = False

    def count_rows(state: ORMExecuteState) -> Any:
        if not (reading["now"] and state.is_select):
            return None
        result = state.invoke_statement().freeze()
        batches[-1].append(len(result().all()))
        return result()

    monkeypatch.setattr(repository, "retention_candidates", counted)
    event.listen(context.factory, "do_orm_execute", count_rows)
    monkeypatch.setattr(retention, "BATCH", SMALL_BATCH)
    yield batches
    event.remove(context.factory, "do_orm_execute", count_rows)


def test_a_run_over_several_batches_handles_each_plan_once_reading_a_page_a_batch(
    caller, session_factory, context, batches
):
    made = plans(caller, session_factory)
    run_once(context, weekday_morning(today() + timedelta(days=100)))

    records = document_removals(session_factory)
    assert Counter(record.hoks_id for record in records) == dict.fromkeys(made, 1)
    for record in records:
        student = "/sahkoposti" in record.details["removed"]
        instructor = any("/tyopaikalla-" in path for path in record.details["removed"])
        assert (student, instructor) == {
            "both": (True, True),
            "instructor": (False, True),
            "student": (True, False),
        }[made[record.hoks_id]]
    # Two statements a batch (one a source), each returning at most a page, the last batch
    # finding nothing: no batch re-reads what the batches before it handled.
    assert len(batches) > len(made) // SMALL_BATCH
    assert all(len(reads) == 2 for reads in batches)
    assert all(rows <= SMALL_BATCH for reads in batches for rows in reads)
    assert batches[-1] == [0, 0]


def test_a_plan_a_writer_changed_meanwhile_is_tried_once_and_left_for_the_next_run(
    caller, session_factory, context, batches, monkeypatch
):
    made = plans(caller, session_factory)
    changed = sorted(made)[1]
    rewrite = repository.rewrite_plan
    tries: Counter[int] = Counter()

    def written_first(session: Session, row: Hoks, document: str, **kwargs: Any) -> bool:
        tries[row.id] += 1
        if row.id == changed and tries[row.id] == 1:
            # Someone saves the plan between the job's read and its write.
            session.execute(
                update(Hoks)
                .where(Hoks.id == row.id)
                .values(revision=Hoks.revision + 1)
                .execution_options(synchronize_session=False)
            )
        return rewrite(session, row, document, **kwargs)

    monkeypatch.setattr(repository, "rewrite_plan", written_first)
    later = weekday_morning(today() + timedelta(days=100))
    run_once(context, later)

    assert tries == dict.fromkeys(made, 1)
    assert {record.hoks_id for record in document_removals(session_factory)} == set(made) - {
        changed
    }
    # The next run finds it again.
    run_once(context, later + timedelta(days=1))
    assert tries[changed] == 2
    assert Counter(r.hoks_id for r in document_removals(session_factory)) == dict.fromkeys(made, 1)


def test_a_plan_whose_only_address_is_an_instructors_not_yet_due_is_not_read_daily(
    caller, session_factory, context, batches
):
    """The student's study right ended and they left no address of their own; the instructor's
    period ended only recently, so nothing of the plan is due yet."""
    (oid,) = study_rights(session_factory, 1)
    document = workplace_plan() | {"opiskeluoikeus-oid": oid, "oppija-oid": MATTI}
    for key in ("sahkoposti", "puhelinnumero"):
        document.pop(key, None)
    hoks_id = post(caller, document)
    with session_factory() as session:
        session.execute(
            update(StudyRight)
            .where(StudyRight.oid == oid)
            .values(paattymispaiva=today() - timedelta(days=120))
        )
        session.execute(
            update(Hoks)
            .where(Hoks.id == hoks_id)
            .values(updated_at=datetime.now(UTC) - timedelta(days=100))
        )
        session.commit()

    run_once(context, weekday_morning(today() + timedelta(days=1)))

    assert batches == [[0, 0]]  # neither source found the plan
    with session_factory() as session:
        row = session.get(Hoks, hoks_id)
        assert row is not None
        assert row.revision == 1
        assert "aimo.ohjaaja@" in row.document  # not due: it stays
    assert document_removals(session_factory) == []
