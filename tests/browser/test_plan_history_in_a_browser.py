"""The student's history pages in Chromium on a phone: who has seen the plan, its versions,
one version, what changed; axe-core, no sideways scrolling, in Finnish, Swedish and English."""

from __future__ import annotations

from ehoks.access.subjects import SubjectKind
from ehoks.auth.sessions import COOKIE_NAME, start_session
from tests.browser.accessibility import check_page
from tests.planhistory.conftest import (  # noqa: F401 - fixtures
    MAIJA,
    plan,
    registry,
)


def test_the_history_pages_on_a_phone(phone, live_server, session_factory, settings, plan):  # noqa: F811
    with session_factory() as session:
        new = start_session(
            session, settings, kind=SubjectKind.STUDENT.value, principal=MAIJA, display_name="Maija"
        )
        session.commit()
    base = live_server.base_url
    phone.context.add_cookies([{"name": COOKIE_NAME, "value": new.token, "url": base}])
    pages = {
        "seen": f"/ehoks/suunnittelu/{plan}/tapahtumat?omat=1",
        "versions": f"/ehoks/suunnittelu/{plan}/historia",
        "version": f"/ehoks/suunnittelu/{plan}/historia?paiva=10.1.2026",
        "changes": f"/ehoks/suunnittelu/{plan}/historia/muutokset?vanha=1&uusi=3",
    }
    for lang in ("fi", "sv", "en"):
        for name, path in pages.items():
            phone.goto(f"{base}{path}&lang={lang}" if "?" in path else f"{base}{path}?lang={lang}")
            assert phone.locator("html").get_attribute("lang") == lang
            check_page(phone, f"plan-history-{name}-{lang}")

    # From the plan page to its versions; without script the date form is a plain GET that
    # lands on the version of that day.
    phone.goto(f"{base}/ehoks/suunnittelu/{plan}?lang=en")
    phone.get_by_role("link", name="Versions of the plan").click()
    assert phone.locator("h1").inner_text() == "Versions of the plan"
    phone.get_by_label("Date").fill("25.1.2026")
    phone.get_by_role("button", name="Show the plan on this date").click()
    assert phone.locator("h1").inner_text() == "Version 3 of the plan"
    phone.get_by_role("link", name="What changed in version 3").click()
    assert phone.locator("h1").inner_text() == "Changes from version 2 to version 3"
    check_page(phone, "plan-history-changes-followed-en")
