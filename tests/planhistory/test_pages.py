"""The student's history pages over real HTTP: versions, the plan on a date, what changed, who
has seen the plan; in three languages; nothing of another student's plan."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from sqlalchemy import update

from ehoks.audit import service as audit
from ehoks.feedback.contacts import removal
from ehoks.registry.models import Organisation
from tests.people.conftest import A_SCHOOL
from tests.planhistory.conftest import FIRST_DAY


def page(person, path, **params):
    response = person.http.get(
        path, params=params or None, headers={"Cookie": person.headers["Cookie"]}
    )
    assert response.headers["content-type"].startswith("text/html"), response.text
    return response


def text_of(response) -> str:
    """The main content's text without tags, spaces folded."""
    main = response.text.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _phrases(text: str, *phrases: str) -> list[str]:
    """Those of `phrases` found in `text`."""
    return [phrase for phrase in phrases if phrase in text]


CHANGES = {
    "fi": (
        "Muutokset versiosta 1 versioon 2",
        "Päättyy",
        "14.3.2019",
        "30.4.2019",
        "Keskeiset työtehtävät",
    ),
    "sv": (
        "Ändringar från version 1 till version 2",
        "Slutar",
        "14.3.2019",
        "30.4.2019",
        "Centrala arbetsuppgifter",
    ),
    "en": (
        "Changes from version 1 to version 2",
        "Ends",
        "14 March 2019",
        "30 April 2019",
        "Key work tasks",
    ),
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_what_changed_between_two_versions_in_words(maija, plan, lang):
    title, ends, before, after, tasks = CHANGES[lang]
    shown = page(maija, f"/ehoks/suunnittelu/{plan}/historia/muutokset", vanha=1, uusi=2, lang=lang)
    assert shown.status_code == 200
    assert f"<h1>{title}</h1>" in shown.text
    words = text_of(shown)
    # The period's end and its key tasks, by their labels, with the values as the plan shows them.
    assert re.search(rf"{ends} .*{before} .*{after}", words), words
    assert {tasks, "Asennus", "Huolto"} <= set(_phrases(words, tasks, "Asennus", "Huolto"))
    assert "Testitehtävä" in words  # the tasks before
    assert "2 " in words  # "2 changes" in some language
    assert "loppu" not in words  # field labels, not the model's keys
    assert "Ohjausyhtiö Oy" in words  # the workplace the change is in is named


def test_the_third_version_removed_a_demonstration_and_changed_the_address(maija, plan):
    shown = page(maija, f"/ehoks/suunnittelu/{plan}/historia/muutokset", vanha=2, uusi=3, lang="en")
    words = text_of(shown)
    assert "Removed Demonstration" in words
    assert "Testiympäristö 2" in words  # the removed demonstration, by its environment
    assert re.search(
        r"Changed E-mail .*erkki.esimerkki@esimerkki.com .*maija.uusi@example.fi", words
    )
    # Either order reads oldest first; from 1 to 3 shows both revisions' changes.
    swapped = page(
        maija, f"/ehoks/suunnittelu/{plan}/historia/muutokset", vanha=3, uusi=2, lang="en"
    )
    assert text_of(swapped) == words
    both = text_of(
        page(maija, f"/ehoks/suunnittelu/{plan}/historia/muutokset", vanha=1, uusi=3, lang="en")
    )
    assert set(_phrases(both, "Asennus", "maija.uusi@example.fi")) == {
        "Asennus",
        "maija.uusi@example.fi",
    }


def test_the_versions_and_the_plan_on_a_date(maija, plan):
    listed = page(maija, f"/ehoks/suunnittelu/{plan}/historia", lang="en")
    assert listed.status_code == 200
    words = text_of(listed)
    assert words.index("Version 3") < words.index("Version 2") < words.index("Version 1")
    assert "in force now" in words
    assert f'href="/ehoks/suunnittelu/{plan}/historia/muutokset?vanha=2&amp;uusi=3"' in listed.text

    # 10 January 2026 is in version 1's time; 20 January in version 2's.
    on_tenth = page(maija, f"/ehoks/suunnittelu/{plan}/historia", paiva="10.1.2026", lang="en")
    assert "<h1>Version 1 of the plan</h1>" in on_tenth.text
    assert "as it was at the end of 10 January 2026" in text_of(on_tenth)
    assert "Testiympäristö 2" in text_of(on_tenth)  # the demonstration still there
    on_twentieth = page(maija, f"/ehoks/suunnittelu/{plan}/historia", paiva="2026-01-20", lang="fi")
    assert "<h1>Suunnitelman versio 2</h1>" in on_twentieth.text
    today = page(maija, f"/ehoks/suunnittelu/{plan}/historia", paiva="1.12.2026", lang="en")
    assert "<h1>Version 3 of the plan</h1>" in today.text
    assert "Testiympäristö 2" not in text_of(today)

    before = page(maija, f"/ehoks/suunnittelu/{plan}/historia", paiva="1.1.2026", lang="en")
    assert before.status_code == 200
    assert "did not exist yet on 1.1.2026" in text_of(before)
    assert f"{FIRST_DAY.day} January 2026" in text_of(before)

    wrong = page(maija, f"/ehoks/suunnittelu/{plan}/historia", paiva="31.2.2026", lang="fi")
    assert wrong.status_code == 400
    assert "<title>Virhe:" in wrong.text
    assert 'aria-invalid="true"' in wrong.text
    assert "Anna päivämäärä muodossa" in wrong.text
    # The last days a date can name: the day's end cannot be counted (was a 500).
    for edge in ("31.12.9999", "9999-12-31", "1.1.0001"):
        past = page(maija, f"/ehoks/suunnittelu/{plan}/historia", paiva=edge, lang="fi")
        assert past.status_code == 400, edge

    one = page(maija, f"/ehoks/suunnittelu/{plan}/historia/2", lang="sv")
    assert "<h1>Version 2 av planen</h1>" in one.text
    missing = page(maija, f"/ehoks/suunnittelu/{plan}/historia/9", lang="en")
    assert missing.status_code == 404
    assert "The plan has no version 9." in missing.text


def test_the_plan_page_links_to_its_history(maija, plan):
    shown = page(maija, f"/ehoks/suunnittelu/{plan}", lang="fi")
    assert (
        f'href="/ehoks/suunnittelu/{plan}/tapahtumat">Kuka on nähnyt suunnitelmani<' in shown.text
    )
    assert f'href="/ehoks/suunnittelu/{plan}/historia">Suunnitelman versiot<' in shown.text


def test_another_student_reaches_none_of_it(matti, plan):
    for path in ("tapahtumat", "historia", "historia/1", "historia/muutokset?vanha=1&uusi=2"):
        refused = page(matti, f"/ehoks/suunnittelu/{plan}/{path}")
        assert refused.status_code == 404, path
        assert _phrases(refused.text, "Testiympäristö", "Maija") == []
    assert page(matti, "/ehoks/suunnittelu/999999/historia").status_code == 404


def test_signed_out_is_the_sign_in_page(http, plan):
    response = http.get(f"/ehoks/suunnittelu/{plan}/tapahtumat", headers={"Accept": "text/html"})
    assert response.status_code == 401
    assert "/auth/student/login?return_to=" in response.text


def test_who_has_seen_the_plan(maija, staff, plan):
    empty = page(maija, f"/ehoks/suunnittelu/{plan}/tapahtumat", lang="en")
    assert empty.status_code == 200
    assert "Nobody else has read or changed this plan yet." in empty.text

    reader = staff((A_SCHOOL, "read"))
    for _ in range(3):
        assert reader.get(f"/oppijat/{MAIJA_OID}/hoksit/{plan}").status_code == 200
    seen = text_of(page(maija, f"/ehoks/suunnittelu/{plan}/tapahtumat", lang="fi"))
    assert seen.count("Luki suunnitelman: Hämeenkylän ammattiopisto") == 3
    assert "rooli: lukeminen" in seen
    assert _phrases(seen, reader.staff_oid, "Staff") == []  # never who by name or OID

    # The student's own reads: only when asked for (the pages just opened were recorded).
    mine = text_of(page(maija, f"/ehoks/suunnittelu/{plan}/tapahtumat", omat=1, lang="en"))
    assert "You" in mine
    assert "Read this list" in mine  # the two times this page was opened before
    assert mine.count("Read the plan") >= 3


@pytest.mark.parametrize(
    "said",
    [
        ("fi", "Tuntematon organisaatio"),
        ("sv", "Okänd organisation"),
        ("en", "Unknown organisation"),
    ],
)
def test_an_organisation_the_registry_cannot_name_is_unknown_with_its_oid(
    maija, staff, plan, session_factory, said
):
    lang, words = said
    reader = staff((A_SCHOOL, "read"))
    assert reader.get(f"/oppijat/{MAIJA_OID}/hoksit/{plan}").status_code == 200
    with session_factory() as session:  # the registry lost the school's names
        session.execute(update(Organisation).where(Organisation.oid == A_SCHOOL).values(names={}))
        session.commit()
    shown = page(maija, f"/ehoks/suunnittelu/{plan}/tapahtumat", lang=lang)
    seen = text_of(shown)
    assert f"{words} {A_SCHOOL}" in seen
    assert f': <span class="meta identifier">{A_SCHOOL}' not in shown.text  # never the OID alone
    assert f"{words} <span" in shown.text  # the OID after the words, in small print


def test_the_log_is_paged(maija, staff, plan):
    reader = staff((A_SCHOOL, "read"))
    for _ in range(27):
        assert reader.get(f"/oppijat/{MAIJA_OID}/hoksit/{plan}").status_code == 200
    first = page(maija, f"/ehoks/suunnittelu/{plan}/tapahtumat", lang="en")
    assert "Page 1 of 2 (27 events)" in text_of(first)
    assert text_of(first).count("Read the plan") == 25
    assert _phrases(first.text, 'rel="next"', 'rel="prev"') == ['rel="next"']
    second = page(maija, f"/ehoks/suunnittelu/{plan}/tapahtumat", sivu=2, lang="en")
    assert text_of(second).count("Read the plan") == 2
    past_the_end = page(maija, f"/ehoks/suunnittelu/{plan}/tapahtumat", sivu=40, lang="en")
    assert text_of(past_the_end) == text_of(second)


MAIJA_OID = "1.2.246.562.24.12312312319"


SCHEDULED = {
    "fi": "Palvelun ajastettu tarpeettomien tietojen poisto",
    "sv": "Tjänstens schemalagda borttagning av uppgifter som inte längre behövs",
    "en": "The service's scheduled removal of data no longer needed",
}


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_scheduled_removal_of_contact_data_is_named_as_such(
    maija, staff, plan, session_factory, lang
):
    with session_factory() as session:  # as the daily retention job records it
        audit.record(
            session,
            audit.Event(
                request_id=uuid.uuid4().hex,
                subject_kind="system",
                subject_id="feedback-worker",
                operation=removal.OPERATION,
                outcome=audit.Outcome.SUCCESS,
                hoks_id=plan,
                oppija_oid=MAIJA_OID,
                details={"removed": ["feedback/1/details/ohjaaja_sahkoposti"]},
            ),
        )
        session.commit()
    own = text_of(page(maija, f"/ehoks/suunnittelu/{plan}/tapahtumat", lang=lang))
    reader = staff((A_SCHOOL, "read"))
    staffs = text_of(
        page(
            reader,
            f"/ehoks-virkailija-ui/opiskelijat/{MAIJA_OID}/hoks/{plan}/tapahtumat",
            lang=lang,
        )
    )
    own, staffs = html.unescape(own), html.unescape(staffs)
    for seen in (own, staffs):
        assert SCHEDULED[lang] in seen
        assert _phrases(seen, "Another user", "Palvelun muu käyttäjä", "feedback-worker") == []
    if lang == "en":
        assert "Removed contact details that were no longer needed: " + SCHEDULED["en"] in own
