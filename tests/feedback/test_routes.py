"""The feedback routes: the student's open links, the staff view and sending again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from ehoks.feedback.models import Feedback, FeedbackMessage
from ehoks.feedback.worker.run import run_once
from tests.feedback.conftest import (
    MATTI,
    events,
    feedback_rows,
    post,
    start_plan,
    today,
    weekday_morning,
    when_invitations_go,
)
from tests.people.conftest import A_SCHOOL, PROVIDER_B


def test_the_student_sees_their_open_link_and_staff_see_the_survey(  # noqa: PLR0917 - fixtures
    caller,
    session_factory,
    context,
    arvo,
    inbox,
    student,
    staff,
):
    hoks_id = post(caller, start_plan())
    matti = student(MATTI)
    assert matti.get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == []
    run_once(context, weekday_morning(today()))
    (link,) = arvo.state.live()
    assert matti.get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == [link["url"]]

    reader = staff((A_SCHOOL, "read"))
    path = f"/oppijat/{MATTI}/hoksit/{hoks_id}/opiskelijapalaute"
    answer = reader.get(path)
    assert answer.status_code == 200, answer.text
    (survey,) = answer.json()["data"]
    assert survey["kyselytyyppi"] == "aloittaneet"
    assert survey["tila"] == "lahetetty"
    assert survey["sahkoposti-tila"] == "lahetetty"
    assert [e["uusi-tila"] for e in survey["tapahtumat"]] == [
        "odottaa_kasittelya",
        "kysely_muodostettu",
        "lahetetty",
    ]
    assert link["url"] not in str(survey)
    assert "arvo-tunniste" not in survey
    assert staff((PROVIDER_B, "read")).get(path).status_code == 404


def test_staff_send_an_open_survey_again(  # noqa: PLR0917 - fixtures
    caller,
    session_factory,
    context,
    arvo,
    inbox,
    staff,
):
    hoks_id = post(caller, start_plan())
    now = weekday_morning(today())
    run_once(context, now)
    assert len(inbox.messages) == 1
    path = f"/oppijat/{MATTI}/hoksit/{hoks_id}/resend-palaute"
    assert (
        staff((A_SCHOOL, "read")).send("POST", path, {"tyyppi": "aloittaneet"}).status_code == 403
    )
    writer = staff((A_SCHOOL, "write"))
    wrong = writer.send("POST", path, {"tyyppi": "kaikki"})
    assert wrong.status_code == 400
    assert [(v["code"], v["path"]) for v in wrong.json()["violations"]] == [
        ("feedback_kind_unknown", "/tyyppi")
    ]
    none_open = writer.send("POST", path, {"tyyppi": "tutkinnon_suorittaneet"})
    assert (none_open.status_code, none_open.json()["code"]) == (404, "feedback_not_open")
    resent = writer.send("POST", path, {"tyyppi": "aloittaneet"})
    assert resent.status_code == 200, resent.text
    assert resent.json()["data"] == {"sahkoposti": "matti.meikalainen@example.fi"}
    run_once(context, when_invitations_go(context, session_factory, now + timedelta(minutes=1)))
    assert len(inbox.to("matti.meikalainen@example.fi")) == 2
    assert len(arvo.state.live()) == 1
    with session_factory() as session:
        assert len(session.scalars(select(FeedbackMessage)).all()) == 2
    survey_events = [e.event for e in events(session_factory, 1)]
    assert "uudelleenlahetys" in survey_events


def test_the_plans_feedback_page_shows_states_and_sends_again(  # noqa: PLR0917 - fixtures
    caller, session_factory, context, arvo, inbox, staff
):
    hoks_id = post(caller, start_plan())
    now = weekday_morning(today())
    run_once(context, now)
    page = f"/ehoks-virkailija-ui/opiskelijat/{MATTI}/hoks/{hoks_id}/palaute"
    reader = staff((A_SCHOOL, "read"))
    shown = reader.http.get(page, headers=reader.headers, params={"lang": "en"})
    assert shown.status_code == 200
    assert "Start survey" in shown.text
    assert "Invitation sent" in shown.text
    assert "Send the invitation again" not in shown.text  # read role: no control
    writer = staff((A_SCHOOL, "write"))
    as_writer = writer.http.get(page, headers=writer.headers, params={"lang": "en"})
    assert "Send the invitation again" in as_writer.text
    sent = writer.http.post(
        page,
        headers=writer.headers,
        data={"tyyppi": "aloittaneet", "lang": "en", "csrf_token": writer.csrf},
    )
    assert sent.status_code == 303
    assert "lahetetty=1" in sent.headers["location"]
    run_once(context, when_invitations_go(context, session_factory, now + timedelta(minutes=1)))
    assert len(inbox.to("matti.meikalainen@example.fi")) == 2


def test_parked_jobs_are_for_the_national_admin_only(staff):
    page = "/ehoks-virkailija-ui/yllapito/palautetyot"
    member = staff((A_SCHOOL, "admin"))
    assert member.http.get(page, headers=member.headers).status_code == 403
    admin = staff(("1.2.246.562.10.00000000001", "admin"))
    shown = admin.http.get(page, headers=admin.headers, params={"lang": "en"})
    assert shown.status_code == 200
    assert "No parked jobs." in shown.text
    # The staff layout: its navigation and the sign-out, as on every other staff page.
    assert '<nav class="staff-nav" aria-label="Staff service">' in shown.text
    assert '<form class="sign-out" method="post" action="/auth/logout">' in shown.text


def test_the_plans_feedback_page_says_why_in_words_and_writes_dates_per_language(
    caller, session_factory, staff
):
    hoks_id = post(caller, start_plan())
    # A workplace survey the rules left unsent, as the decision stores it.
    with session_factory() as session:
        session.execute(
            update(Feedback)
            .where(Feedback.hoks_id == hoks_id)
            .values(
                kind="tyopaikkajakson_suorittaneet",
                state="ei_laheteta",
                reason="rahoituskausi_paattynyt",
                details={
                    "tyopaikan_nimi": "Ohjausyhtiö Oy",
                    "alku": "2019-01-11",
                    "loppu": "2019-03-14",
                },
            )
        )
        session.commit()
    page = f"/ehoks-virkailija-ui/opiskelijat/{MATTI}/hoks/{hoks_id}/palaute"
    reader = staff((A_SCHOOL, "read"))
    shown = reader.http.get(page, headers=reader.headers, params={"lang": "fi"})
    assert shown.status_code == 200, shown.text
    assert "Ei lähetetä (rahoituskausi on päättynyt)" in shown.text
    assert "rahoituskausi_paattynyt" not in shown.text
    assert "Ohjausyhtiö Oy, 11.1.2019 – 14.3.2019" in shown.text
    # The staff service's own navigation, as on every other staff page.
    assert '<nav class="staff-nav" aria-label="Virkailijan palvelu">' in shown.text
    english = reader.http.get(page, headers=reader.headers, params={"lang": "en"})
    assert "Ohjausyhtiö Oy, 11 January 2019 – 14 March 2019" in english.text


def test_the_plans_feedback_page_shows_no_answer_time_for_a_survey_never_sent(
    caller, session_factory, staff
):
    # Approved in 2019: the decision leaves the survey unsent (its funding period is over) with
    # a window counted from today but capped at 60 days from 2019, ending before it starts.
    hoks_id = post(caller, start_plan(**{"ensikertainen-hyvaksyminen": "2019-05-16"}))
    (row,) = feedback_rows(session_factory, hoks_id=hoks_id)
    assert (row.state, row.reason) == ("ei_laheteta", "rahoituskausi_paattynyt")
    assert row.valid_to < row.valid_from
    page = f"/ehoks-virkailija-ui/opiskelijat/{MATTI}/hoks/{hoks_id}/palaute"
    reader = staff((A_SCHOOL, "read"))
    for lang, words in (("fi", "Vastausaika"), ("sv", "Svarstid"), ("en", "Answer time")):
        shown = reader.http.get(page, headers=reader.headers, params={"lang": lang})
        assert shown.status_code == 200, shown.text
        assert words not in shown.text
        assert "2019" in shown.text  # the date it is based on is still said


def test_the_plans_feedback_page_calls_a_waiting_surveys_window_planned(  # noqa: PLR0917 - fixtures
    caller, session_factory, context, arvo, inbox, staff
):
    hoks_id = post(caller, start_plan())
    page = f"/ehoks-virkailija-ui/opiskelijat/{MATTI}/hoks/{hoks_id}/palaute"
    reader = staff((A_SCHOOL, "read"))
    start, end = today(), today() + timedelta(days=29)
    waiting = reader.http.get(page, headers=reader.headers, params={"lang": "fi"})
    assert "Suunniteltu vastausaika" in waiting.text
    assert f"{start:%-d.%-m.%Y} – {end:%-d.%-m.%Y}" in waiting.text
    run_once(context, weekday_morning(today()))
    sent = reader.http.get(page, headers=reader.headers, params={"lang": "en"})
    assert "Planned answer time" not in sent.text
    assert "Answer time" in sent.text
