"""A workplace instructor's link works once, expires, and shows nothing outside their periods."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ehoks.audit.models import AuditEvent
from ehoks.instructor.models import SignInLink
from tests.instructor.conftest import (
    INSTRUCTOR,
    OTHER_INSTRUCTOR,
    STUDENT_PHONE,
    _period,
    free_port,
    workplace_hoks,
)
from tests.support.api import load_registry, make_caller, owner_of

API = "/ehoks-oppija-backend/api/v1/tyopaikkaohjaaja"
ACCEPTED = {"meta": {}, "data": {}}
ALLOWED_KEYS = {
    "module-id",
    "alku",
    "loppu",
    "osaamisen-hankkimistapa-koodi-uri",
    "ajanjakson-tarkenne",
    "osa-aikaisuustieto",
    "keskeytymisajanjaksot",
    "tyopaikalla-jarjestettava-koulutus",
    "tutkinnon-osa",
    "jarjestajan-edustaja",
    "nakyvissa-asti",
    "opiskelija",
    "naytot",
}


def today():
    return datetime.now(ZoneInfo("Europe/Helsinki")).date()


def create_hoks(web, session_factory, document=None):
    load_registry(session_factory)
    document = document or workplace_hoks(today())
    oppilaitos, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(web, session_factory, oppilaitos)
    created = caller.post("/hoks", document)
    assert created.status_code == 200, created.text
    return caller, created.json()["meta"]["id"]


def ask_link(web, address):
    response = web.post(f"{API}/kirjautumislinkki", json={"sahkoposti": address})
    assert response.status_code == 202, response.text
    assert response.json() == ACCEPTED
    return response


def token_from(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    url = re.search(r"https?://\S+/tyopaikkaohjaaja/kirjaudu\?token=\S+", text)
    assert url, text
    return parse_qs(urlsplit(url.group(0)).query)["token"][0]


def link_for(web, inbox, address):
    ask_link(web, address)
    messages = inbox.to(address.strip().lower())
    assert len(messages) == 1
    return token_from(messages[0])


def sign_in(web, token):
    response = web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": token, "lang": "fi"})
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/tyopaikkaohjaaja/jaksot")
    return response.cookies["ehoks_session"]


def periods(web, cookie):
    response = web.get(f"{API}/jaksot", headers={"Cookie": f"ehoks_session={cookie}"})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def current_module_ids(caller, hoks_id):
    stored = caller.get(f"/hoks/{hoks_id}").json()["data"]
    vocational = stored["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"]
    local = stored["hankittavat-paikalliset-tutkinnon-osat"][0]["osaamisen-hankkimistavat"]
    by_tunniste = {p["yksiloiva-tunniste"]: p["module-id"] for p in vocational + local}
    return stored, by_tunniste


def test_link_works_once_and_shows_only_the_instructors_current_periods(
    web, inbox, session_factory
):
    caller, hoks_id = create_hoks(web, session_factory)
    _, ids = current_module_ids(caller, hoks_id)

    # The address as the instructor types it: case and spaces do not matter.
    token = link_for(web, inbox, "  AIMO.Ohjaaja@esimerkki2.com ")
    message = inbox.to(INSTRUCTOR)[0]
    everything = message.as_string()
    # The e-mail may be forwarded: it names neither the student nor the workplace.
    for secret in ("Virtanen", "Maija", "Ohjausyhtiö", "Testitehtävä"):
        assert secret not in everything
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "kirjaudu?token=" in html
    assert "sign-in link" in everything

    opened = web.get("/tyopaikkaohjaaja/kirjaudu", params={"token": token})
    assert opened.status_code == 200
    assert 'name="token"' in opened.text  # opening the link shows a button, uses nothing up

    cookie = sign_in(web, token)
    data = periods(web, cookie)
    assert [item["module-id"] for item in data] == [ids["current"]]
    item = data[0]
    assert set(item) <= ALLOWED_KEYS
    assert item["opiskelija"] == {"nimi": "Maija Virtanen"}
    assert item["alku"] == (today() - timedelta(days=10)).isoformat()
    assert item["tutkinnon-osa"]["tyyppi"] == "ammatillinen"
    assert item["tutkinnon-osa"]["tutkinnon-osa-koodi-uri"].startswith("tutkinnonosat_")
    assert item["jarjestajan-edustaja"] == {
        "nimi": "Ville Valvoja",
        "rooli": "Valvojan apulainen",
        "oppilaitos-oid": "1.2.246.562.10.54453921329",
        "oppilaitos-nimi": {
            "fi": "Hämeenkylän ammattiopisto",
            "sv": "Hämeenkylä yrkesinstitut",
            "en": "Hämeenkylä Vocational College",
        },
    }
    workplace = item["tyopaikalla-jarjestettava-koulutus"]
    assert workplace["tyopaikan-nimi"] == "Ohjausyhtiö Oy"
    assert workplace["keskeiset-tyotehtavat"] == ["Testitehtävä"]
    assert workplace["vastuullinen-tyopaikka-ohjaaja"] == {"nimi": "Aimo Ohjaaja"}
    text = str(data)
    for hidden in ("erkki.esimerkki", STUDENT_PHONE, "Heikki Hankkija", "1.2.246.562.24."):
        assert hidden not in text
    assert "oppimisymparistot_" not in text

    page = web.get("/tyopaikkaohjaaja/jaksot", headers={"Cookie": f"ehoks_session={cookie}"})
    assert page.status_code == 200
    assert 'lang="fi"' in page.text
    assert "Maija Virtanen" in page.text
    assert "Testitehtävä" in page.text

    # The link works once: the button and the link itself are refused from now on.
    again = web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": token})
    assert again.status_code == 410
    assert "ehoks_session" not in again.cookies
    assert web.get("/tyopaikkaohjaaja/kirjaudu", params={"token": token}).status_code == 410

    with session_factory() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.subject_kind == "workplace_instructor")
        ).all()
    operations = [(e.operation, e.hoks_id, e.outcome) for e in events]
    assert ("session.sign_in", None, "success") in operations
    assert ("instructor.periods.read", hoks_id, "success") in operations
    assert all(e.subject_id == INSTRUCTOR for e in events)


def test_two_simultaneous_uses_of_one_link_open_one_session(web, inbox, session_factory):
    create_hoks(web, session_factory)
    token = link_for(web, inbox, INSTRUCTOR)
    statuses: list[int] = []

    def use() -> None:
        response = web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": token})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=use) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [303, 410, 410, 410]


def test_an_expired_link_is_refused(web, inbox, session_factory):
    create_hoks(web, session_factory)
    token = link_for(web, inbox, INSTRUCTOR)
    with session_factory() as session:
        session.execute(
            update(SignInLink).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        session.commit()
    refused = web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": token, "lang": "en"})
    assert refused.status_code == 410
    assert "Ask for a new link" in refused.text
    assert 'href="/tyopaikkaohjaaja"' in refused.text
    assert "ehoks_session" not in refused.cookies
    assert web.post("/tyopaikkaohjaaja/kirjaudu", data={"token": "made-up"}).status_code == 410


def test_link_expiry_follows_the_setting(web, inbox, session_factory, instructor_server):
    create_hoks(web, session_factory)
    before = datetime.now(UTC)
    link_for(web, inbox, INSTRUCTOR)
    minutes = instructor_server.app.state.settings.instructor_link_minutes
    with session_factory() as session:
        link = session.scalars(select(SignInLink)).one()
    assert link.email == INSTRUCTOR
    assert len(link.token_hash) == 64  # only the SHA-256 of the token is stored
    assert (
        timedelta(0)
        <= link.expires_at - before - timedelta(minutes=minutes)
        < timedelta(seconds=30)
    )


def test_unknown_and_past_addresses_get_the_same_answer_and_no_mail(web, inbox, session_factory):
    document = workplace_hoks(today())
    local = document["hankittavat-paikalliset-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    local["alku"], local["loppu"] = "2019-02-10", "2019-02-15"  # long over
    create_hoks(web, session_factory, document)

    unknown = ask_link(web, "nobody@example.fi")
    past = ask_link(web, OTHER_INSTRUCTOR)
    known = ask_link(web, INSTRUCTOR)
    assert unknown.content == past.content == known.content
    assert [m["To"] for m in inbox.messages] == [INSTRUCTOR]

    bad = web.post(f"{API}/kirjautumislinkki", json={"sahkoposti": "not an address"})
    assert bad.status_code == 400
    assert bad.json()["violations"][0]["path"] == "/sahkoposti"


def test_asking_too_often_sends_nothing_more(web, inbox, session_factory):
    create_hoks(web, session_factory)
    for _ in range(5):
        ask_link(web, INSTRUCTOR)
    assert len(inbox.to(INSTRUCTOR)) == 3


def test_mail_server_down_is_a_503_for_a_known_address(
    web, inbox, session_factory, instructor_server
):
    create_hoks(web, session_factory)
    state = instructor_server.app.state
    working = state.settings
    state.settings = working.model_copy(update={"smtp_port": free_port()})
    try:
        down = web.post(f"{API}/kirjautumislinkki", json={"sahkoposti": INSTRUCTOR})
        unknown = web.post(f"{API}/kirjautumislinkki", json={"sahkoposti": "x@example.fi"})
    finally:
        state.settings = working
    assert down.status_code == 503
    assert down.json()["code"] == "mail_unavailable"
    assert unknown.status_code == 202
    with session_factory() as session:
        assert session.scalars(select(SignInLink)).all() == []  # the undelivered link is gone


def test_another_instructor_sees_only_their_own_period(web, inbox, session_factory):
    caller, hoks_id = create_hoks(web, session_factory)
    _, ids = current_module_ids(caller, hoks_id)
    cookie = sign_in(web, link_for(web, inbox, OTHER_INSTRUCTOR))
    data = periods(web, cookie)
    assert [item["module-id"] for item in data] == [ids["abcd"]]
    assert data[0]["tutkinnon-osa"] == {"tyyppi": "paikallinen", "nimi": "Orientaatio alaan"}
    assert data[0]["naytot"] == []  # the other unit's demonstration is not theirs


def test_changing_the_instructors_address_ends_access_at_once(web, inbox, session_factory):
    caller, hoks_id = create_hoks(web, session_factory)
    cookie = sign_in(web, link_for(web, inbox, INSTRUCTOR))
    assert len(periods(web, cookie)) == 1

    stored, _ = current_module_ids(caller, hoks_id)
    for period in stored["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"]:
        workplace = period["tyopaikalla-jarjestettava-koulutus"]
        workplace["vastuullinen-tyopaikka-ohjaaja"]["sahkoposti"] = "uusi.ohjaaja@esimerkki2.com"
    assert caller.put(f"/hoks/{hoks_id}", stored).status_code == 204
    assert periods(web, cookie) == []


def test_signed_out_callers_get_nothing(web):
    assert web.get(f"{API}/jaksot").status_code == 401
    assert web.get(f"{API}/jaksot", headers={"Cookie": "ehoks_session=forged"}).status_code == 401


def test_the_visibility_window_ends_exactly_at_its_edges(web, inbox, session_factory):
    """From 14 days before a period starts until 30 days after it ends, both days included."""
    day = today()
    document = workplace_hoks(day)
    vocational = document["hankittavat-ammat-tutkinnon-osat"][0]
    template = vocational["osaamisen-hankkimistavat"][0]
    edges = {
        "ended-30-days-ago": (day - timedelta(days=60), day - timedelta(days=30)),
        "ended-31-days-ago": (day - timedelta(days=60), day - timedelta(days=31)),
        "starts-in-14-days": (day + timedelta(days=14), day + timedelta(days=40)),
        "starts-in-15-days": (day + timedelta(days=15), day + timedelta(days=40)),
    }
    vocational["osaamisen-hankkimistavat"] = [
        _period(template, tunniste, alku, loppu) for tunniste, (alku, loppu) in edges.items()
    ]
    caller, hoks_id = create_hoks(web, session_factory, document)
    _, ids = current_module_ids(caller, hoks_id)
    cookie = sign_in(web, link_for(web, inbox, INSTRUCTOR))
    shown = {item["module-id"]: item["nakyvissa-asti"] for item in periods(web, cookie)}
    assert shown == {
        ids["ended-30-days-ago"]: day.isoformat(),  # today is its last visible day
        ids["starts-in-14-days"]: (day + timedelta(days=70)).isoformat(),
    }
