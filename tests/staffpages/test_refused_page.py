"""The page of a refusal (403) to a signed-in person: who they are signed in as, their own start
page, another organisation (staff) and signing out, as a form post with the session's token."""

from __future__ import annotations

from tests.people.conftest import A_SCHOOL, MAIJA
from tests.people.conftest import student as student  # noqa: PLC0414 - a fixture
from tests.staffpages.conftest import UI, page, text_of

SIGN_OUT = '<form method="post" action="/auth/logout">'


def test_a_student_on_a_staff_page_is_told_who_they_are_with_the_way_back(registry, student):
    maija = student(MAIJA)
    for lang, words in (
        ("fi", "Olet kirjautunut opiskelijana"),
        ("sv", "Du är inloggad som studerande"),
        ("en", "You are signed in as a student"),
    ):
        refused = page(maija, f"{UI}/opiskelijat", params={"lang": lang})
        assert refused.status_code == 403
        assert words in text_of(refused)
        assert 'href="/ehoks/suunnittelu"' in refused.text  # their own start page
        assert SIGN_OUT in refused.text
        assert f'name="csrf_token" value="{maija.csrf}"' in refused.text
        assert f"{UI}/organisaatio" not in refused.text  # a student has no organisations


def test_a_reader_refused_the_plan_form_sees_their_name_organisation_choice_and_sign_out(
    hoks, staff
):
    reader = staff((A_SCHOOL, "read"))
    refused = page(reader, f"{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}/muokkaa?lang=en")
    assert refused.status_code == 403
    words = text_of(refused)
    assert "You are signed in as a staff member" in words
    assert "needs the write role" in words  # the role in words of the page's language
    finnish = page(reader, f"{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}/muokkaa?lang=fi")
    assert "vaatii roolin kirjoitus" in text_of(finnish)
    assert "roolin write" not in text_of(finnish)
    assert "Test Person" in words  # their name, as the sign-in gave it
    assert f'href="{UI}"' in refused.text
    assert f'href="{UI}/organisaatio"' in refused.text
    assert SIGN_OUT in refused.text
    assert f'name="csrf_token" value="{reader.csrf}"' in refused.text


def test_a_page_not_found_leads_a_signed_in_student_to_their_own_pages(registry, student):
    maija = student(MAIJA)
    missing = page(maija, "/ehoks/suunnittelu/999999", params={"lang": "en"})
    assert missing.status_code == 404
    assert "Go to your own pages" in text_of(missing)
    assert 'href="/ehoks/suunnittelu"' in missing.text
    assert "Go to the front page" not in text_of(missing)


def test_a_refusal_without_a_session_names_no_one(http, registry):
    """A provider's API answers JSON; a page without a session is the sign-in (401)."""
    response = http.get(f"{UI}/opiskelijat", headers={"Accept": "text/html"})
    assert response.status_code == 401
    assert "You are signed in as" not in response.text
    assert SIGN_OUT not in response.text
