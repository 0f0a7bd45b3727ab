"""Parts keep their ids across replacements; every change keeps the previous revision."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ehoks.hoks import writes
from ehoks.hoks.models import Hoks, HoksRevision
from tests.support.actors import trusted_actor
from tests.support.api import fresh_example, load_registry, make_caller, owner_of, violations


def module_ids(node, found=None):
    found = {} if found is None else found
    if isinstance(node, dict):
        if "module-id" in node:
            key = (
                node.get("yksiloiva-tunniste")
                or node.get("tutkinnon-osa-koodi-uri")
                or node.get("osa-alue-koodi-uri")
                or node.get("nimi")
            )
            found.setdefault(key, []).append(node["module-id"])
        for value in node.values():
            module_ids(value, found)
    elif isinstance(node, list):
        for value in node:
            module_ids(value, found)
    return found


@pytest.fixture
def created(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, school)
    response = caller.post("/hoks", document)
    assert response.status_code == 200, response.text
    return caller, response.json()["meta"]["id"], document


def test_a_student_information_system_put_keeps_part_ids(created):
    """A SIS does not know our module-ids: the same parts are recognised by their keys."""
    caller, hoks_id, document = created
    before = caller.get(f"/hoks/{hoks_id}").json()["data"]
    document["id"] = hoks_id
    document["sahkoposti"] = "uusi.osoite@example.fi"
    assert caller.put(f"/hoks/{hoks_id}", document).status_code == 204
    after = caller.get(f"/hoks/{hoks_id}").json()["data"]
    assert after["sahkoposti"] == "uusi.osoite@example.fi"
    assert module_ids(after) == module_ids(before)


def test_a_new_part_gets_a_new_id_and_unknown_ids_are_refused(created):
    caller, hoks_id, _ = created
    body = caller.get(f"/hoks/{hoks_id}").json()["data"]
    units = body["hankittavat-ammat-tutkinnon-osat"]
    old_ids = {u["module-id"] for u in units}
    units.append(
        {"tutkinnon-osa-koodi-uri": "tutkinnonosat_100999", "tutkinnon-osa-koodi-versio": 1}
    )
    assert caller.put(f"/hoks/{hoks_id}", body).status_code == 204
    after = caller.get(f"/hoks/{hoks_id}").json()["data"]["hankittavat-ammat-tutkinnon-osat"]
    assert {u["module-id"] for u in after[:-1]} == old_ids
    assert after[-1]["module-id"] not in old_ids

    after_body = caller.get(f"/hoks/{hoks_id}").json()["data"]
    after_body["hankittavat-ammat-tutkinnon-osat"][0]["module-id"] = (
        "00000000-0000-4000-8000-000000000000"
    )
    refused = caller.put(f"/hoks/{hoks_id}", after_body)
    assert violations(refused) == [
        ("unknown_module_id", "/hankittavat-ammat-tutkinnon-osat/0/module-id")
    ]


def test_put_removes_what_it_omits_and_keeps_history(created, session_factory):
    caller, hoks_id, _ = created
    first = caller.get(f"/hoks/{hoks_id}").json()["data"]
    slim = {
        "id": hoks_id,
        "ensikertainen-hyvaksyminen": first["ensikertainen-hyvaksyminen"],
        "osaamisen-hankkimisen-tarve": False,
    }
    assert caller.put(f"/hoks/{hoks_id}", slim).status_code == 204
    after = caller.get(f"/hoks/{hoks_id}").json()["data"]
    assert "sahkoposti" not in after
    assert after["hankittavat-ammat-tutkinnon-osat"] == []
    assert after["oppija-oid"] == first["oppija-oid"]  # identity stays
    with session_factory() as session:
        history = session.scalars(select(HoksRevision).where(HoksRevision.hoks_id == hoks_id)).all()
        assert [h.revision for h in history] == [1]
        assert '"sahkoposti"' in history[0].document
        assert history[0].superseded_by_operation == "replace"


def test_soft_delete_hides_keeps_and_restores(created, session_factory):
    caller, hoks_id, document = created
    with session_factory() as session:
        writes.soft_delete_hoks(session, hoks_id, trusted_actor(session), now=service_now())
        session.commit()
    assert caller.get(f"/hoks/{hoks_id}").status_code == 404
    again = caller.post("/hoks", document)
    assert again.status_code == 400
    assert again.json()["code"] == "hoks_archived"
    feed = caller.get("/hoks/paged").json()["data"]["result"]
    assert [(r["id"], "poistettu" in r) for r in feed] == [(hoks_id, True)]
    with session_factory() as session:
        assert session.get(Hoks, hoks_id).document  # nothing was lost
        writes.restore_hoks(session, hoks_id, trusted_actor(session), now=service_now())
        session.commit()
    assert caller.get(f"/hoks/{hoks_id}").json()["data"]["sahkoposti"] == document["sahkoposti"]


def service_now():
    from datetime import UTC, datetime

    return datetime.now(UTC)
