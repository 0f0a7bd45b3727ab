"""The staff pages in Chromium: sign-in through the development identity provider (real OpenID
Connect), the organisation choice, the students list and a student's page, in three languages on
a phone, each checked with axe-core (`check_page`). No script is needed anywhere."""

from __future__ import annotations

from ehoks.access.subjects import SubjectKind
from ehoks.auth.sessions import COOKIE_NAME
from tests.browser.accessibility import check_page
from tests.people.conftest import A_SCHOOL, A_SCHOOL_2, PROVIDER_A, PROVIDER_B
from tests.people.conftest import hoks as hoks  # noqa: PLC0414 - a fixture
from tests.people.conftest import registry as registry  # noqa: PLC0414 - a fixture

UI = "/ehoks-virkailija-ui"
STAFF_OID = "1.2.246.562.24.98765432109"
MATTI = "1.2.246.562.24.44651722625"
MAIJA = "1.2.246.562.24.12312312319"


def sign_in(page, base: str, grants: str) -> None:
    """From the staff start page, through the 401 page and the IdP's picker, back again."""
    page.goto(f"{base}{UI}")
    page.locator('a[href^="/auth/staff/login"]').click()
    page.locator('input[name="persona"][value="staff:"]').check()
    page.locator("#other_oid").fill(STAFF_OID)
    page.locator("#other_name").fill("Outi Opinto-ohjaaja")
    page.locator("summary").click()
    page.locator("#grants").fill(grants)
    page.locator("form button[type=submit]").click()


def test_staff_member_signs_in_chooses_and_finds_a_student(phone, live_server, hoks):
    base = live_server.base_url
    sign_in(phone, base, f"read:{A_SCHOOL} write:{PROVIDER_B}")
    phone.wait_for_url(f"{base}{UI}/organisaatio*")
    check_page(phone, "staff-organisation-fi")
    phone.get_by_label("Hämeenkylän ammattiopisto", exact=True).check()
    phone.get_by_role("button", name="Jatka").click()
    phone.wait_for_url(lambda url: url.split("?")[0] == f"{base}{UI}")
    check_page(phone, "staff-start-fi")

    phone.get_by_role("navigation", name="Virkailijan palvelu").get_by_role(
        "link", name="Opiskelijat"
    ).click()
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{base}{UI}/opiskelijat?lang={lang}")
        check_page(phone, f"staff-students-{lang}")
    # On a phone each student is a card: nothing to swipe, every value under its column's name.
    assert_stacked(phone, "Plan approved")
    phone.set_viewport_size({"width": 1280, "height": 900})
    assert_tabular(phone)  # on a laptop the whole table shows, headings on top
    phone.set_viewport_size({"width": 390, "height": 844})
    # A fragment of the surname, without the accents: Meikäläinen.
    phone.goto(f"{base}{UI}/opiskelijat?lang=fi")
    phone.get_by_label("Nimi").fill("meikal")
    phone.get_by_role("button", name="Hae").click()
    rows = phone.locator("tbody tr")
    assert rows.count() == 2
    rows.first.get_by_role("link").click()
    phone.wait_for_url(f"{base}{UI}/opiskelijat/{MATTI}*")
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{phone.url.split('&lang=')[0]}&lang={lang}")
        check_page(phone, f"staff-student-{lang}")
    assert "Muokkaa" not in phone.content()  # read only at this school


def assert_stacked(page, label: str) -> None:
    """The open page's first table is cards: no sideways scrolling, the headings out of
    sight but in the table, and a cell's column name (`label`) shown above its value."""
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert (
        page.locator(".table--cards tbody tr").first.evaluate("e => getComputedStyle(e).display")
        == "block"
    )
    assert page.locator(".table--cards thead th").count() > 0  # still there for screen readers
    shown = page.locator(".table--cards tbody tr").first.evaluate(
        "row => [...row.cells].map(c => getComputedStyle(c, '::before').content)"
    )
    assert f'"{label}"' in shown, shown


def assert_tabular(page) -> None:
    """The open page's first staff table is a table, fitting the page (a laptop)."""
    assert (
        page.locator(".staff-table tbody tr").first.evaluate("e => getComputedStyle(e).display")
        == "table-row"
    )
    assert page.locator(".staff-table thead").first.is_visible()
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")


def signed_in_as(page, live_server, session_factory, *grants: tuple[str, str]) -> None:
    """A staff session put straight into the browser (the sign-in itself is tested above)."""
    from tests.people.conftest import sign_in

    member = sign_in(
        None,  # type: ignore[arg-type] - no HTTP client needed, only the session
        session_factory,
        live_server.app.state.settings,
        kind=SubjectKind.STAFF,
        principal=f"1.2.246.562.24.{abs(hash(grants)) % 10**11:011d}",
        grants=grants,
    )
    page.context.add_cookies(
        [{"name": COOKIE_NAME, "value": member.token, "url": live_server.base_url}]
    )


def test_reports_on_a_phone_in_three_languages(phone, live_server, session_factory, hoks):
    signed_in_as(phone, live_server, session_factory, (PROVIDER_A, "read"))
    base = live_server.base_url
    reports = {
        "reports": f"{UI}/raportit?",
        "report-study-rights": f"{UI}/raportit/opiskeluoikeudet?",
        "report-periods": f"{UI}/raportit/tyopaikkajaksot?alku=2019-01-01&loppu=2019-12-31&",
        "report-quality": f"{UI}/raportit/tietojen-laatu?",
        "report-plan-quality": f"{UI}/raportit/suunnitelmien-laatu?",
        "report-without-plan": f"{UI}/raportit/ilman-suunnitelmaa?",
    }
    for name, address in reports.items():
        for lang in ("fi", "sv", "en"):
            phone.goto(f"{base}{address}lang={lang}")
            check_page(phone, f"staff-{name}-{lang}")
    phone.goto(f"{base}{reports['report-periods']}lang=fi")
    assert phone.locator("tbody tr").count() == 3  # Maija's three periods in 2019
    assert_stacked(phone, "Työpaikka")
    phone.set_viewport_size({"width": 1280, "height": 900})
    check_page(phone, "staff-report-periods-laptop-fi")
    assert_tabular(phone)
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}{UI}/raportit/tyopaikkajaksot?alku=eilen&lang=fi")
    check_page(phone, "staff-report-periods-error-fi")
    assert phone.locator(".error-summary a[href='#alku']").count() == 1


def test_a_student_without_a_plan_is_found_and_gets_one_on_a_phone(
    phone, live_server, session_factory, hoks
):
    """From the empty students list to the report, and from its row to the new plan's form."""
    signed_in_as(phone, live_server, session_factory, (A_SCHOOL_2, "write"))
    base = live_server.base_url
    phone.goto(f"{base}{UI}/opiskelijat?lang=en")
    check_page(phone, "staff-students-empty-en")
    phone.get_by_role("link", name="Find students without a plan").first.click()
    phone.wait_for_url(f"{base}{UI}/raportit/ilman-suunnitelmaa*")
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{base}{UI}/raportit/ilman-suunnitelmaa?lang={lang}")
        check_page(phone, f"staff-report-without-plan-writer-{lang}")
    assert phone.locator("tbody tr").count() == 1  # Aino Lahtinen's study right
    phone.get_by_role("link", name="Create a plan").click()
    phone.wait_for_url(f"{base}{UI}/opiskelijat/*/uusi-hoks*")
    assert phone.locator("h1").count() == 1


def test_plan_delete_and_restore_on_a_phone(phone, live_server, session_factory, hoks):
    """Without a script: the plan page, the confirmation, the deleted plans, restore."""
    signed_in_as(phone, live_server, session_factory, (A_SCHOOL, "delete"))
    base = live_server.base_url
    plan = f"{base}{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}"
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{plan}?lang={lang}")
        check_page(phone, f"staff-plan-{lang}")
    # The plan's organisations the registry does not know: named so, never a bare OID.
    assert "Unknown organisation (1.2.246.562.10." in phone.locator("main").inner_text()
    bare = phone.locator(".summary-list__value").evaluate_all(
        "cells => cells.map(c => c.innerText.trim()).filter(t => /^1[.]2[.]246[.][0-9.]+$/.test(t))"
    )
    assert bare == []
    phone.goto(f"{plan}?lang=en")
    phone.get_by_role("link", name="Delete the plan").click()
    check_page(phone, "staff-delete-en")
    phone.get_by_role("button", name="Delete the plan").click()
    phone.wait_for_url(f"{base}{UI}/poistetut*")
    check_page(phone, "staff-deleted-en")
    phone.get_by_role("button", name="Restore").first.click()
    phone.wait_for_url(f"{plan}*")
    assert "The plan was restored." in phone.content()


def test_administration_on_a_phone(phone, live_server, session_factory, registry):
    signed_in_as(phone, live_server, session_factory, (A_SCHOOL, "admin"))
    base = live_server.base_url
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{base}{UI}/yllapito?lang={lang}")
        check_page(phone, f"staff-admin-{lang}")
    assert_stacked(phone, "Role")
    phone.get_by_label("System's name").fill("Primus")
    phone.get_by_role("button", name="Add the system").click()
    check_page(phone, "staff-admin-client-created-en")
    assert phone.locator("code").count() == 2  # the client id and the secret, once


def test_plan_history_on_a_phone(phone, live_server, session_factory, hoks, http):
    from tests.people.conftest import sign_in

    writer = sign_in(
        http,
        session_factory,
        live_server.app.state.settings,
        kind=SubjectKind.STAFF,
        principal="1.2.246.562.24.77777777777",
        grants=((A_SCHOOL, "write"),),
    )
    body = {"id": hoks["maija"], "sahkoposti": "maija.uusi@esimerkki.fi"}
    changed = writer.send("PATCH", f"/oppijat/{MAIJA}/hoksit/{hoks['maija']}", body)
    assert changed.status_code == 204
    signed_in_as(phone, live_server, session_factory, (A_SCHOOL, "read"))
    plan = f"{live_server.base_url}{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}"
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{plan}/historia?lang={lang}")
        check_page(phone, f"staff-versions-{lang}")
        phone.goto(f"{plan}/historia/1?lang={lang}")
        check_page(phone, f"staff-version-{lang}")
        phone.goto(f"{plan}/historia/muutokset?vanha=1&uusi=2&lang={lang}")
        check_page(phone, f"staff-changes-{lang}")
        phone.goto(f"{plan}/tapahtumat?lang={lang}")
        check_page(phone, f"staff-seen-{lang}")


def test_a_refused_page_says_who_is_signed_in_and_signs_out_on_a_phone(
    phone, live_server, session_factory, hoks
):
    """A reader opens the plan form: the 403 page names the session and signs out (a post)."""
    signed_in_as(phone, live_server, session_factory, (A_SCHOOL, "read"))
    edit = f"{live_server.base_url}{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}/muokkaa"
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{edit}?lang={lang}")
        check_page(phone, f"staff-refused-{lang}")
    assert phone.get_by_role("link", name="Go to your own pages").is_visible()
    phone.get_by_role("main").get_by_role("button", name="Sign out").click()
    phone.wait_for_url(f"{live_server.base_url}/*")
    phone.goto(edit)
    assert phone.locator("h1").inner_text() == "Please sign in"  # signed out: the 401 page
