"""What each kind of link shows, the days it opens, and the form's errors."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from ehoks.sharing.models import ShareLink
from tests.sharing.conftest import (
    HTML,
    MAIJA,
    link_address,
    make_link,
    stored_document,
    text_of,
)


def _today():
    return datetime.now(ZoneInfo("Europe/Helsinki")).date()


def test_prior_competence_summary_and_contacts_only_when_chosen(
    http, student, full_plan, session_factory, stranger
):
    hoks_id, _ = full_plan
    document = stored_document(session_factory, hoks_id)
    maija = student(MAIJA)
    prior = text_of(
        stranger.get(link_address(make_link(maija, hoks_id, sisalto="prior")) + "?lang=en").text
    )
    assert "Prior competence" in prior
    assert "Study plan" not in prior
    assert document["sahkoposti"] not in prior
    for unit in document["aiemmin-hankitut-paikalliset-tutkinnon-osat"]:
        assert unit["nimi"] in prior

    made = make_link(maija, hoks_id, sisalto="summary", yhteystiedot="1")
    summary = text_of(stranger.get(link_address(made) + "?lang=en").text)
    assert "The plan at a glance" in summary
    assert "units completed" in summary
    assert document["sahkoposti"] in summary  # chosen
    for unit in document["hankittavat-paikalliset-tutkinnon-osat"]:
        assert unit["nimi"] in summary
    # The summary names the units, not their periods.
    for unit in document["hankittavat-ammat-tutkinnon-osat"]:
        for period in unit["osaamisen-hankkimistavat"]:
            workplace = period.get("tyopaikalla-jarjestettava-koulutus") or {}
            assert not workplace or workplace["tyopaikan-nimi"] not in summary


def test_a_link_opens_only_on_its_days(http, student, full_plan, session_factory, stranger):
    hoks_id, _ = full_plan
    maija = student(MAIJA)
    today = _today()
    later = today + timedelta(days=3)
    path = link_address(
        make_link(
            maija, hoks_id, sisalto="summary", alkaa=f"{later.day}.{later.month}.{later.year}"
        )
    )
    waiting = stranger.get(path + "?lang=en", headers=HTML)
    assert waiting.status_code == 423
    assert "This link is not open yet" in waiting.text
    assert "units completed" not in waiting.text
    with session_factory() as session:
        session.execute(
            update(ShareLink).values(
                valid_from=today - timedelta(days=40), valid_to=today - timedelta(days=1)
            )
        )
        session.commit()
    ended = stranger.get(path + "?lang=fi", headers=HTML)
    assert ended.status_code == 410
    assert "Tämän linkin voimassaolo on päättynyt" in ended.text
    assert "units completed" not in ended.text


def test_the_forms_errors_are_shown_at_their_fields(http, student, full_plan, session_factory):
    hoks_id, _ = full_plan
    maija = student(MAIJA)
    today = _today()
    refused = make_link(
        maija,
        hoks_id,
        sisalto="unit:00000000-0000-4000-8000-000000000000",
        kenelle="",
        paattyy=(today + timedelta(days=500)).isoformat(),
    )
    assert refused.status_code == 400
    text = text_of(refused.text)
    assert "The plan has no such part to share." in text
    assert "Say whom the link is for" in text
    assert "A link can be open for at most a year." in text
    assert 'href="#sisalto"' in refused.text
    assert 'href="#kenelle"' in refused.text
    assert 'href="#paattyy"' in refused.text
    bad_day = make_link(maija, hoks_id, sisalto="summary", alkaa="32.1.2026")
    assert bad_day.status_code == 400
    assert "Give the date as 31.12.2026." in text_of(bad_day.text)
    nothing = make_link(maija, hoks_id, kenelle="X")
    assert nothing.status_code == 400
    assert "Choose what to share" in text_of(nothing.text)
    with session_factory() as session:
        assert session.query(ShareLink).count() == 0


def test_a_sub_area_of_a_common_unit(http, student, full_plan, session_factory, stranger):
    hoks_id, _ = full_plan
    document = stored_document(session_factory, hoks_id)
    common = document["hankittavat-yhteiset-tutkinnon-osat"][0]
    area = common["osa-alueet"][0]
    maija = student(MAIJA)
    path = link_address(make_link(maija, hoks_id, sisalto=f"unit:{area['module-id']}"))
    page = stranger.get(path + "?lang=en", headers=HTML)
    assert page.status_code == 200
    text = text_of(page.text)
    for demonstration in area.get("osaamisen-osoittaminen", []):
        assert demonstration["nayttoymparisto"]["nimi"] in text
    others = [a for c in document["hankittavat-yhteiset-tutkinnon-osat"] for a in c["osa-alueet"]]
    for other in others[1:]:
        for demonstration in other.get("osaamisen-osoittaminen", []):
            name = demonstration["nayttoymparisto"]["nimi"]
            assert name in str(area) or name not in text
