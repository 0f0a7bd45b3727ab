"""The instructors' pages: trilingual, labelled, usable with a plain form post."""

from __future__ import annotations

from tests.instructor.conftest import INSTRUCTOR
from tests.instructor.test_sign_in import create_hoks, token_from


def test_sign_in_page_speaks_the_asked_language(web):
    finnish = web.get("/tyopaikkaohjaaja")
    assert finnish.status_code == 200
    assert finnish.headers["content-type"].startswith("text/html")
    assert '<html lang="fi">' in finnish.text
    assert 'for="email">Sähköpostiosoite</label>' in finnish.text
    assert 'name="viewport"' in finnish.text

    swedish = web.get("/tyopaikkaohjaaja", headers={"Accept-Language": "sv-FI,sv;q=0.9"})
    assert '<html lang="sv">' in swedish.text
    english = web.get("/tyopaikkaohjaaja", params={"lang": "en"})
    assert '<html lang="en">' in english.text
    assert "E-mail address" in english.text


def test_the_form_sends_a_link_without_javascript(web, inbox, session_factory):
    create_hoks(web, session_factory)
    sent = web.post("/tyopaikkaohjaaja", data={"sahkoposti": INSTRUCTOR, "lang": "en"})
    assert sent.status_code == 202
    assert "Check your e-mail" in sent.text
    (message,) = inbox.to(INSTRUCTOR)

    unknown = web.post("/tyopaikkaohjaaja", data={"sahkoposti": "who@example.fi", "lang": "en"})
    assert unknown.status_code == 202
    assert unknown.text == sent.text
    assert len(inbox.messages) == 1

    wrong = web.post("/tyopaikkaohjaaja", data={"sahkoposti": "no-at-sign", "lang": "fi"})
    assert wrong.status_code == 400
    assert 'aria-invalid="true"' in wrong.text

    token = token_from(message)
    confirm = web.get("/tyopaikkaohjaaja/kirjaudu", params={"token": token, "lang": "sv"})
    assert '<html lang="sv">' in confirm.text
    foreign = web.post(
        "/tyopaikkaohjaaja/kirjaudu",
        data={"token": token},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    signed_in = web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": token, "lang": "sv"})
    assert signed_in.status_code == 303
    cookie = signed_in.cookies["ehoks_session"]
    page = web.get(signed_in.headers["location"], headers={"Cookie": f"ehoks_session={cookie}"})
    assert page.status_code == 200
    assert '<html lang="sv">' in page.text
    assert "Maija Virtanen" in page.text
