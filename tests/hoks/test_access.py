"""A provider system reaches only its own organisation's HOKS, and cannot even detect others'."""

from __future__ import annotations

import pytest

from tests.support.api import API, fresh_example, load_registry, make_caller, owner_of

PROVIDER_B = "1.2.246.562.10.81927839314"
PROVIDER_A = "1.2.246.562.10.53642770753"
A_SECOND_SCHOOL = "1.2.246.562.10.52251087186"
A_SITE = "1.2.246.562.10.47213582301"
MISSING_ID = 999_999


@pytest.fixture
def stored(http, session_factory):
    """One HOKS of provider A (written by A's school's system)."""
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    owner = make_caller(http, session_factory, school)
    created = owner.post("/hoks", document)
    assert created.status_code == 200, created.text
    return owner, created.json()["meta"]["id"], document


def test_other_provider_cannot_read_change_or_detect(stored, http, session_factory):
    owner, hoks_id, document = stored
    other = make_caller(http, session_factory, PROVIDER_B)
    body = owner.get(f"/hoks/{hoks_id}").json()["data"]

    for response in (
        other.get(f"/hoks/{hoks_id}"),
        other.get(f"/hoks/opiskeluoikeus/{document['opiskeluoikeus-oid']}"),
        other.put(f"/hoks/{hoks_id}", body),
        other.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "sahkoposti": "x@example.fi"}),
    ):
        assert response.status_code == 404, response.text
        # Exactly what a HOKS that does not exist answers: nothing tells them apart.
        missing = other.get(f"/hoks/{MISSING_ID}")
        assert response.json()["code"] == missing.json()["code"] == "hoks_not_found"

    # Creating a second HOKS for A's study right is refused before the duplicate check, so the
    # answer does not reveal that a HOKS exists.
    refused = other.post("/hoks", document)
    assert refused.status_code == 403
    assert refused.json()["code"] == "study_right_forbidden"
    assert other.post("/validointi", document).status_code == 403

    feed = other.get("/hoks/paged").json()["data"]
    assert feed["result"] == []
    assert owner.get(f"/hoks/{hoks_id}").json()["data"]["sahkoposti"] == document["sahkoposti"]


def test_parent_organisation_reaches_its_schools_hoks(stored, http, session_factory):
    _, hoks_id, _ = stored
    parent = make_caller(http, session_factory, PROVIDER_A, access="read")
    assert parent.get(f"/hoks/{hoks_id}").status_code == 200
    assert [r["id"] for r in parent.get("/hoks/paged").json()["data"]["result"]] == [hoks_id]


def test_sibling_and_child_organisations_do_not(stored, http, session_factory):
    _, hoks_id, _ = stored
    for organisation in (A_SECOND_SCHOOL, A_SITE):
        caller = make_caller(http, session_factory, organisation, access="read")
        assert caller.get(f"/hoks/{hoks_id}").status_code == 404


def test_read_only_client_cannot_write(stored, http, session_factory):
    _, hoks_id, document = stored
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    reader = make_caller(http, session_factory, school, access="read")
    assert reader.get(f"/hoks/{hoks_id}").status_code == 200
    denied = reader.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "versio": 2})
    assert denied.status_code == 403
    assert denied.json()["code"] == "forbidden"
    assert reader.post("/hoks", fresh_example("hoks_tuva.json")).status_code == 403


def test_credentials_and_caller_id_are_required(stored, http):
    owner, hoks_id, _ = stored
    url = f"{API}/hoks/{hoks_id}"
    no_token = http.get(url, headers={"Caller-Id": "x"})
    assert no_token.status_code == 401
    assert no_token.headers["WWW-Authenticate"].startswith("Bearer")
    bad_token = http.get(url, headers={"Caller-Id": "x", "Authorization": "Bearer not.a.token"})
    assert bad_token.status_code == 401
    no_caller = http.get(url, headers={"Authorization": f"Bearer {owner.token}"})
    assert no_caller.status_code == 400
    assert no_caller.json()["code"] == "missing_caller_id"
