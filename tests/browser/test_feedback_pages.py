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


def test_parked_jobs_on_a_phone_are_cards_with_the_staff_navigation(
    phone, live_server, session_factory
):
    """The national admin's parked jobs: the staff layout, and each job a card at 390 px."""
    from datetime import UTC, datetime

    from ehoks.feedback.models import FeedbackJob
    from tests.browser.test_staff_pages_in_a_browser import assert_stacked, signed_in_as

    with session_factory() as session:
        now = datetime.now(UTC)
        session.add(
            FeedbackJob(
                key="parked-example",
                kind="send_invitation",
                payload={},
                state="parked",
                due_at=now,
                attempts=5,
                last_error="SMTP server refused the connection",
                finished_at=now,
            )
        )
        session.commit()
    signed_in_as(phone, live_server, session_factory, ("1.2.246.562.10.00000000001", "admin"))
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{live_server.base_url}/ehoks-virkailija-ui/yllapito/palautetyot?lang={lang}")
        check_page(phone, f"staff-parked-jobs-{lang}")
    assert phone.get_by_role("navigation", name="Staff service").is_visible()
    assert_stacked(phone, "Reason")
    # A job of no plan says so with a dash, not an empty line under "Plan ID".
    assert phone.locator("tbody td").nth(1).inner_text() == "–"
