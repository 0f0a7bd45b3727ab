"""The front page, the accessibility statement and the student's pages over real HTTP."""

from __future__ import annotations

import html
import re

from ehoks.auth.sessions import COOKIE_NAME
from tests.auth.flow import sign_in
from tests.people.conftest import EETU, MAIJA, VILLE
from tests.studentpages.conftest import parts_of

PLANS = "/ehoks/suunnittelu"
HTML = {"Accept": "text/html"}


def _get(person, path: str):
    """A page as the signed-in person's browser asks for it."""
    return person.http.get(path, headers={**person.headers, **HTML})


def _text(page: str) -> str:
    """The page's text without tags, entities decoded (what a person reads)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_front_page_says_what_ehoks_is_and_the_three_ways_in(http):
    for lang, heading in (
        ("fi", "Opintosuunnitelmasi yhdessä paikassa"),
        ("sv", "Din studieplan på ett ställe"),
        ("en", "Your study plan in one place"),
    ):
        page = http.get(f"/?lang={lang}", headers=HTML)
        assert page.status_code == 200
        assert f'<html lang="{lang}">' in page.text
        assert f"<h1>{heading}</h1>" in page.text
        assert 'href="/auth/student/login?return_to=/ehoks/suunnittelu"' in page.text
        assert 'href="/auth/staff/login?return_to=/ehoks-virkailija-ui"' in page.text
        assert 'href="/tyopaikkaohjaaja"' in page.text
        assert 'href="/saavutettavuus"' in page.text


def test_a_signed_in_person_goes_to_their_own_start_page(http, student, registry):
    maija = student(MAIJA)
    response = http.get("/", headers={**HTML, "Cookie": f"{COOKIE_NAME}={maija.token}"})
    assert response.status_code == 303
    assert response.headers["location"] == PLANS
    # An ended session is nobody: the front page as to anyone.
    stale = http.get("/", headers={**HTML, "Cookie": f"{COOKIE_NAME}=not-a-session"})
    assert stale.status_code == 200


def test_the_accessibility_statement_has_what_the_law_asks(http):
    page = http.get("/saavutettavuus?lang=en", headers=HTML)
    assert page.status_code == 200
    text = _text(page.text)
    assert "largely meets the requirements of WCAG 2.1" in text  # how well
    assert "Content that is not accessible" in text  # what does not, and why
    assert "self-assessment" in text  # how it was made
    assert "6 December 2026" in text  # when
    assert "mailto:saavutettavuus@ehoks.invalid" in page.text  # feedback channel
    assert "within 14 days" in text
    assert "Regional State Administrative Agency for Southern Finland" in text  # the authority
    fi = _text(http.get("/saavutettavuus?lang=fi", headers=HTML).text)
    assert "Etelä-Suomen aluehallintovirasto" in fi
    assert "6.12.2026" in fi


def test_my_plans_and_every_part_of_one_plan(http, student, full_plan):
    hoks_id, document = full_plan
    maija = student(MAIJA)
    plans = _get(maija, PLANS + "?lang=en")
    assert plans.status_code == 200
    assert f'href="/ehoks/suunnittelu/{hoks_id}"' in plans.text
    text = _text(plans.text)
    assert "Study right" in text

    page = _get(maija, f"{PLANS}/{hoks_id}?lang=en")
    assert page.status_code == 200
    text = _text(page.text)
    for section in (
        "Goals and basic details",
        "Prior competence",
        "Study plan",
        "Learning support",
    ):
        assert section in text
    parts = parts_of(document)
    assert len(parts["periods"]) >= 3
    assert len(parts["demonstrations"]) >= 6
    for period in parts["periods"]:
        workplace = period.get("tyopaikalla-jarjestettava-koulutus")
        if workplace:
            assert workplace["tyopaikan-nimi"] in text
    for demonstration in parts["demonstrations"]:
        assert demonstration["nayttoymparisto"]["nimi"] in text
    assert "erkki.esimerkki@esimerkki.com" in text
    assert "units completed" in text  # progress in words and numbers
    overview = page.text.split('class="unit-overview"', 1)[1].split("</ul>", 1)[0]
    assert overview.count("<li>") == 3  # every unit to study, with its progress in words
    assert "Scheduled" in overview or "Completed" in overview
    assert f'href="/ehoks/suunnittelu/{hoks_id}/historia"' in page.text
    assert f'href="/ehoks/suunnittelu/{hoks_id}/tapahtumat"' in page.text


def test_another_students_plan_is_a_404_page(http, student, full_plan):
    hoks_id, _ = full_plan
    ville = student(VILLE)
    refused = _get(ville, f"{PLANS}/{hoks_id}?lang=en")
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("text/html")
    assert "Page not found" in refused.text
    assert "Erkki" not in refused.text
    # Ville's own list holds only his own plan.
    listing = _get(ville, PLANS + "?lang=en")
    assert f"/ehoks/suunnittelu/{hoks_id}" not in listing.text


def test_no_plans_yet_is_a_page_with_a_way_forward(http, student, registry):
    page = _get(student(EETU), PLANS + "?lang=en")
    assert page.status_code == 200
    assert "You have no plans yet" in page.text
    assert "ask your teacher or guidance counsellor" in page.text


def test_not_signed_in_is_a_sign_in_page(http):
    page = http.get(f"{PLANS}/1?lang=en", headers=HTML)
    assert page.status_code == 401
    assert "Please sign in" in page.text
    assert "/auth/student/login?return_to=%2Fehoks%2Fsuunnittelu%2F1" in page.text


def test_a_guardian_sees_an_explanation_and_nothing_of_the_child(browser, full_plan):
    response = sign_in(browser, "student", f"guardian:{MAIJA}")
    assert response.status_code == 303
    assert response.headers["location"] == "/ehoks/huoltaja"
    page = browser.get("/ehoks/huoltaja?lang=en", headers=HTML)
    assert page.status_code == 200
    assert "Guardians cannot see a child's plan here" in _text(page.text)
    for private in ("Maija", "Virtanen", "erkki.esimerkki", "Ohjausyhtiö"):
        assert private not in page.text
    assert "If you signed in as a guardian" in _text(page.text)
    assert "You are signed in as" not in _text(page.text)


def test_a_signed_in_student_or_staff_member_on_the_guardian_page_is_told_who_they_are(
    student, staff
):
    eetu = student(EETU)
    for lang, said, not_said in (
        ("fi", "Olet kirjautunut opiskelijana", "Kirjauduit huoltajana"),
        ("sv", "Du är inloggad som studerande", "Du loggade in som vårdnadshavare"),
        ("en", "You are signed in as a student", "signed in as a guardian"),
    ):
        page = _get(eetu, f"/ehoks/huoltaja?lang={lang}")
        assert page.status_code == 200
        assert said in _text(page.text)
        assert not_said not in _text(page.text)
        assert f'href="{PLANS}"' in page.text
        assert "/auth/student/login" not in page.text  # already signed in
    member = staff(("1.2.246.562.10.53642770753", "read"))
    page = _get(member, "/ehoks/huoltaja?lang=en")
    assert "You are signed in as a staff member" in _text(page.text)
    assert "signed in as a guardian" not in _text(page.text)
    assert 'href="/ehoks-virkailija-ui"' in page.text


def test_signing_out_lands_on_the_front_page(browser, full_plan):
    assert sign_in(browser, "student", f"student:{MAIJA}").status_code == 303
    plans = browser.get(PLANS + "?lang=en", headers=HTML)
    assert plans.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', plans.text)
    assert token is not None
    out = browser.post("/auth/logout", data={"csrf_token": token.group(1)}, headers=HTML)
    assert out.status_code == 303
    assert out.headers["location"] == "/"
    assert browser.get(PLANS, headers=HTML).status_code == 401
