"""The instructors' pages: trilingual, labelled, usable with a plain form post."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import delete

from ehoks.instructor.models import WorkplacePeriod
from tests.instructor.conftest import DEMONSTRATION_PLACE, INSTRUCTOR, OTHER_INSTRUCTOR
from tests.instructor.test_sign_in import create_hoks, today, token_from


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


HEADINGS = {
    "fi": ("Työpaikkaohjaajan kirjautuminen", "Tarkista sähköpostisi", "Kirjaudu"),
    # The long compound word may break on a phone: at its soft hyphen (U+00AD).
    "sv": ("Inloggning för arbetsplats\u00adhandledare", "Kontrollera din e-post", "Logga in"),
    "en": ("Sign-in for workplace instructors", "Check your e-mail", "Sign in"),
}
PERIODS = {
    "fi": ("Ohjattavat työpaikkajaksot", "Keskeiset työtehtävät", "100 %"),
    "sv": ("Arbetsplatsperioder du handleder", "Centrala arbetsuppgifter", "100 %"),
    "en": ("Workplace periods you instruct", "Key work tasks", "100%"),
}
DEMONSTRATIONS = {
    "fi": "Näyttö jakson aikana",
    "sv": "Yrkesprov under perioden",
    "en": "Demonstration during the period",
}
SEEN_UNTIL = {
    "fi": "Näet jakson täällä tähän päivään asti",
    "sv": "Du ser perioden här till och med",
    "en": "You can see this period here until",
}
SCHOOL = {
    "fi": "Hämeenkylän ammattiopisto",
    "sv": "Hämeenkylä yrkesinstitut",
    "en": "Hämeenkylä Vocational College",
}
LINK_USED = {
    "fi": "Kirjautumislinkki on jo käytetty",
    "sv": "Inloggningslänken har redan använts",
    "en": "The sign-in link has already been used",
}


def _dated(value: date, lang: str) -> str:
    if lang == "en":
        return f"{value.day} {value.strftime('%B')} {value.year}"
    return f"{value.day}.{value.month}.{value.year}"


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_every_instructor_page_in_each_language(web, inbox, session_factory, lang):
    create_hoks(web, session_factory)
    form_title, sent_title, confirm_title = HEADINGS[lang]
    form = web.get("/tyopaikkaohjaaja", params={"lang": lang})
    assert f"<h1>{form_title}</h1>" in form.text
    assert f"<title>{form_title.replace(chr(0xAD), '')} – eHOKS</title>" in form.text

    sent = web.post("/tyopaikkaohjaaja", data={"sahkoposti": INSTRUCTOR, "lang": lang})
    assert f"<h1>{sent_title}</h1>" in sent.text
    (message,) = inbox.to(INSTRUCTOR)
    # The e-mail opens in the asker's language and carries the other two after it.
    first_line = message.get_body(preferencelist=("plain",)).get_content().strip().splitlines()[0]
    assert first_line == {"fi": "Hei,", "sv": "Hej,", "en": "Hello,"}[lang]

    token = token_from(message)
    confirm = web.get("/tyopaikkaohjaaja/kirjaudu", params={"token": token, "lang": lang})
    assert f"<h1>{confirm_title}</h1>" in confirm.text
    signed_in = web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": token, "lang": lang})
    cookie = {"Cookie": f"ehoks_session={signed_in.cookies['ehoks_session']}"}
    page = web.get(signed_in.headers["location"], headers=cookie)
    title, tasks, share = PERIODS[lang]
    assert f"<h1>{title}</h1>" in page.text
    assert tasks in page.text
    assert share.replace(" ", "\N{NO-BREAK SPACE}") in page.text
    assert _dated(today() - timedelta(days=10), lang) in page.text
    # The demonstration held during the period, and nothing of the other instructor's period.
    assert DEMONSTRATIONS[lang] in page.text
    assert SEEN_UNTIL[lang] in page.text  # how long the instructor sees the period, in words
    assert DEMONSTRATION_PLACE in page.text
    assert "Orientaatio alaan" not in page.text
    assert f"Ville Valvoja, Valvojan apulainen, {SCHOOL[lang]}" in page.text
    assert 'action="/auth/logout"' in page.text  # signed in: the header offers sign-out
    assert "{" not in page.text.split("<body>")[1]

    used = web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": token, "lang": lang})
    assert used.status_code == 410
    assert f'<html lang="{lang}">' in used.text
    assert LINK_USED[lang] in used.text


def test_no_periods_is_a_page_that_says_so(web, inbox, session_factory):
    create_hoks(web, session_factory)
    web.post("/tyopaikkaohjaaja", data={"sahkoposti": OTHER_INSTRUCTOR, "lang": "en"})
    (message,) = inbox.to(OTHER_INSTRUCTOR)
    signed_in = web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": token_from(message)})
    cookie = {"Cookie": f"ehoks_session={signed_in.cookies['ehoks_session']}"}
    with session_factory() as session:  # the instructor's period is over: nothing to show
        session.execute(delete(WorkplacePeriod))
        session.commit()
    page = web.get("/tyopaikkaohjaaja/jaksot", params={"lang": "en"}, headers=cookie)
    assert page.status_code == 200
    assert "You have no workplace periods visible right now." in page.text
