"""A claimed batch's jobs run together: one failing survey fails alone, the others are done."""

from __future__ import annotations

from collections import Counter
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ehoks.feedback.initiation import start_of_day
from ehoks.feedback.models import Feedback, FeedbackJob, FeedbackMessage
from ehoks.feedback.worker.run import run_once
from tests.feedback.conftest import feedback_rows, jobs, post, start_plan, today, weekday_morning

STUDENT_LINKS = "/vastauslinkki/v1"
MATTI_EMAIL = "matti.meikalainen@example.fi"


def _more_surveys(factory: sessionmaker[Session], count: int) -> None:
    """`count` more start surveys like the one posted (own keys and request ids), each with its
    handling job, so that one round's batch holds several."""
    with factory() as session:
        template = session.scalars(select(Feedback)).one()
        for n in range(count):
            row = Feedback(
                key=f"batch|{n}",
                request_id=str(uuid4()),
                details={},
                **{
                    name: getattr(template, name)
                    for name in (
                        "kind",
                        "state",
                        "hoks_id",
                        "oppija_oid",
                        "opiskeluoikeus_oid",
                        "koulutustoimija_oid",
                        "oppilaitos_oid",
                        "herate_date",
                        "funding_period",
                        "valid_from",
                        "valid_to",
                    )
                },
            )
            session.add(row)
            session.flush()
            session.add(
                FeedbackJob(
                    key=f"handle|{row.id}",
                    kind="handle",
                    feedback_id=row.id,
                    state="pending",
                    due_at=start_of_day(today()),
                    payload={},
                )
            )
        session.commit()


def _job_of(factory: sessionmaker[Session], kind: str, feedback_id: int) -> FeedbackJob:
    (job,) = [j for j in jobs(factory, kind=kind) if j.feedback_id == feedback_id]
    return job


def test_a_link_arvo_fails_to_make_is_retried_and_the_batch_s_other_surveys_go_on(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    _more_surveys(session_factory, 2)
    arvo.state.failures.append("500")  # the batch's first link
    now = weekday_morning(today())
    outcomes = run_once(context, now)

    assert (outcomes["handle"], outcomes["invite"], outcomes["retry"]) == (2, 2, 1)
    states = Counter(row.state for row in feedback_rows(session_factory))
    assert states == {"lahetetty": 2, "odottaa_kasittelya": 1}
    (waiting,) = feedback_rows(session_factory, state="odottaa_kasittelya")
    job = _job_of(session_factory, "handle", waiting.id)
    assert (job.state, job.attempts) == ("pending", 1)
    assert "HTTP 500" in (job.last_error or "")
    assert len(inbox.to(MATTI_EMAIL)) == 2

    run_once(context, max(job.due_at, now))
    rows = feedback_rows(session_factory)
    assert {row.state for row in rows} == {"lahetetty"}
    assert len(inbox.to(MATTI_EMAIL)) == 3
    # Three links, each made once: the failed request was named again by the retry.
    assert sorted(r["tunnus"] for r in arvo.state.live()) == sorted(
        str(row.arvo_tunniste) for row in rows
    )
    requests = Counter(r["request_id"] for r in arvo.state.posts(STUDENT_LINKS))
    assert sorted(requests.values()) == [1, 1, 2]


def test_an_invitation_that_cannot_go_is_retried_and_the_batch_s_others_are_sent(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    _more_surveys(session_factory, 2)
    # Arvo's status, asked before each invitation goes, fails once.
    arvo.state.failures.append("GET 500")
    now = weekday_morning(today())
    outcomes = run_once(context, now)

    assert (outcomes["handle"], outcomes["invite"], outcomes["retry"]) == (3, 2, 1)
    assert len(inbox.to(MATTI_EMAIL)) == 2
    (unsent,) = feedback_rows(session_factory, state="kysely_muodostettu")
    job = _job_of(session_factory, "invite", unsent.id)
    assert (job.state, job.attempts) == ("pending", 1)
    with session_factory() as session:
        messages = Counter(
            (m.state, m.reason) for m in session.scalars(select(FeedbackMessage)).all()
        )
    assert messages[("lahetetty", None)] == 2
    ((failed, reason),) = [key for key in messages if key[0] != "lahetetty"]
    assert failed == "lahetys_epaonnistunut"
    assert "HTTP 500" in str(reason)

    run_once(context, max(job.due_at, now))
    assert {row.state for row in feedback_rows(session_factory)} == {"lahetetty"}
    assert len(inbox.to(MATTI_EMAIL)) == 3
    # Each link was told once that it went.
    assert sorted(len(r["patches"]) for r in arvo.state.live()) == [1, 1, 1]


def test_a_batch_finishes_its_jobs_at_one_moment_and_leaves_none_leased(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    _more_surveys(session_factory, 4)
    now = weekday_morning(today())
    run_once(context, now)
    done = [j for j in jobs(session_factory) if j.kind in {"handle", "invite"}]
    assert len(done) == 10
    assert {(j.state, j.lease_token, j.leased_until, j.attempts) for j in done} == {
        ("done", None, None, 1)
    }
    assert {j.finished_at for j in done} == {now}
    assert len(inbox.to(MATTI_EMAIL)) == 5
