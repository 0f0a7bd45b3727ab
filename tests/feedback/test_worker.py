"""The worker against the Arvo stand-in and a real SMTP server (done-when list of issue 12)."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from sqlalchemy import select

from ehoks.feedback.models import FeedbackMessage
from ehoks.feedback.worker.run import run_once
from ehoks.registry.models import StudyRight
from tests.feedback.conftest import (
    MATTI_RIGHTS,
    events,
    feedback_rows,
    jobs,
    post,
    start_plan,
    today,
    weekday_morning,
)

STUDENT_LINKS = "/vastauslinkki/v1"


def test_a_plan_approved_today_sends_one_link_and_one_invitation(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    now = weekday_morning(today())
    run_once(context, now)

    (request,) = arvo.state.posts(STUDENT_LINKS)
    assert request["kyselyn_tyyppi"] == "aloittaneet"
    assert request["tutkintotunnus"] == "341101"
    assert request["oppilaitos_oid"] == "1.2.246.562.10.54453921329"
    assert request["koulutustoimija_oid"] == "1.2.246.562.10.53642770753"
    assert request["toimipiste_oid"] == "1.2.246.562.10.47213582301"
    assert request["heratepvm"] == today().isoformat()
    assert request["vastaamisajan_alkupvm"] == today().isoformat()
    assert request["vastaamisajan_loppupvm"] == (today() + timedelta(days=29)).isoformat()
    assert request["osaamisala"] == ["1525"]
    (link,) = arvo.state.live()

    (message,) = inbox.to("matti.meikalainen@example.fi")
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert link["url"] in text
    assert link["url"] in html
    assert "Vastaa kyselyyn" in text  # Finnish first, then Swedish and English
    assert "Svara på enkäten senast" in text
    assert "Svara på enkäten senast" in html
    # The headers as a mail program shows them, decoded from their encoded words.
    assert message["Subject"] == "eHOKS: palautekysely / responsenkät / feedback survey"
    assert str(message["Message-ID"]).startswith("<feedback-job-")
    assert message["Date"].datetime.tzinfo is not None
    assert message.get_content_type() == "multipart/alternative"
    assert all(not part.defects for part in message.walk())
    (survey,) = feedback_rows(session_factory)
    assert (survey.state, survey.link) == ("lahetetty", link["url"])
    assert [e.new_state for e in events(session_factory, survey.id)] == [
        "odottaa_kasittelya",
        "kysely_muodostettu",
        "lahetetty",
    ]
    # Arvo is told the link was sent, with the window counted from today.
    assert link["patches"] == [
        {
            "metatiedot": {"tila": "lahetetty"},
            "voimassa_alkupvm": survey.valid_from.isoformat(),
            "voimassa_loppupvm": survey.valid_to.isoformat(),
        }
    ]

    run_once(context, now + timedelta(hours=1))
    assert len(arvo.state.posts(STUDENT_LINKS)) == 1
    assert len(inbox.messages) == 1
    with session_factory() as session:
        (delivery,) = session.scalars(select(FeedbackMessage)).all()
        assert (delivery.state, delivery.recipient) == ("lahetetty", "matti.meikalainen@example.fi")


def test_invitations_wait_for_the_sending_window(caller, session_factory, context, arvo, inbox):
    post(caller, start_plan())
    saturday = weekday_morning(today()) + timedelta(
        days=(5 - weekday_morning(today()).weekday()) % 7
    )
    run_once(context, saturday)
    assert len(arvo.state.posts(STUDENT_LINKS)) == 1
    assert inbox.messages == []
    (invite,) = jobs(session_factory, kind="invite")
    assert invite.state == "pending"
    assert invite.attempts == 0
    opens = invite.due_at
    assert opens > saturday
    run_once(context, opens + timedelta(minutes=5))
    assert len(inbox.to("matti.meikalainen@example.fi")) == 1


def test_arvo_answering_500_is_retried_later_and_never_duplicated(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    arvo.state.failures.extend(["500"])
    now = weekday_morning(today())
    assert run_once(context, now)["retry"] == 1
    (survey,) = feedback_rows(session_factory)
    assert survey.state == "odottaa_kasittelya"
    (job,) = jobs(session_factory, kind="handle")
    assert (job.state, job.attempts) == ("pending", 1)
    assert "HTTP 500" in (job.last_error or "")
    assert job.due_at > now
    run_once(context, now)  # not due yet: nothing happens
    assert len(arvo.state.posts(STUDENT_LINKS)) == 1
    run_once(context, job.due_at)
    assert len(arvo.state.live()) == 1
    assert feedback_rows(session_factory)[0].state == "lahetetty"
    assert len(inbox.messages) == 1


def test_a_retry_after_a_timeout_makes_no_second_link(caller, session_factory, context, arvo):
    post(caller, start_plan())
    arvo.state.failures.extend(["slow"])
    now = weekday_morning(today())
    assert run_once(context, now)["retry"] == 1
    assert len(arvo.state.live()) == 1  # Arvo made it; the answer came too late
    (job,) = jobs(session_factory, kind="handle")
    run_once(context, job.due_at)
    assert len(arvo.state.posts(STUDENT_LINKS)) == 2
    (link,) = arvo.state.live()
    assert feedback_rows(session_factory)[0].arvo_tunniste == link["tunnus"]


def test_a_job_that_keeps_failing_is_parked_with_its_reason(caller, session_factory, context, arvo):
    post(caller, start_plan())
    limit = context.settings.feedback_max_attempts
    arvo.state.failures.extend(["500"] * limit)
    moment = weekday_morning(today())
    for _ in range(limit):
        run_once(context, moment)
        (job,) = jobs(session_factory, kind="handle")
        moment = max(moment, job.due_at)
    (job,) = jobs(session_factory, kind="handle")
    assert (job.state, job.attempts) == ("parked", limit)
    assert "HTTP 500" in (job.last_error or "")
    assert feedback_rows(session_factory)[0].state == "odottaa_kasittelya"  # kept, not dropped
    assert arvo.state.live() == []


def test_a_link_whose_record_failed_to_save_is_deleted(caller, session_factory, context, arvo):
    post(caller, start_plan(MATTI_RIGHTS[0]))
    # Another student's plan, so that there are two surveys to link.
    from tests.support.api import fresh_example

    other = fresh_example("hoks_ainoastaan_YTOja.json")
    other["ensikertainen-hyvaksyminen"] = today().isoformat()
    other["opiskeluoikeus-oid"] = "1.2.246.562.15.10000000009"
    other["oppija-oid"] = "1.2.246.562.24.12312312319"
    other["hankittavat-yhteiset-tutkinnon-osat"] = []
    post(caller, other)
    # Arvo hands out the same address twice: the second record cannot be saved (the link is
    # unique), so its link must not be left in Arvo.
    arvo.state.fixed_link = "http://arvo.invalid/v/same"
    run_once(context, weekday_morning(today()))
    states = sorted(row.state for row in feedback_rows(session_factory))
    assert states == ["lahetetty", "odottaa_kasittelya"]
    deleted = [r for r in arvo.state.links.values() if r["deleted"]]
    assert len(deleted) == 1
    assert len(arvo.state.live()) == 1


def _ended(document):
    document["tila"]["opiskeluoikeusjaksot"].append(
        {"alku": "2020-01-01", "tila": {"koodiarvo": "eronnut"}}
    )
    return document


def _funded_by_code_6(document):
    document["tila"]["opiskeluoikeusjaksot"][0]["opintojenRahoitus"] = {"koodiarvo": "6"}
    return document


STUDY_RIGHT_CHANGES = {
    "tuva": {"tyyppi": "tuva"},
    "telma": {"suoritus_tyypit": ["telma"]},
    "ei_ammatillista_suoritusta": {"suoritus_tyypit": ["perusopetuksenoppimaara"]},
    "sisaltyy_toiseen_opiskeluoikeuteen": {"contained_in_oid": "1.2.246.562.15.20251000038"},
    "opiskeluoikeus_paattynyt": _ended,
    "rahoitus": _funded_by_code_6,
    "opiskeluoikeus_puuttuu": None,
}


@pytest.mark.parametrize("reason", list(STUDY_RIGHT_CHANGES))
def test_study_right_rules_are_checked_when_the_survey_falls_due(
    caller, session_factory, context, arvo, reason
):
    hoks_id = post(caller, start_plan())
    change = STUDY_RIGHT_CHANGES[reason]
    with session_factory() as session:
        right = session.get(StudyRight, MATTI_RIGHTS[0])
        assert right is not None
        if change is None:
            session.delete(right)
        elif callable(change):
            right.document = change(copy.deepcopy(right.document))
        else:
            for name, value in change.items():
                setattr(right, name, value)
        session.commit()
    run_once(context, weekday_morning(today()))
    (row,) = feedback_rows(session_factory, hoks_id=hoks_id)
    assert (row.state, row.reason) == ("ei_laheteta", reason)
    assert arvo.state.posts(STUDENT_LINKS) == []
    assert [e.event for e in events(session_factory, row.id)][-1] == "kasittely"


def test_arvo_not_told_of_the_sending_at_once_is_told_by_a_job_later(
    caller, session_factory, context, arvo, inbox
):
    post(caller, start_plan())
    arvo.state.failures.append("PATCH 500")
    now = weekday_morning(today())
    outcomes = run_once(context, now)
    # The invitation went once; Arvo's notice failed, so a job of its own told it (with its
    # own retries), in the same round here since it is due at once.
    assert (outcomes["invite"], outcomes["arvo_sent"], outcomes["retry"]) == (1, 1, 0)
    assert len(inbox.to("matti.meikalainen@example.fi")) == 1
    (link,) = arvo.state.live()
    (survey,) = feedback_rows(session_factory)
    assert link["patches"] == [
        {
            "metatiedot": {"tila": "lahetetty"},
            "voimassa_alkupvm": survey.valid_from.isoformat(),
            "voimassa_loppupvm": survey.valid_to.isoformat(),
        }
    ]
    assert [j.state for j in jobs(session_factory) if j.kind == "arvo_sent"] == ["done"]
    run_once(context, now + timedelta(hours=1))
    assert len(inbox.messages) == 1
    assert len(link["patches"]) == 1
