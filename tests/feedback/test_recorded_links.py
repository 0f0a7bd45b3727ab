"""The provider API's legacy survey-link routes: a link made by the provider's own system,
recorded for a HOKS, shows where this service's own links show, and its invitation is recorded."""

from __future__ import annotations

from datetime import timedelta

from ehoks.feedback.worker.run import run_once
from tests.feedback.conftest import (
    MATTI,
    MATTI_RIGHTS,
    events,
    feedback_rows,
    post,
    start_plan,
    today,
    weekday_morning,
)
from tests.people.conftest import A_SCHOOL, PROVIDER_B
from tests.support.api import make_caller, violations

LINK = "https://arvovastaus.example.fi/v/Provider1"


def _new_link(**fields: str) -> dict[str, str]:
    return {"kyselylinkki": LINK, "alkupvm": today().isoformat(), "tyyppi": "aloittaneet", **fields}


def test_a_recorded_link_shows_to_the_student_and_to_staff(
    caller, http, session_factory, student, staff
):
    # A plan without its approval date: no survey of this service's own.
    hoks_id = post(caller, start_plan(**{"ensikertainen-hyvaksyminen": "2019-03-18"}))
    recorded = caller.post(f"/hoks/{hoks_id}/kyselylinkki", _new_link())
    assert recorded.status_code == 204, recorded.text
    again = caller.post(f"/hoks/{hoks_id}/kyselylinkki", _new_link())
    assert again.status_code == 204, again.text
    (row,) = [r for r in feedback_rows(session_factory) if r.link == LINK]
    assert (row.kind, row.state, row.hoks_id, row.oppija_oid) == (
        "aloittaneet",
        "kysely_muodostettu",
        hoks_id,
        MATTI,
    )
    assert [e.event for e in events(session_factory, row.id)] == ["linkki_tallennettu"]

    matti = student(MATTI)
    assert matti.get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == [LINK]
    plans = matti.http.get("/ehoks/suunnittelu", headers=matti.headers, params={"lang": "en"})
    assert f'href="{LINK}"' in plans.text

    reader = staff((A_SCHOOL, "read"))
    (survey,) = reader.get(f"/oppijat/{MATTI}/hoksit/{hoks_id}/opiskelijapalaute").json()["data"]
    assert (survey["kyselytyyppi"], survey["tila"]) == ("aloittaneet", "kysely_muodostettu")
    page = f"/ehoks-virkailija-ui/opiskelijat/{MATTI}/hoks/{hoks_id}/palaute"
    shown = reader.http.get(page, headers=reader.headers, params={"lang": "en"})
    assert "The provider&#39;s own system" in shown.text

    sent_on = today().isoformat()
    update = {"kyselylinkki": LINK, "lahetyspvm": sent_on, "sahkoposti": "matti@example.fi"}
    patched = caller.patch("/hoks/kyselylinkki", {**update, "lahetystila": "lahetetty"})
    assert patched.status_code == 204, patched.text
    (survey,) = reader.get(f"/oppijat/{MATTI}/hoksit/{hoks_id}/opiskelijapalaute").json()["data"]
    assert (survey["tila"], survey["sahkoposti-tila"]) == ("lahetetty", "lahetetty")
    assert survey["lahetetty"].startswith(sent_on)
    assert [e["tapahtuma"] for e in survey["tapahtumat"]] == [
        "linkki_tallennettu",
        "linkin_tila_paivitetty",
    ]
    answered = caller.patch("/hoks/kyselylinkki", {**update, "lahetystila": "vastattu"})
    assert answered.status_code == 204
    assert matti.get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == []


def test_only_recorded_links_of_your_own_hoks_can_be_updated(  # noqa: PLR0917 - fixtures
    caller, http, session_factory, context, arvo, inbox
):
    hoks_id = post(caller, start_plan())
    run_once(context, weekday_morning(today()))
    (own,) = arvo.state.live()  # a link of this service's own worker
    update = {"lahetyspvm": today().isoformat(), "sahkoposti": "matti@example.fi"}
    english = {"Accept-Language": "en"}
    for link in (own["url"], "https://arvovastaus.example.fi/v/Unknown"):
        missing = caller.patch(
            "/hoks/kyselylinkki", {**update, "kyselylinkki": link}, headers=english
        )
        assert missing.status_code == 404
        assert missing.json()["error"] == "No kyselylinkki found"
    taken = caller.post(f"/hoks/{hoks_id}/kyselylinkki", _new_link(kyselylinkki=own["url"]))
    assert (taken.status_code, taken.json()["code"]) == (409, "survey_link_taken")

    assert caller.post(f"/hoks/{hoks_id}/kyselylinkki", _new_link()).status_code == 204
    other = make_caller(http, session_factory, PROVIDER_B)
    refused = other.patch("/hoks/kyselylinkki", {**update, "kyselylinkki": LINK}, headers=english)
    assert (refused.status_code, refused.json()["error"]) == (404, "No kyselylinkki found")
    assert other.post(f"/hoks/{hoks_id}/kyselylinkki", _new_link()).status_code == 404
    reader = make_caller(http, session_factory, A_SCHOOL, access="read")
    assert reader.patch("/hoks/kyselylinkki", {**update, "kyselylinkki": LINK}).status_code == 403
    second = post(caller, start_plan(MATTI_RIGHTS[1]))
    elsewhere = caller.post(f"/hoks/{second}/kyselylinkki", _new_link())
    assert (elsewhere.status_code, elsewhere.json()["code"]) == (409, "survey_link_taken")
    (row,) = [r for r in feedback_rows(session_factory) if r.link == LINK]
    assert row.state == "kysely_muodostettu"  # nothing of the refused calls was stored


def test_a_bad_body_is_refused_field_by_field(caller, session_factory):
    hoks_id = post(caller, start_plan())
    path = f"/hoks/{hoks_id}/kyselylinkki"
    before = len(feedback_rows(session_factory))
    wrong = caller.post(
        path,
        {
            "kyselylinkki": "javascript:alert(1)",
            "alkupvm": "2024-02-30",
            "tyyppi": "aloittaneet",
            "lahetyspvm": 20240101,
            "vastattu": True,
        },
    )
    assert wrong.status_code == 400
    assert sorted(violations(wrong)) == [
        ("invalid_date", "/alkupvm"),
        ("survey_link_field_unknown", "/vastattu"),
        ("survey_link_not_address", "/kyselylinkki"),
        ("wrong_type", "/lahetyspvm"),
    ]
    unknown_kind = caller.post(path, _new_link(tyyppi="kaikki"))
    assert violations(unknown_kind) == [("feedback_kind_unknown", "/tyyppi")]
    assert violations(caller.post(path, [])) == [("survey_link_body_not_object", "")]
    missing = caller.patch("/hoks/kyselylinkki", {"kyselylinkki": LINK})
    assert sorted(violations(missing)) == [("required", "/lahetyspvm"), ("required", "/sahkoposti")]
    assert len(feedback_rows(session_factory)) == before


def test_a_recorded_link_expires_with_its_answer_time(caller, session_factory, student):
    hoks_id = post(caller, start_plan(**{"ensikertainen-hyvaksyminen": "2019-03-18"}))
    started = today() - timedelta(days=40)
    body = _new_link(alkupvm=started.isoformat(), tyyppi="tutkinnon_suorittaneet")
    assert caller.post(f"/hoks/{hoks_id}/kyselylinkki", body).status_code == 204
    (row,) = [r for r in feedback_rows(session_factory) if r.link == LINK]
    assert (row.kind, row.valid_to) == ("valmistuneet", started + timedelta(days=29))
    assert student(MATTI).get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == []
