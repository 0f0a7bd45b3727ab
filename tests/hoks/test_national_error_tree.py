"""The `errors` tree reads as the national service's does: lists are JSON arrays, with null at
the items that passed, and the text is in the language the request asks for."""

from __future__ import annotations

import copy

from ehoks.kit.errors import MAX_ERROR_LIST_INDEX, Violation, error_tree
from tests.support.api import fresh_example, load_registry, make_caller, owner_of

UNITS = "hankittavat-ammat-tutkinnon-osat"


def test_a_bad_list_item_is_at_its_position_in_an_array(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks_ainoastaan_ammatillisia.json")
    oppilaitos, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, oppilaitos)
    units = [copy.deepcopy(document[UNITS][0]) for _ in range(3)]
    for number, unit in enumerate(units):
        for period_number, period in enumerate(unit.get("osaamisen-hankkimistavat", [])):
            period["yksiloiva-tunniste"] = f"period-{number}-{period_number}"
    units[1]["tutkinnon-osa-koodi-uri"] = "not-a-unit-code"
    document[UNITS] = units

    answer = caller.post("/validointi", document, headers={"Accept-Language": "en"})

    assert answer.status_code == 400
    body = answer.json()
    units = body["errors"][UNITS]
    assert isinstance(units, list)
    assert len(units) == 2  # up to the last failing item
    assert units[0] is None
    assert set(units[1]) == {"tutkinnon-osa-koodi-uri"}
    assert isinstance(units[1]["tutkinnon-osa-koodi-uri"], str)
    assert [v["path"] for v in body["violations"]] == [f"/{UNITS}/1/tutkinnon-osa-koodi-uri"]
    assert body["error"].isascii()  # English was asked for


def test_the_language_of_the_error_follows_the_request(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks_ainoastaan_ammatillisia.json")
    oppilaitos, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, oppilaitos)
    document["oppija-oid"] = "not-an-oid"

    english = caller.post("/validointi", document, headers={"Accept-Language": "en"}).json()
    finnish = caller.post("/validointi", document, headers={"Accept-Language": "fi"}).json()

    assert english["code"] == finnish["code"] == "validation_failed"
    assert english["error"] != finnish["error"]
    assert english["errors"]["oppija-oid"] != finnish["errors"]["oppija-oid"]


def test_a_far_position_keeps_its_list_an_object_so_nothing_is_padded():
    far = MAX_ERROR_LIST_INDEX + 1
    tree = error_tree(
        [(Violation("x", f"/{UNITS}/{far}/nimi"), "bad"), (Violation("x", "/a/0"), "bad too")]
    )

    assert isinstance(tree, dict)
    assert tree[UNITS] == {str(far): {"nimi": "bad"}}
    assert tree["a"] == ["bad too"]
