"""The staff plan form in Chromium, in the whole journey of a plan: a member finds a student by a
fragment of the surname, creates a plan with a vocational unit, a workplace period and a
demonstration through a validation error; edits it; a second browser's save in between is shown
on the conflict page and the change re-applied; the difference between two versions is read in
the plan's words; the plan is deleted and restored. Also: a plan filled and saved by keyboard
alone, and a member who may only read refused. The form and the conflict page are checked in
three languages on a phone (`check_page`). No script runs on these pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, Page

from tests.browser.accessibility import check_page, watch
from tests.browser.conftest import PHONE
from tests.people.conftest import A_SCHOOL, MATTI
from tests.people.conftest import hoks as hoks  # noqa: PLC0414 - a fixture
from tests.people.conftest import registry as registry  # noqa: PLC0414 - a fixture

UI = "/ehoks-virkailija-ui"
UNIT = "hankittavat-ammat-tutkinnon-osat.0"
PERIOD = f"{UNIT}.osaamisen-hankkimistavat.0"
WORKPLACE = f"{PERIOD}.tyopaikalla-jarjestettava-koulutus"
SHOW = f"{UNIT}.osaamisen-osoittaminen.0"
HELSINKI = ZoneInfo("Europe/Helsinki")


def sign_in(page: Page, base: str, grants: str, oid: str) -> None:
    """Through the development identity provider's picker as staff member `oid`."""
    page.goto(f"{base}/auth/staff/login?return_to={UI}")
    page.locator('input[name="persona"][value="staff:"]').check()
    page.locator("#other_oid").fill(oid)
    page.locator("#other_name").fill(f"Virkailija {oid[-3:]}")
    page.locator("summary").click()
    page.locator("#grants").fill(grants)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: url.startswith(f"{base}{UI}"))


def field(page: Page, name: str):
    return page.locator(f'[id="f-{name}"]')


def press(page: Page, action: str) -> None:
    """An "add" or "remove" button of the form (a round trip to the server)."""
    page.locator(f'button[name="action"][value="{action}"]').click()
    page.wait_for_load_state()


def save(page: Page) -> None:
    page.locator('button[name="action"][value="save"]').first.click()
    page.wait_for_load_state()


def new_member(browser: Browser, base: str, grants: str, oid: str) -> Page:
    context = browser.new_context(viewport=PHONE, locale="fi-FI", is_mobile=True, has_touch=True)
    page = watch(context.new_page())
    sign_in(page, base, grants, oid)
    return page


def test_a_plan_from_finding_the_student_to_restoring_it(browser, live_server, hoks):
    base = live_server.base_url
    first = new_member(
        browser, base, f"write:{A_SCHOOL} delete:{A_SCHOOL}", "1.2.246.562.24.98765432101"
    )
    find_and_open_the_new_plan_form(first, base)
    edit = create_through_an_error(first)

    # An edit, saved as a new revision.
    field(first, "sahkoposti").fill("matti@example.com")
    save(first)
    first.wait_for_url("**/muokkaa?tallennettu=1*")
    assert field(first, "sahkoposti").input_value() == "matti@example.com"

    conflict_and_reapply(browser, base, first, edit)
    plan = edit.removesuffix("/muokkaa")
    read_what_the_other_member_changed(first, plan)
    delete_and_restore(first, plan)

    # A member who may only read gets no form.
    reader = new_member(browser, base, f"read:{A_SCHOOL}", "1.2.246.562.24.98765432103")
    response = reader.goto(edit)
    assert response is not None
    assert response.status == 403
    check_page(reader, "plan-form-refused-fi")


def find_and_open_the_new_plan_form(first: Page, base: str) -> None:
    """The students list searched by a fragment of the surname without its accents
    (Meikäläinen), the student's page, and its "create a plan" button."""
    first.goto(f"{base}{UI}/opiskelijat?lang=en")
    first.get_by_label("Name", exact=True).fill("meikal")
    first.get_by_role("button", name="Search", exact=True).click()
    first.locator("tbody tr").filter(has_text="Matti").first.get_by_role("link").click()
    first.wait_for_url(f"{base}{UI}/opiskelijat/{MATTI}*")
    first.get_by_role("link", name="Create a plan").click()
    first.wait_for_url(f"{base}{UI}/opiskelijat/{MATTI}/uusi-hoks")


def create_through_an_error(first: Page) -> str:
    """A plan with a unit, a workplace period and a demonstration, made on the new plan form
    open in `first`; its edit address."""
    form = first.url
    for lang in ("sv", "en", "fi"):
        first.goto(f"{form}?lang={lang}")
        check_page(first, f"plan-form-new-{lang}")

    study_right = field(first, "opiskeluoikeus-oid")
    offered = study_right.locator("option").evaluate_all("all => all.map(o => o.value)")
    study_right.select_option(next(value for value in offered if value))
    field(first, "ensikertainen-hyvaksyminen").fill("15.1.2026")
    first.locator('[id="f-osaamisen-hankkimisen-tarve-1"]').check()
    press(first, "add:hankittavat-ammat-tutkinnon-osat")
    assert field(first, "ensikertainen-hyvaksyminen").input_value() == "15.1.2026"
    field(first, f"{UNIT}.tutkinnon-osa-koodi-uri").select_option("tutkinnonosat_100031")
    field(first, f"{UNIT}.tutkinnon-osa-koodi-versio").fill("1")
    press(first, f"add:{UNIT}.osaamisen-hankkimistavat")
    today = datetime.now(HELSINKI).date()
    start, end = today - timedelta(days=10), today + timedelta(days=80)
    field(first, f"{PERIOD}.alku").fill(f"{start.day}.{start.month}.{start.year}")
    field(first, f"{PERIOD}.loppu").fill(f"{end.day}.{end.month}.{end.year}")
    field(first, f"{PERIOD}.osaamisen-hankkimistapa-koodi-uri").select_option(
        "osaamisenhankkimistapa_koulutussopimus"
    )
    field(first, f"{PERIOD}.osaamisen-hankkimistapa-koodi-versio").fill("1")
    field(first, f"{PERIOD}.osa-aikaisuustieto").fill("100")
    press(first, f"add:{WORKPLACE}")
    field(first, f"{WORKPLACE}.tyopaikan-nimi").fill("Autokorjaamo Oy")
    field(first, f"{WORKPLACE}.tyopaikan-y-tunnus").fill("1234567-1")
    field(first, f"{WORKPLACE}.vastuullinen-tyopaikka-ohjaaja.nimi").fill("Olli Ohjaaja")
    press(first, f"add:{WORKPLACE}.keskeiset-tyotehtavat")
    field(first, f"{WORKPLACE}.keskeiset-tyotehtavat.0").fill("Öljynvaihto")
    press(first, f"add:{UNIT}.osaamisen-osoittaminen")
    field(first, f"{SHOW}.alku").fill(f"{end.day}.{end.month}.{end.year}")
    field(first, f"{SHOW}.nayttoymparisto.nimi").fill("Autokorjaamo Oy")
    # The demonstration's last day is left out: the service's validator says so.
    save(first)
    summary = first.locator(".error-summary")
    assert summary.is_visible()
    link = summary.locator(f'a[href="#f-{SHOW}.loppu"]')
    assert link.count() == 1
    check_page(first, "plan-form-errors-fi")
    link.click()
    assert first.evaluate("document.activeElement.id") == f"f-{SHOW}.loppu"
    field(first, f"{SHOW}.loppu").fill(f"{end.day}.{end.month}.{end.year}")
    save(first)
    first.wait_for_url("**/muokkaa?tallennettu=1*")
    edit = first.url.split("?")[0]
    assert first.locator(".notice--success").is_visible()
    assert field(first, f"{WORKPLACE}.keskeiset-tyotehtavat.0").input_value() == "Öljynvaihto"
    for lang in ("sv", "en", "fi"):
        first.goto(f"{edit}?lang={lang}")
        check_page(first, f"plan-form-edit-{lang}")
    return edit


def conflict_and_reapply(browser: Browser, base: str, first: Page, edit: str) -> None:
    # The first member has the plan open in three languages; a second member saves meanwhile.
    stale = {}
    for lang in ("fi", "sv", "en"):
        stale[lang] = first.context.new_page() if lang != "fi" else first
        stale[lang].goto(f"{edit}?lang={lang}")
        field(stale[lang], "puhelinnumero").fill("040 123 4567")
    second = new_member(browser, base, f"write:{A_SCHOOL}", "1.2.246.562.24.98765432102")
    second.goto(edit)
    field(second, f"{WORKPLACE}.tyopaikan-nimi").fill("Autokorjaamo Virtanen Oy")
    save(second)
    second.wait_for_url("**/muokkaa?tallennettu=1*")

    for lang in ("en", "sv", "fi"):
        save(stale[lang])
        assert "Autokorjaamo Virtanen Oy" in stale[lang].content()
        check_page(stale[lang], f"plan-conflict-{lang}")
    first.locator('button[name="action"][value="reapply"]').click()
    first.wait_for_load_state()
    assert field(first, "puhelinnumero").input_value() == "040 123 4567"
    assert field(first, f"{WORKPLACE}.tyopaikan-nimi").input_value() == "Autokorjaamo Virtanen Oy"
    save(first)
    first.wait_for_url("**/muokkaa?tallennettu=1*")
    assert field(first, "puhelinnumero").input_value() == "040 123 4567"
    assert field(first, f"{WORKPLACE}.tyopaikan-nimi").input_value() == "Autokorjaamo Virtanen Oy"


def read_what_the_other_member_changed(first: Page, plan: str) -> None:
    """Version 3 is the second member's save: the workplace's name, in the plan's own words and
    placed in its unit, before and after."""
    first.goto(f"{plan}?lang=en")
    first.get_by_role("link", name="Versions of the plan and what changed").click()
    first.get_by_role("link", name="What changed in version 3").click()
    first.wait_for_url(f"{plan}/historia/muutokset?vanha=2&uusi=3*")
    changes = first.locator(".change-list__item")
    assert changes.count() == 1
    change = changes.first
    assert change.locator(".change-list__kind").text_content() == "Changed"
    assert change.locator("strong:not(.change-list__kind)").inner_text() == "Workplace"
    assert "tyopaikan-nimi" not in change.inner_text()
    assert change.locator("dd").all_inner_texts() == ["Autokorjaamo Oy", "Autokorjaamo Virtanen Oy"]
    # Any two versions: from the first to the latest.
    first.goto(f"{plan}/historia?lang=en")
    first.get_by_label("Older version").select_option("1")
    first.get_by_role("button", name="Show the changes").click()
    first.wait_for_url(f"{plan}/historia/muutokset?vanha=1&uusi=4*")
    listed = first.locator(".change-list").inner_text()
    assert "matti@example.com" in listed
    assert "040 123 4567" in listed
    assert "Autokorjaamo Virtanen Oy" in listed


def delete_and_restore(first: Page, plan: str) -> None:
    """The confirmation names the plan; the deleted plan is gone from its address and listed
    among the deleted plans, whose button brings it back."""
    hoks_id = plan.rsplit("/", 1)[1]
    first.goto(f"{plan}?lang=en")
    first.get_by_role("link", name="Delete the plan").click()
    assert hoks_id in first.locator("main .summary-list").first.inner_text()
    first.get_by_role("button", name="Delete the plan").click()
    first.wait_for_url(f"**/poistetut?poistettu={hoks_id}*")
    response = first.goto(f"{plan}?lang=en")
    assert response is not None
    assert response.status == 404
    first.go_back()
    first.locator(f'form[action$="/poistetut/{hoks_id}/palauta"] button').click()
    first.wait_for_url(f"{plan}?palautettu=1*")
    assert "The plan was restored." in first.content()
    assert first.get_by_role("link", name="Edit the plan").is_visible()


def test_the_new_plan_form_is_filled_and_saved_by_keyboard_alone(phone, live_server, registry):
    base = live_server.base_url
    sign_in(phone, base, f"write:{A_SCHOOL}", "1.2.246.562.24.98765432104")
    phone.goto(f"{base}{UI}/opiskelijat/{MATTI}/uusi-hoks")
    keys = phone.keyboard

    def tab_to(element_id: str) -> None:
        for _ in range(200):
            keys.press("Tab")
            if phone.evaluate("document.activeElement.id") == element_id:
                return
        raise AssertionError(f"Tab never reached {element_id}")

    tab_to("f-opiskeluoikeus-oid")
    keys.press("ArrowDown")  # the first study right offered
    tab_to("f-ensikertainen-hyvaksyminen")
    keys.type("2.2.2026")
    tab_to("f-osaamisen-hankkimisen-tarve-1")
    keys.press("Space")
    keys.press("Enter")  # the form's first button: save
    phone.wait_for_url("**/muokkaa?tallennettu=1*")
    assert phone.locator(".notice--success").is_visible()
    assert field(phone, "ensikertainen-hyvaksyminen").input_value() == "2.2.2026"
