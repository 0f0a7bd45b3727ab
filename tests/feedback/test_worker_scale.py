"""Workplace feedback grouped into one e-mail; two workers side by side; the command itself."""

from __future__ import annotations

import copy
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from sqlalchemy import select

from ehoks.cli.worker import worker_connections
from ehoks.feedback.initiation import start_of_day
from ehoks.feedback.models import Feedback, FeedbackEvent, FeedbackJob
from ehoks.feedback.rules import next_first_of_month
from ehoks.feedback.worker.run import run_once
from ehoks.feedback.worker.setup import build_context
from ehoks.kit.db.engine import build_engine, build_sessionmaker
from tests.feedback.conftest import feedback_rows, jobs, post, start_plan, today
from tests.feedback.test_exclusions import workplace_plan
from tests.support.cli import ehoks
from tests.support.connections import ConnectionWatch

WORKPLACE_LINKS = "/tyoelamapalaute/v1/vastaajatunnus"
AIMO = "aimo.ohjaaja@esimerkki2.com"


def test_ended_workplace_periods_give_one_e_mail_per_instructor_qualification_and_month(
    caller, session_factory, context, arvo, inbox
):
    maija = workplace_plan()
    unit = maija["hankittavat-ammat-tutkinnon-osat"][0]
    second = copy.deepcopy(unit["osaamisen-hankkimistavat"][0]) | {"yksiloiva-tunniste": "jakso-2"}
    unit["osaamisen-hankkimistavat"].append(second)
    post(caller, maija)
    # Matti studies another qualification: his period goes in an e-mail of its own.
    matti = start_plan()
    matti["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"].append(
        copy.deepcopy(second) | {"yksiloiva-tunniste": "matti-1"}
    )
    post(caller, matti)

    first_of_next_month = next_first_of_month(today())
    moment = datetime.combine(first_of_next_month, datetime.min.time(), UTC) + timedelta(hours=8)
    context = build_context(
        session_factory, context.settings.model_copy(update={"feedback_sending_window": "always"})
    )
    run_once(context, moment)

    requests = arvo.state.posts(WORKPLACE_LINKS)
    assert len(requests) == 3
    assert {r["tyonantaja"] for r in requests} == {"1234569-8"}
    assert {r["tyopaikka_normalisoitu"] for r in requests} == {"ohjausyhtio_oy"}
    assert {r["sopimustyyppi"] for r in requests} == {"oppisopimus"}
    mails = inbox.to(AIMO)
    assert len(mails) == 2
    links = sorted(
        sum(1 for r in arvo.state.live() if r["url"] in m.get_body(("plain",)).get_content())  # type: ignore[union-attr]
        for m in mails
    )
    assert links == [1, 2]
    workplace = feedback_rows(session_factory, kind="tyopaikkajakson_suorittaneet")
    assert {row.state for row in workplace} == {"lahetetty"}
    run_once(context, moment + timedelta(hours=1))
    assert len(inbox.to(AIMO)) == 2


@pytest.mark.only_on("postgresql")  # on SQLite one worker runs
def test_two_workers_on_postgresql_do_each_of_1000_jobs_once(  # noqa: PLR0917 - fixtures
    backend, caller, session_factory, worker_settings, arvo, database_url
):
    document = start_plan()
    document.pop("sahkoposti")
    hoks_id = post(caller, document)
    (template,) = feedback_rows(session_factory)
    now = start_of_day(today()) + timedelta(hours=10)
    with session_factory() as session:
        for n in range(999):
            row = Feedback(
                key=f"bench|{n}",
                kind="aloittaneet",
                state="odottaa_kasittelya",
                hoks_id=hoks_id,
                oppija_oid=template.oppija_oid,
                opiskeluoikeus_oid=template.opiskeluoikeus_oid,
                koulutustoimija_oid=template.koulutustoimija_oid,
                oppilaitos_oid=template.oppilaitos_oid,
                herate_date=template.herate_date,
                funding_period=template.funding_period,
                valid_from=template.valid_from,
                valid_to=template.valid_to,
                request_id=str(uuid4()),
                details={},
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
    # Each worker runs its batches' jobs on four threads; Arvo gets a timeout a loaded machine
    # keeps (a timeout's retry is a test of its own).
    settings = worker_settings.model_copy(
        update={
            "feedback_sending_window": "always",
            "worker_threads": 4,
            "arvo_timeout_seconds": 10,
        }
    )
    outcomes: list[Counter[str]] = []
    # Each sized as `ehoks worker` sizes its own: not one connection opened and closed again.
    kept = worker_connections(settings)
    engines = [build_engine(database_url, pool_size=kept) for _ in range(2)]
    watches = [ConnectionWatch(engine) for engine in engines]

    def work(n: int) -> None:
        outcomes.append(run_once(build_context(build_sessionmaker(engines[n]), settings), now))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()

    assert sum(o["handle"] for o in outcomes) == 1000, outcomes
    for watch in watches:  # no thread held two at once; no more threads held one than kept
        assert watch.most_by_one_thread == 1
        assert 1 <= watch.opened <= kept
        assert len(watch.threads) <= kept
    assert sum(o["invite"] for o in outcomes) == 1000
    assert all(o["handle"] > 0 for o in outcomes)  # both workers took part
    posted = Counter(r["request_id"] for r in arvo.state.posts("/vastauslinkki/v1"))
    assert len(posted) == 1000
    assert set(posted.values()) == {1}
    every_job = jobs(session_factory)
    assert {job.state for job in every_job if job.due_at <= now} == {"done"}
    # What is left waits for its date: each survey's check once its answer time has ended.
    later = {(job.kind, job.state) for job in every_job if job.due_at > now}
    assert later <= {("expire", "pending")}
    with session_factory() as session:
        created = Counter(
            session.scalars(
                select(FeedbackEvent.feedback_id).where(FeedbackEvent.event == "arvo_luonti")
            )
        )
    assert len(created) == 1000
    assert set(created.values()) == {1}


def test_the_worker_command_runs_once_with_the_built_in_issuer(  # noqa: PLR0917 - fixtures
    caller, session_factory, database_url, smtp_server, inbox, live_server
):
    post(caller, start_plan())
    controller, _ = smtp_server
    env = {
        "EHOKS_DATABASE_URL": database_url,
        "EHOKS_SMTP_PORT": str(controller.port),
        "EHOKS_FEEDBACK_SENDING_WINDOW": "always",
        "EHOKS_PUBLIC_BASE_URL": live_server.base_url,
        "EHOKS_ARVO_URL": "",
    }
    result = ehoks("worker", "--once", env=env)
    assert result.exit_code == 0, result.stderr
    # The link and the invitation, which tells the issuer it went (and today's contact-data
    # removal).
    assert {"handle: 1", "invite: 1"} <= set(result.stdout.strip().split(", "))
    (message,) = inbox.to("matti.meikalainen@example.fi")
    (row,) = feedback_rows(session_factory)
    assert row.link is not None
    assert row.link.startswith(f"{live_server.base_url}/palaute/A")
    assert row.link in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    again = ehoks("worker", "--once", env=env)
    assert again.stdout.strip() == "nothing due"


def test_a_workplace_e_mail_job_names_its_group_by_digest_not_by_address(
    caller, session_factory, context, arvo, inbox
):
    post(caller, workplace_plan())
    first_of_next_month = next_first_of_month(today())
    moment = datetime.combine(first_of_next_month, datetime.min.time(), UTC) + timedelta(hours=8)
    context = build_context(
        session_factory, context.settings.model_copy(update={"feedback_sending_window": "always"})
    )
    run_once(context, moment)
    assert len(inbox.to(AIMO)) == 1
    (job,) = [j for j in jobs(session_factory) if j.kind == "workplace_mail"]
    (survey,) = feedback_rows(session_factory, kind="tyopaikkajakson_suorittaneet")
    assert (job.key, job.payload) == (
        f"mail|{survey.mail_group}",
        {"mail_group": survey.mail_group},
    )
    assert AIMO not in job.key
    assert AIMO not in str(job.payload)
