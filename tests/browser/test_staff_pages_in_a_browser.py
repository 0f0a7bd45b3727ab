"""The staff pages in Chromium: sign-in through the development identity provider (real OpenID
Connect), the organisation choice, the students list and a student's page, in three languages on
a phone, each checked with axe-core (`check_page`). No script is needed anywhere."""

from __future__ import annotations

from tests.browser.accessibility import check_page
from tests.people.conftest import A_SCHOOL, PROVIDER_B
from tests.people.conftest import hoks as hoks  # noqa: PLC0414 - a fixture
from tests.people.conftest import registry as registry  # noqa: PLC0414 - a fixture

UI = "/ehoks-virkailija-ui"
STAFF_OID = "1.2.246.562.24.98765432109"
MATTI = "1.2.246.562.24.44651722625"


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
    phone.get_by_label("Hämeenkylän ammattiopisto").check()
    phone.get_by_role("button", name="Jatka").click()
    phone.wait_for_url(lambda url: url.split("?")[0] == f"{base}{UI}")
    check_page(phone, "staff-start-fi")

    phone.get_by_role("navigation", name="Virkailijan palvelu").get_by_role(
        "link", name="Opiskelijat"
    ).click()
    for lang in ("fi", "sv", "en"):
        phone.goto(f"{base}{UI}/opiskelijat?lang={lang}")
        check_page(phone, f"staff-students-{lang}")
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
