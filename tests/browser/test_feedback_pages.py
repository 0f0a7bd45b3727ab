"""The built-in survey page in Chromium: accessible, fits a phone, in three languages."""

from __future__ import annotations

from ehoks.feedback.worker.run import run_once
from ehoks.feedback.worker.setup import build_context
from tests.browser.accessibility import check_page
from tests.feedback.conftest import feedback_rows, post, start_plan, today, weekday_morning
from tests.support.api import load_registry, make_caller, owner_of


def test_the_built_in_survey_in_a_browser(phone, live_server, http, session_factory, settings):
    load_registry(session_factory)
    school, _ = owner_of(session_factory, start_plan()["opiskeluoikeus-oid"])
    post(make_caller(http, session_factory, school), start_plan())
    context = build_context(
        session_factory,
        settings.model_copy(
            update={"public_base_url": live_server.base_url, "smtp_port": 9, "arvo_url": ""}
        ),
    )
    run_once(context, weekday_morning(today()))  # the invitation fails (no mail server): fine
    (row,) = feedback_rows(session_factory)
    assert row.link
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{row.link}?lang={lang}")
        check_page(phone, f"feedback-survey-{lang}")
    phone.get_by_role("button", name="Send the answer").click()
    assert phone.title().startswith("Error: ")
    check_page(phone, "feedback-survey-error-en")
    phone.get_by_label("Very satisfied").check()
    phone.get_by_role("button", name="Send the answer").click()
    check_page(phone, "feedback-survey-thanks-en")
    assert "Thank you for your answer" in phone.content()


def test_the_plans_feedback_page_in_a_browser(
    desktop, live_server, http, session_factory, settings
):
    from ehoks.access.subjects import SubjectKind
    from ehoks.auth.sessions import COOKIE_NAME
    from tests.people.conftest import A_SCHOOL, sign_in

    load_registry(session_factory)
    school, _ = owner_of(session_factory, start_plan()["opiskeluoikeus-oid"])
    hoks_id = post(make_caller(http, session_factory, school), start_plan())
    context = build_context(
        session_factory,
        settings.model_copy(
            update={"public_base_url": live_server.base_url, "smtp_port": 9, "arvo_url": ""}
        ),
    )
    run_once(context, weekday_morning(today()))
    member = sign_in(
        http,
        session_factory,
        settings,
        kind=SubjectKind.STAFF,
        principal="1.2.246.562.24.00000099001",
        grants=((A_SCHOOL, "write"),),
    )
    desktop.context.add_cookies(
        [{"name": COOKIE_NAME, "value": member.token, "url": live_server.base_url}]
    )
    oppija = start_plan()["oppija-oid"]
    for lang in ("fi", "en"):
        desktop.goto(
            f"{live_server.base_url}/ehoks-virkailija-ui/opiskelijat/{oppija}/hoks/{hoks_id}/palaute?lang={lang}"
        )
        check_page(desktop, f"feedback-plan-{lang}")
