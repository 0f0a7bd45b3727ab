"""The student's pages as a student uses them, in Chromium: signing in from the front page,
reading a plan built from the national full example on a phone, with a keyboard alone, without
JavaScript; every page checked by axe-core in Finnish, Swedish and English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page

from ehoks.kit.formatting import format_date
from ehoks.kit.i18n import Lang
from ehoks.registry.names import names_of
from tests.browser.accessibility import SHOTS, check_page
from tests.browser.conftest import PHONE
from tests.people.conftest import EETU, MAIJA, VILLE
from tests.studentpages.conftest import parts_of

PLANS = "/ehoks/suunnittelu"
SECTIONS = ("goals", "prior", "study", "support", "coming")


def sign_in_from_the_front_page(page: Page, base: str, oid: str) -> None:
    """Front page → the student sign-in → the development IdP's picker → my plans."""
    page.goto(f"{base}/?lang=en")
    page.get_by_role("link", name="Sign in as a student").click()
    page.locator(f'input[name="persona"][value="student:{oid}"]').check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf".*{PLANS}$"))


def _code(unit: dict[str, Any]) -> str | None:
    return unit.get("tutkinnon-osa-koodi-uri") or unit.get("osa-alue-koodi-uri")


def expected_parts(session_factory: Any, document: dict[str, Any]) -> list[str]:
    """What the page must show for each unit, period and demonstration: its name and dates."""
    parts = parts_of(document)
    uris = {
        unit.get("tutkinnon-osa-koodi-uri") or unit.get("osa-alue-koodi-uri")
        for unit in parts["units"]
    } - {None}
    with session_factory() as session:
        names = names_of(session, uris)
    wanted = [names[uri]["en"] if (uri := _code(unit)) else unit["nimi"] for unit in parts["units"]]
    wanted += [
        f"{format_date(record['alku'], Lang.EN)} – {format_date(record['loppu'], Lang.EN)}"
        for record in parts["periods"] + parts["demonstrations"]
    ]
    wanted += [d["nayttoymparisto"]["nimi"] for d in parts["demonstrations"]]
    for period in parts["periods"]:
        workplace = period.get("tyopaikalla-jarjestettava-koulutus")
        if workplace:
            wanted.append(workplace["tyopaikan-nimi"])
    return wanted


def test_a_student_signs_in_from_the_front_page_and_reads_every_part_of_the_plan(
    phone, desktop, live_server, session_factory, full_plan
):
    hoks_id, document = full_plan
    base = live_server.base_url
    sign_in_from_the_front_page(phone, base, MAIJA)
    check_page(phone, "student-plans-en")
    phone.get_by_role("link", name=re.compile("Open the plan")).first.click()
    phone.wait_for_url(f"{base}{PLANS}/{hoks_id}")
    main = phone.locator("main").inner_text()
    wanted = expected_parts(session_factory, document)
    assert len(wanted) > 20
    missing = [text for text in wanted if text not in main]
    assert missing == []
    assert "units completed" in main  # progress in words and numbers
    for lang in ("en", "sv", "fi"):
        phone.goto(f"{base}{PLANS}/{hoks_id}?lang={lang}")
        check_page(phone, f"student-plan-390-{lang}")
    # The same plan on a laptop screen (the session cookie belongs to the phone's profile).
    desktop.context.add_cookies(phone.context.cookies())
    desktop.goto(f"{base}{PLANS}/{hoks_id}?lang=fi")
    check_page(desktop, "student-plan-1280-fi")
    # Printed on A4: the print style sheet leaves out the header's controls and the contents.
    phone.emulate_media(media="print")
    assert phone.locator(".language-switch").is_hidden()
    assert phone.locator(".contents").is_hidden()
    phone.pdf(path=str(SHOTS / "student-plan-a4.pdf"), format="A4")  # a test artefact
    phone.emulate_media(media="screen")

    # Another student's plan is refused with a page, and shows nothing of it.
    phone.goto(f"{base}/?lang=en")
    phone.get_by_role("button", name="Sign out").click()
    phone.wait_for_url(f"{base}/")
    sign_in_from_the_front_page(phone, base, VILLE)
    response = phone.goto(f"{base}{PLANS}/{hoks_id}?lang=en")
    assert response is not None
    assert response.status == 404
    assert phone.locator("h1").inner_text() == "Page not found"
    assert "Ohjausyhtiö" not in phone.content()
    check_page(phone, "student-plan-refused-en")


# Rendering does not depend on the database: one backend is enough for the language sweep.
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_public_and_student_page_in_each_language(
    phone, live_server, session_factory, registry, lang
):
    base = live_server.base_url
    for path, name in (
        ("/", "front"),
        ("/saavutettavuus", "accessibility"),
        ("/ehoks/huoltaja", "guardian"),
        (f"{PLANS}/1", "plan-signed-out"),
    ):
        phone.goto(f"{base}{path}?lang={lang}")
        check_page(phone, f"{name}-{lang}")
    sign_in_from_the_front_page(phone, base, EETU)  # a student with no plans yet
    phone.goto(f"{base}{PLANS}?lang={lang}")
    assert phone.locator(".notice").count() == 1  # the empty state says what to do
    check_page(phone, f"student-plans-empty-{lang}")
    # The guardians' page, opened by a signed-in student, says who they are signed in as.
    phone.goto(f"{base}/ehoks/huoltaja?lang={lang}")
    assert phone.locator(f'.notice a[href="{PLANS}"]').count() == 1
    check_page(phone, f"guardian-signed-in-{lang}")


def _tab_to(page: Page, selector: str, presses: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_keyboard_only_sign_in_and_every_section(desktop, live_server, full_plan):
    hoks_id, _ = full_plan
    base = live_server.base_url
    desktop.goto(f"{base}/?lang=en")
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.className") == "skip-link"
    _tab_to(desktop, 'a[href^="/auth/student/login"]')
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(r".*/dev-idp/authorize.*"))
    _tab_to(desktop, 'input[name="persona"]')
    for _ in range(30):
        if desktop.evaluate("document.activeElement.value") == f"student:{MAIJA}":
            break
        desktop.keyboard.press("ArrowDown")
    assert desktop.evaluate("document.activeElement.checked") is True
    _tab_to(desktop, 'button[type="submit"]')
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(re.compile(rf".*{PLANS}$"))
    _tab_to(desktop, f'a[href="{PLANS}/{hoks_id}"]')
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(f"{base}{PLANS}/{hoks_id}")
    for section in SECTIONS:
        _tab_to(desktop, f'a[href="#{section}"]')
        desktop.keyboard.press("Enter")
        assert desktop.evaluate("location.hash") == f"#{section}"
        assert desktop.locator(f"#{section}").is_visible()


def test_the_pages_work_without_javascript(browser, live_server, full_plan):
    hoks_id, document = full_plan
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in_from_the_front_page(page, live_server.base_url, MAIJA)
        page.goto(f"{live_server.base_url}{PLANS}/{hoks_id}?lang=en")
        main = page.locator("main").inner_text()
        for demonstration in parts_of(document)["demonstrations"]:
            assert demonstration["nayttoymparisto"]["nimi"] in main
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{live_server.base_url}/")
    finally:
        context.close()
