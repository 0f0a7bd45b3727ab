"""The national share-link routes (ehoks-api.md 3.10), with the ownership checks they lack."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.sharing.conftest import HTML, MAIJA, VILLE, stored_document, text_of

UNITS = "hankittavat-ammat-tutkinnon-osat"


def _body(document, **extra):
    unit = document[UNITS][0]
    return {
        "hoks-eid": document["eid"],
        "tutkinnonosa-module-uuid": unit["module-id"],
        "tutkinnonosa-tyyppi": "HankittavaAmmatillinenTutkinnonOsa",
        **extra,
    }


def test_only_the_plans_student_makes_reads_lists_and_deletes_its_links(
    http, student, full_plan, session_factory, stranger
):
    hoks_id, _ = full_plan
    document = stored_document(session_factory, hoks_id)
    unit = document[UNITS][0]
    period = unit["osaamisen-hankkimistavat"][0]
    maija, ville = student(MAIJA), student(VILLE)
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    body = _body(
        document,
        **{
            "shared-module-uuid": period["module-id"],
            "shared-module-tyyppi": "osaamisenhankkiminen",
            "voimassaolo-alku": str(today),
            "voimassaolo-loppu": str(today + timedelta(days=7)),
        },
    )
    # Another student cannot make a link to Maija's plan: the plan is not found.
    assert ville.send("POST", "/jaot/jakolinkit", body).status_code == 404
    created = maija.send("POST", "/jaot/jakolinkit", body)
    assert created.status_code == 200, created.text
    share_id = created.json()["meta"]["uuid"]
    assert created.json()["data"]["uri"].endswith(f"/jaot/jakolinkit/{share_id}")
    address = created.json()["meta"]["url"]

    read = maija.get(f"/jaot/jakolinkit/{share_id}")
    assert read.status_code == 200
    data = read.json()["data"]
    assert data["oppija-oid"] == MAIJA
    assert data["tutkinnonosa-tyyppi"] == "HankittavaAmmatillinenTutkinnonOsa"
    assert data["osaamisen-hankkimistapa"]["module-id"] == period["module-id"]
    assert data["osaamisen-osoittaminen"] is None
    assert data["tutkinnonosa"]["osaamisen-hankkimistavat"] == [data["osaamisen-hankkimistapa"]]
    assert "osaamisen-osoittaminen" not in data["tutkinnonosa"]
    assert data["voimassaolo-loppu"] == str(today + timedelta(days=7))
    assert data["tila"] == "open"
    assert "sahkoposti" not in str(data)

    listed = maija.get(f"/jaot/moduulit/{period['module-id']}").json()["data"]
    assert [item["share-id"] for item in listed] == [share_id]
    assert maija.get(f"/jaot/moduulit/{unit['module-id']}").json()["data"] == listed
    # Ville: nothing to list, nothing to read, nothing to delete.
    assert ville.get(f"/jaot/moduulit/{period['module-id']}").json()["data"] == []
    assert ville.get(f"/jaot/jakolinkit/{share_id}").status_code == 404
    assert ville.send("DELETE", f"/jaot/jakolinkit/{share_id}").status_code == 404

    # The address opens the one period, and no demonstration of the unit.
    path = "/" + address.split("/", 3)[3]
    page = text_of(stranger.get(path + "?lang=en", headers=HTML).text)
    workplace = period["tyopaikalla-jarjestettava-koulutus"]["tyopaikan-nimi"]
    assert workplace in page
    for demonstration in unit["osaamisen-osoittaminen"]:
        assert demonstration["nayttoymparisto"]["nimi"] not in page

    assert maija.send("DELETE", f"/jaot/jakolinkit/{share_id}").status_code == 200
    assert maija.get(f"/jaot/jakolinkit/{share_id}").status_code == 410
    assert maija.get(f"/jaot/moduulit/{period['module-id']}").json()["data"] == []
    assert stranger.get(path, headers=HTML).status_code == 410


def test_bad_requests_get_their_codes_at_their_fields(http, student, full_plan, session_factory):
    hoks_id, _ = full_plan
    document = stored_document(session_factory, hoks_id)
    maija = student(MAIJA)
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()

    def refused(**changes):
        answer = maija.send("POST", "/jaot/jakolinkit", {**_body(document), **changes})
        assert answer.status_code == 400, answer.text
        return {(v["code"], v["path"]) for v in answer.json()["violations"]}

    assert refused(**{"voimassaolo-loppu": str(today - timedelta(days=1))}) == {
        ("share_end_in_past", "/voimassaolo-loppu")
    }
    assert refused(
        **{
            "voimassaolo-alku": str(today + timedelta(days=5)),
            "voimassaolo-loppu": str(today + timedelta(days=2)),
        }
    ) == {("share_end_before_start", "/voimassaolo-loppu")}
    assert refused(**{"voimassaolo-loppu": str(today + timedelta(days=400))}) == {
        ("share_too_long", "/voimassaolo-loppu")
    }
    assert refused(**{"tutkinnonosa-module-uuid": "00000000-0000-4000-8000-000000000000"}) == {
        ("share_unknown_part", "/tutkinnonosa-module-uuid")
    }
    assert refused(**{"tutkinnonosa-tyyppi": "Muu"}) == {
        ("share_invalid_type", "/tutkinnonosa-tyyppi")
    }
    assert refused(**{"voimassaolo-alku": "31.12.2026"}) == {
        ("share_invalid_date", "/voimassaolo-alku")
    }
    fi = maija.send(
        "POST",
        "/jaot/jakolinkit",
        {**_body(document), "voimassaolo-loppu": str(today - timedelta(days=1))},
        headers={"Accept-Language": "fi"},
    )
    assert (
        fi.json()["violations"][0]["message"]
        == "Linkin viimeinen päivä ei voi olla menneisyydessä."
    )
    # An unknown plan is not found.
    missing = maija.send("POST", "/jaot/jakolinkit", {**_body(document), "hoks-eid": "x"})
    assert missing.status_code == 404
