"""Bad input always gets a 4xx with a stable code, a path and a message in fi/sv/en; never a 500."""

from __future__ import annotations

import pytest

from tests.support.api import API, fresh_example, load_registry, make_caller, owner_of, violations

STUDY_RIGHT = "1.2.246.562.15.10000000009"


@pytest.fixture
def caller(http, session_factory):
    load_registry(session_factory)
    school, _ = owner_of(session_factory, STUDY_RIGHT)
    return make_caller(http, session_factory, school)


def test_malformed_json_is_400(caller):
    response = caller.http.post(
        API + "/hoks",
        content=b'{"oppija-oid": ',
        headers={**caller.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_json"


def test_not_json_is_415(caller):
    response = caller.http.post(
        API + "/hoks",
        content=b"a=b",
        headers={**caller.headers, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 415


def test_too_large_body_is_413(caller):
    body = fresh_example("hoks-full.json")
    body["sahkoposti"] = "x" * 2_100_000
    response = caller.post("/hoks", body)
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "virhe"), ("sv", "fel"), ("en-GB,en;q=0.9", "error"), ("de", "virhe"), (None, "virhe")],
)
def test_messages_follow_accept_language(caller, language, expected):
    headers = {"Accept-Language": language} if language else {}
    response = caller.post("/hoks", {"oppija-oid": 5}, headers=headers)
    assert response.status_code == 400
    body = response.json()
    assert expected in body["error"]
    assert all(v["message"] for v in body["violations"])
    # The national-style tree mirrors the body with a message at each failing leaf.
    assert isinstance(body["errors"]["oppija-oid"], str)


def test_every_violation_is_listed_at_once(caller):
    document = fresh_example("hoks-full.json")
    document["oppija-oid"] = "1.2.246.562.24.12312312310"  # wrong check digit
    document["ensikertainen-hyvaksyminen"] = "2019-02-30"
    document["tuntematon"] = 1
    del document["osaamisen-hankkimisen-tarve"]
    response = caller.post("/hoks", document)
    assert response.status_code == 400
    assert sorted(violations(response)) == [
        ("invalid_date", "/ensikertainen-hyvaksyminen"),
        ("invalid_oid_checksum", "/oppija-oid"),
        ("required", "/osaamisen-hankkimisen-tarve"),
        ("unknown_field", "/tuntematon"),
    ]


@pytest.mark.parametrize("path", ["/hoks/0", "/hoks/abc", "/hoks/99999999999999999999", "/hoks/-1"])
def test_bad_ids_in_the_path_are_400_not_500(caller, path):
    response = caller.get(path)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"


@pytest.mark.parametrize(
    "body",
    [[], "text", 5, None, {"id": "7"}, {"id": 1, "hankittavat-ammat-tutkinnon-osat": []}],
)
def test_strange_bodies_are_400(caller, body):
    created = caller.post("/hoks", fresh_example("hoks-full.json")).json()["meta"]["id"]
    for response in (caller.put(f"/hoks/{created}", body), caller.patch(f"/hoks/{created}", body)):
        assert response.status_code == 400, response.text


def test_path_and_body_id_must_agree(caller):
    hoks_id = caller.post("/hoks", fresh_example("hoks-full.json")).json()["meta"]["id"]
    body = caller.get(f"/hoks/{hoks_id}").json()["data"]
    body["id"] = hoks_id + 1
    response = caller.put(f"/hoks/{hoks_id}", body)
    assert response.status_code == 400
    assert violations(response) == [("id_mismatch", "/id")]


def test_removed_part_routes_answer_410(caller):
    hoks_id = caller.post("/hoks", fresh_example("hoks-full.json")).json()["meta"]["id"]
    gone = caller.get(f"/hoks/{hoks_id}/hankittava-ammat-tutkinnon-osa/1")
    assert gone.status_code == 410
    assert gone.json()["code"] == "part_route_gone"
    assert caller.get(f"/hoks/{hoks_id}/jotain-muuta").status_code == 404


def test_unknown_route_and_method(caller):
    assert caller.get("/ei-ole").status_code == 404
    assert caller.http.delete(API + "/hoks/1", headers=caller.headers).status_code == 405
