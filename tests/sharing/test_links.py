"""Share links through the pages: made by the student, opened by a stranger, withdrawn."""

from __future__ import annotations

from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from ehoks.sharing.models import ShareLink
from tests.sharing.conftest import (
    HTML,
    MAIJA,
    VILLE,
    link_address,
    make_link,
    sharing_page,
    stored_document,
    text_of,
)
from tests.studentpages.conftest import parts_of

UNITS = "hankittavat-ammat-tutkinnon-osat"


def _workplace(period):
    return (period.get("tyopaikalla-jarjestettava-koulutus") or {}).get("tyopaikan-nimi")


def _shows_the_unit(text, unit):
    """Every period (workplace, tasks) and demonstration (place, content) of the unit."""
    for period in unit["osaamisen-hankkimistavat"]:
        workplace = period.get("tyopaikalla-jarjestettava-koulutus") or {}
        for shown in [workplace.get("tyopaikan-nimi"), *workplace.get("keskeiset-tyotehtavat", [])]:
            assert shown is None or shown in text
    for demonstration in unit["osaamisen-osoittaminen"]:
        assert demonstration["nayttoymparisto"]["nimi"] in text
        for content in demonstration.get("sisallon-kuvaus", []):
            assert content in text


def _shows_nothing_else(text, unit, document):
    """No other part's periods or demonstrations (unless the shared unit has the same), no
    other unit, no identity, no contact details, no individual criteria."""
    own = str(unit)
    parts = parts_of(document)
    elsewhere = [_workplace(p) for p in parts["periods"]]
    elsewhere += [d["nayttoymparisto"]["nimi"] for d in parts["demonstrations"]]
    elsewhere += [u["nimi"] for u in parts["units"] if u.get("nimi")]
    elsewhere = [name for name in elsewhere if name and name not in own]
    assert len(elsewhere) >= 3  # the test has something to miss
    private = [MAIJA, document["sahkoposti"], document["opiskeluoikeus-oid"], "Prior competence"]
    for demonstration in unit["osaamisen-osoittaminen"]:
        private += demonstration.get("yksilolliset-kriteerit", [])
    assert [p for p in [*elsewhere, *private] if p in text] == []


def test_one_unit_shared_opened_by_a_stranger_seen_and_withdrawn(
    http, student, full_plan, session_factory, stranger
):
    hoks_id, _ = full_plan
    document = stored_document(session_factory, hoks_id)
    units = document[UNITS]
    shared = units[0]
    maija = student(MAIJA)

    created = make_link(maija, hoks_id, sisalto=f"unit:{shared['module-id']}")
    assert created.status_code == 201, text_of(created.text)[:500]
    path = link_address(created)
    secret = path.rsplit("/", 1)[1]
    assert len(secret) >= 43  # 32 random bytes, base64url
    with session_factory() as session:
        row = session.scalars(select(ShareLink)).one()
        assert secret not in (row.secret_hash, row.id)
        assert row.valid_to.toordinal() - row.valid_from.toordinal() == 30

    opened = stranger.get(path + "?lang=en", headers=HTML)
    assert opened.status_code == 200
    assert opened.headers["x-robots-tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in opened.text
    assert opened.headers["cache-control"] == "no-store"
    text = text_of(opened.text)
    _shows_the_unit(text, shared)
    _shows_nothing_else(text, shared, document)

    listing = text_of(sharing_page(maija, hoks_id).text)
    assert "For: Employer X" in listing
    assert "1 time" in listing
    seen = maija.http.get(
        f"/ehoks/suunnittelu/{hoks_id}/tapahtumat?lang=en", headers={**maija.headers, **HTML}
    )
    assert "Opened a share link" in text_of(seen.text)
    assert "The link was made for: Employer X" in text_of(seen.text)
    with session_factory() as session:
        opens = session.scalars(
            select(AuditEvent).where(AuditEvent.operation == "share.open")
        ).all()
        assert [(e.outcome, e.hoks_id, e.subject_kind) for e in opens] == [
            ("success", hoks_id, "share_link")
        ]
        share_id = session.scalars(select(ShareLink.id)).one()

    revoked = maija.http.post(
        f"/ehoks/suunnittelu/{hoks_id}/jaot/{share_id}/peru",
        data={"csrf_token": maija.csrf, "lang": "en"},
        headers={"Cookie": maija.headers["Cookie"], **HTML},
    )
    assert revoked.status_code == 303
    closed = stranger.get(path + "?lang=en", headers=HTML)
    assert closed.status_code == 410
    assert "This link has been withdrawn" in closed.text
    for period in shared["osaamisen-hankkimistavat"]:
        if _workplace(period):
            assert _workplace(period) not in closed.text
    assert "Withdrawn" in text_of(sharing_page(maija, hoks_id).text)


def test_guessed_or_altered_links_find_nothing_and_many_guesses_get_429(
    http, student, full_plan, session_factory, stranger
):
    hoks_id, _ = full_plan
    document = stored_document(session_factory, hoks_id)
    maija = student(MAIJA)
    path = link_address(make_link(maija, hoks_id, sisalto="summary"))
    altered = path[:-1] + ("A" if path[-1] != "A" else "B")
    answer = stranger.get(altered + "?lang=en", headers=HTML)
    assert answer.status_code == 404
    assert "This link does not work" in answer.text
    assert document["UNITS" if False else "sahkoposti"] not in answer.text
    statuses = [stranger.get(f"/jako/guess{n:040d}", headers=HTML).status_code for n in range(25)]
    assert statuses[:19] == [404] * 19
    assert statuses[-1] == 429
    # Over the limit even the right secret waits: the count is per address.
    assert stranger.get(path, headers=HTML).status_code == 429


def test_another_student_cannot_see_or_withdraw_the_links(
    http, student, full_plan, session_factory, stranger
):
    hoks_id, _ = full_plan
    maija, ville = student(MAIJA), student(VILLE)
    path = link_address(make_link(maija, hoks_id, sisalto="prior"))
    with session_factory() as session:
        share_id = session.scalars(select(ShareLink.id)).one()
    assert sharing_page(ville, hoks_id).status_code == 404
    refused = ville.http.post(
        f"/ehoks/suunnittelu/{hoks_id}/jaot/{share_id}/peru",
        data={"csrf_token": ville.csrf, "lang": "en"},
        headers={"Cookie": ville.headers["Cookie"], **HTML},
    )
    assert refused.status_code == 404
    made = make_link(ville, hoks_id, sisalto="summary")
    assert made.status_code == 404
    assert stranger.get(path, headers=HTML).status_code == 200
