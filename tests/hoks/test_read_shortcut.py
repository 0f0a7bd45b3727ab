"""GET one HOKS answers through its shortcut (`ehoks.kit.shortcut`) exactly as its declared route
does: the same caller rules in the same order, the same errors, any spelling of an id."""

from __future__ import annotations

import pytest

from tests.support.api import API, fresh_example, load_registry, make_caller, owner_of

OTHER_PROVIDER = "1.2.246.562.10.81927839314"


@pytest.fixture
def stored(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, school)
    hoks_id = caller.post("/hoks", document).json()["meta"]["id"]
    return caller, hoks_id


def test_every_spelling_of_an_id_reads_the_same_plan(stored):
    caller, hoks_id = stored
    plain = caller.get(f"/hoks/{hoks_id}")
    assert plain.status_code == 200
    assert plain.json()["data"]["id"] == hoks_id
    for spelling in (f"0{hoks_id}", f"00{hoks_id}"):
        answer = caller.get(f"/hoks/{spelling}")
        assert answer.status_code == 200, spelling
        assert answer.content == plain.content
        assert answer.headers["etag"] == plain.headers["etag"]


def test_the_caller_is_checked_before_the_id(stored):
    caller, hoks_id = stored
    for path in (f"/hoks/{hoks_id}", "/hoks/abc", "/hoks/0"):
        anonymous = caller.http.get(API + path)
        assert anonymous.status_code == 401, path
        assert anonymous.json()["code"] == "not_authenticated"
        assert anonymous.headers["www-authenticate"] == 'Bearer realm="ehoks"'
        forged = caller.http.get(
            API + path, headers={"Authorization": "Bearer x.y.z", "Caller-Id": "test-sis"}
        )
        assert forged.status_code == 401, path
        assert 'error="invalid_token"' in forged.headers["www-authenticate"]
        unnamed = caller.http.get(API + path, headers={"Authorization": f"Bearer {caller.token}"})
        assert unnamed.status_code == 400, path
        assert unnamed.json()["code"] == "missing_caller_id"
    assert caller.get("/hoks/abc").json()["code"] == "validation_failed"


def test_a_plan_of_another_provider_or_none_is_the_same_404(stored, http, session_factory):
    caller, hoks_id = stored
    other = make_caller(http, session_factory, OTHER_PROVIDER, access="read")
    for answer in (other.get(f"/hoks/{hoks_id}"), caller.get(f"/hoks/{hoks_id + 1000}")):
        assert answer.status_code == 404
        assert answer.json()["code"] == "hoks_not_found"
    assert other.get(f"/hoks/{hoks_id}").headers.get("etag") is None


def test_a_matching_etag_is_304(stored):
    caller, hoks_id = stored
    etag = caller.get(f"/hoks/{hoks_id}").headers["etag"]
    answer = caller.get(f"/hoks/{hoks_id}", headers={"If-None-Match": etag})
    assert answer.status_code == 304
    assert answer.headers["etag"] == etag
