"""Sharing in Chromium on a phone: the student makes a link for one unit by hand, a browser
without any session opens it, the student sees the open and withdraws the link; axe-core and
no sideways scrolling on every page, in Finnish, Swedish and English."""

from __future__ import annotations

from ehoks.access.subjects import SubjectKind
from ehoks.auth.sessions import COOKIE_NAME, start_session
from tests.browser.accessibility import check_page
from tests.sharing.conftest import MAIJA, stored_document


def _a_period_page(phone):
    """A workplace period's page, reached from the sharing page's list of periods."""
    phone.locator("#periods-title + p + ul a").first.click()
    assert phone.locator("h1").inner_text() == "Workplace period"
    check_page(phone, "sharing-period-en")


def test_a_link_made_opened_seen_and_withdrawn(
    phone, browser, *, live_server, session_factory, settings, full_plan
):
    hoks_id, _ = full_plan
    unit = stored_document(session_factory, hoks_id)["hankittavat-ammat-tutkinnon-osat"][0]
    workplace = unit["osaamisen-hankkimistavat"][0]["tyopaikalla-jarjestettava-koulutus"]
    with session_factory() as session:
        new = start_session(
            session, settings, kind=SubjectKind.STUDENT.value, principal=MAIJA, display_name="Maija"
        )
        session.commit()
    base = live_server.base_url
    phone.context.add_cookies([{"name": COOKIE_NAME, "value": new.token, "url": base}])

    phone.goto(f"{base}/ehoks/suunnittelu/{hoks_id}?lang=en")
    phone.get_by_role("link", name="Share your plan").click()
    assert phone.locator("h1").inner_text() == "Share your plan"
    check_page(phone, "sharing-empty-en")
    phone.get_by_role("button", name="Make the link").click()  # nothing chosen
    assert phone.locator(".error-summary").is_visible()
    check_page(phone, "sharing-errors-en")
    phone.locator("#sisalto-1").check()  # the first unit
    phone.get_by_label("Whom is the link for?").fill("Työnantaja X")
    phone.get_by_role("button", name="Make the link").click()
    assert "Your link is ready" in phone.locator("main").inner_text()
    check_page(phone, "sharing-created-en")
    address = phone.locator(".share-address a").get_attribute("href")
    assert address is not None
    _a_period_page(phone)

    stranger = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        page = stranger.new_page()
        for lang in ("fi", "sv", "en"):
            page.goto(f"{address}?lang={lang}")
            assert workplace["tyopaikan-nimi"] in page.locator("main").inner_text()
            check_page(page, f"sharing-opened-{lang}")
        main = page.locator("main").inner_text()
        assert unit["osaamisen-osoittaminen"][0]["nayttoymparisto"]["nimi"] in main
        assert MAIJA not in page.content()

        phone.goto(f"{base}/ehoks/suunnittelu/{hoks_id}/jaot?lang=en")
        listing = phone.locator("#links").inner_text()
        assert "For: Työnantaja X" in listing
        assert "3 times" in listing
        phone.get_by_role("button", name="Withdraw the link For: Työnantaja X").click()
        assert "The link was withdrawn" in phone.locator("main").inner_text()
        assert "Removed on" in phone.locator("#links").inner_text()
        check_page(phone, "sharing-withdrawn-en")
        phone.goto(f"{base}/ehoks/suunnittelu/{hoks_id}/tapahtumat?lang=en")
        assert "Opened a share link" in phone.locator("main").inner_text()

        for lang in ("fi", "sv", "en"):
            response = page.goto(f"{address}?lang={lang}")
            assert response is not None
            assert response.status == 410
            assert workplace["tyopaikan-nimi"] not in page.locator("main").inner_text()
            check_page(page, f"sharing-revoked-{lang}")
    finally:
        stranger.close()
