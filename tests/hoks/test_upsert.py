"""The idempotent upsert of nightly synchronisation: create or replace by study right."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from sqlalchemy import func, select

from ehoks.feedback.models import Feedback
from ehoks.hoks import writes
from ehoks.hoks.models import Hoks, HoksChangeEntry, HoksRevision
from tests.hoks.test_bulk import with_identifiers
from tests.support.actors import trusted_actor
from tests.support.api import example_names, fresh_example, load_registry, make_caller

A_SCHOOL = "1.2.246.562.10.54453921329"
PROVIDER_B_STUDY_RIGHT = "1.2.246.562.15.20251000012"
VILLE = "1.2.246.562.24.30124551023"


def _counts(session_factory) -> dict[str, int]:
    with session_factory() as session:
        return {
            table.__name__: session.scalar(select(func.count()).select_from(table)) or 0
            for table in (Hoks, HoksRevision, HoksChangeEntry, Feedback)
        }


def test_the_same_batch_twice_writes_nothing_the_second_time(http, session_factory):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    batch = [with_identifiers(fresh_example(name)) for name in example_names()]

    first = caller.put("/hoks/bulk", batch)
    assert first.status_code == 200, first.text
    assert first.json()["meta"] == {
        "created": len(batch),
        "changed": 0,
        "unchanged": 0,
        "refused": 0,
    }
    ids = [item["id"] for item in first.json()["data"]]
    assert {item["result"] for item in first.json()["data"]} == {"created"}
    written = _counts(session_factory)

    again = caller.put("/hoks/bulk", batch)
    assert again.status_code == 200, again.text
    assert [(i["index"], i["result"], i["id"], i["revision"]) for i in again.json()["data"]] == [
        (index, "unchanged", hoks_id, 1) for index, hoks_id in enumerate(ids)
    ]
    assert again.json()["meta"]["unchanged"] == len(batch)
    assert _counts(session_factory) == written

    # One document changed: only its HOKS gets a new revision, as a PUT would give it.
    batch[0]["sahkoposti"] = "uusi.osoite@example.fi"
    third = caller.put("/hoks/bulk", batch).json()
    assert third["meta"] == {
        "created": 0,
        "changed": 1,
        "unchanged": len(batch) - 1,
        "refused": 0,
    }
    assert third["data"][0] == {
        "index": 0,
        "result": "changed",
        "id": ids[0],
        "uri": f"/ehoks-virkailija-backend/api/v1/hoks/{ids[0]}",
        "revision": 2,
    }
    stored = caller.get(f"/hoks/{ids[0]}")
    assert stored.headers["ETag"] == '"2"'
    assert stored.json()["data"]["sahkoposti"] == "uusi.osoite@example.fi"
    after = _counts(session_factory)
    assert after["HoksRevision"] == written["HoksRevision"] + 1
    assert after["HoksChangeEntry"] == written["HoksChangeEntry"] + 1


def test_each_refused_document_has_its_error_and_the_rest_are_written(http, session_factory):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    names = example_names()
    documents = [with_identifiers(fresh_example(name)) for name in names[:3]]
    created = caller.put("/hoks/bulk", documents[:2]).json()["data"]
    with session_factory() as session:
        deleted_id = created[1]["id"]
        writes.soft_delete_hoks(session, deleted_id, trusted_actor(session), now=datetime.now(UTC))
        session.commit()
    broken = {**documents[0], "ensikertainen-hyvaksyminen": "eilen"}
    foreign = {
        "oppija-oid": VILLE,
        "opiskeluoikeus-oid": PROVIDER_B_STUDY_RIGHT,
        "ensikertainen-hyvaksyminen": "2024-01-01",
        "osaamisen-hankkimisen-tarve": True,
    }
    batch = [broken, documents[1], documents[2], documents[2], foreign, "not a document"]

    response = caller.put("/hoks/bulk", batch)
    assert response.status_code == 200, response.text
    items = response.json()["data"]
    assert [item.get("result") or item["error"]["code"] for item in items] == [
        "validation_failed",
        "hoks_archived",
        "created",
        "duplicate_in_batch",
        "study_right_forbidden",
        "validation_failed",
    ]
    assert [v["path"] for v in items[0]["error"]["violations"]] == ["/ensikertainen-hyvaksyminen"]
    assert response.json()["meta"] == {"created": 1, "changed": 0, "unchanged": 0, "refused": 5}
    # The refused replace left its HOKS as it was.
    assert caller.get(f"/hoks/{created[0]['id']}").headers["ETag"] == '"1"'
    swedish = caller.put("/hoks/bulk", [broken], headers={"Accept-Language": "sv"}).json()
    assert swedish["data"][0]["error"]["error"] != items[0]["error"]["error"]


def test_a_read_only_system_may_not_upsert(http, session_factory):
    load_registry(session_factory)
    reader = make_caller(http, session_factory, A_SCHOOL, access="read")
    response = reader.put("/hoks/bulk", [with_identifiers(fresh_example(example_names()[0]))])
    assert response.status_code == 403
    assert _counts(session_factory)["Hoks"] == 0


def test_parts_that_only_their_ids_tell_apart_are_still_unchanged(http, session_factory):
    """Two previously acquired common units with the same code: a document without ids cannot
    say which is which, yet the same document again is no change."""
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    document = with_identifiers(fresh_example("hoks-full.json"))
    units = document["aiemmin-hankitut-yhteiset-tutkinnon-osat"]
    units.append(copy.deepcopy(units[0]))

    first = caller.put("/hoks/bulk", [document])
    assert first.json()["data"][0]["result"] == "created", first.text
    written = _counts(session_factory)
    again = caller.put("/hoks/bulk", [document]).json()["data"][0]
    assert (again["result"], again["revision"]) == ("unchanged", 1)
    assert _counts(session_factory) == written
