"""The pages as people use them, in Chromium: every page checked by axe-core, at phone width
and in each language, with no JavaScript needed (the pages ship none)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.browser.accessibility import check_page, console_problems
from tests.instructor.conftest import INSTRUCTOR
from tests.instructor.test_sign_in import create_hoks, today, token_from
from tests.support.api import load_registry

LANGUAGE_LINKS = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}
STUDENT_LOGIN = "/auth/student/login?return_to=/ehoks-oppija-backend/api/v1/oppija/session"
STAFF_LOGIN = "/auth/staff/login?return_to=/ehoks-virkailija-backend/api/v1/virkailija/session"


def test_the_instructor_signs_in_and_reads_the_periods(
    phone, instructor_server, web, inbox, session_factory
):
    create_hoks(web, session_factory)
    base = instructor_server.base_url
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{base}/tyopaikkaohjaaja?lang={lang}")
        check_page(phone, f"instructor-sign-in-{lang}")

    # A wrong address: the error summary takes the focus and links to the field.
    phone.get_by_label("E-mail address").fill("no-at-sign")
    phone.get_by_role("button", name="Send the link").click()
    assert phone.title().startswith("Error: ")
    assert phone.evaluate("document.activeElement.className") == "error-summary"
    summary_link = phone.locator(".error-summary a")
    assert summary_link.get_attribute("href") == "#email"
    assert phone.get_by_label("E-mail address").get_attribute("aria-invalid") == "true"
    check_page(phone, "instructor-sign-in-error-en")

    phone.get_by_label("E-mail address").fill(INSTRUCTOR)
    phone.get_by_role("button", name="Send the link").click()
    assert phone.locator("h1").inner_text() == "Check your e-mail"
    check_page(phone, "instructor-link-sent-en")

    (message,) = inbox.to(INSTRUCTOR)
    phone.goto(f"{base}/tyopaikkaohjaaja/kirjaudu?token={token_from(message)}")
    check_page(phone, "instructor-confirm-en")  # the language choice was kept (cookie)
    phone.get_by_role("button", name="Sign in").click()
    phone.wait_for_url(re.compile(r".*/tyopaikkaohjaaja/jaksot.*"))
    assert "Maija Virtanen" in phone.locator("main").inner_text()
    check_page(phone, "instructor-periods-en")

    phone.get_by_role("link", name="Suomeksi").click()
    main = phone.locator("main").inner_text()
    started = today() - timedelta(days=10)
    assert f"{started.day}.{started.month}.{started.year}" in main  # dates as Finns write them
    assert "Keskeiset työtehtävät" in main
    assert "Näyttö jakson aikana" in main  # the demonstration held during the period
    check_page(phone, "instructor-periods-fi")
    phone.get_by_role("link", name="På svenska").click()
    assert "Yrkesprov under perioden" in phone.locator("main").inner_text()
    check_page(phone, "instructor-periods-sv")

    phone.get_by_role("button", name="Logga ut").click()
    phone.goto(f"{base}/tyopaikkaohjaaja/jaksot?lang=fi")
    assert phone.locator("h1").inner_text() == "Kirjaudu sisään"
    check_page(phone, "instructor-signed-out-fi")

    # The used link again: a page in the person's language that leads to a new link.
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{base}/tyopaikkaohjaaja/kirjaudu?token={token_from(message)}&lang={lang}")
        assert phone.locator("html").get_attribute("lang") == lang
        assert phone.locator('main a[href="/tyopaikkaohjaaja"]').count() >= 1
        check_page(phone, f"instructor-link-used-{lang}")


def test_the_sign_in_picker_in_every_language(phone, desktop, live_server, session_factory, http):
    load_registry(session_factory)
    base = live_server.base_url
    phone.goto(base + STUDENT_LOGIN)
    assert phone.locator("html").get_attribute("lang") == "fi"
    check_page(phone, "dev-idp-student-fi")
    for lang in ("sv", "en"):
        # The switch is a plain link: it keeps the sign-in request and needs no script.
        phone.get_by_role("link", name=LANGUAGE_LINKS[lang]).click()
        assert phone.locator("html").get_attribute("lang") == lang
        check_page(phone, f"dev-idp-student-{lang}")
    desktop.goto(base + STAFF_LOGIN)
    check_page(desktop, "dev-idp-staff-fi")


def _failure(page, html: str) -> str:
    page.set_content(html)
    with pytest.raises(AssertionError) as failure:
        check_page(page, "deliberately-broken")
    return str(failure.value)


def test_the_page_check_fails_on_a_page_that_breaks_the_rules(phone):
    """The check can fail: an unlabelled field and grey-on-white text; a too-wide box."""
    head = '<html lang="en"><head><title>Bad</title></head><body><main><h1>Bad</h1>'
    broken = _failure(phone, head + '<input type="text"><p style="color:#bbb">faint</p>')
    assert "label" in broken
    assert "color-contrast" in broken
    wide = _failure(phone, head + '<div style="width:900px">wide</div></main></body></html>')
    assert "in a 390 px viewport" in wide


def test_the_api_documentation_runs_under_the_content_security_policy(desktop, live_server):
    desktop.goto(live_server.base_url + "/docs")
    # Swagger UI's own script (served with the page) and its start-up file both ran.
    desktop.wait_for_selector("#swagger-ui .swagger-ui", state="attached", timeout=20_000)
    refused = [text for text in console_problems(desktop) if "Content Security Policy" in text]
    assert refused == []
