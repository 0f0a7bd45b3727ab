"""The form's values map to and from the national JSON document exactly."""

from __future__ import annotations

from datetime import date

import pytest

from ehoks.hoksmodel import Method, Variant, stored_form, validate_hoks
from ehoks.planform.fields import (
    COUNT,
    PRESENT,
    apply_action,
    from_fields,
    pointer_to_name,
    reapply,
    to_fields,
    type_at,
)
from tests.support.api import example_names, fresh_example


@pytest.mark.parametrize("name", example_names())
def test_every_example_survives_the_form(name):
    document = fresh_example(name)
    assert from_fields(to_fields(document)) == document


@pytest.mark.parametrize("name", example_names())
def test_every_stored_example_survives_the_form(name):
    result = validate_hoks(
        fresh_example(name),
        method=Method.POST,
        variant=Variant.STAFF,
        study_right=None,
        today=date(2024, 1, 1),
    )
    assert result.document is not None, result.violations
    stored = stored_form(result.document)
    stored["eid"] = "5d7f3c52-50a2-4f5f-9d0b-3c1a1d5e6f70"
    for part in stored["hankittavat-ammat-tutkinnon-osat"]:
        part["module-id"] = "0b8f6a44-2f4e-4c55-9a55-0b6c2b1f0e11"
    assert from_fields(to_fields(stored)) == stored


def test_lists_and_records_carry_their_presence():
    fields = to_fields({"oppimisen-tuki": [], "hankittavat-ammat-tutkinnon-osat": [{}]})
    assert fields["oppimisen-tuki" + COUNT] == "0"
    assert fields["hankittavat-ammat-tutkinnon-osat.0" + PRESENT] == "1"
    assert from_fields({"oppimisen-tuki" + COUNT: "0"}) == {"oppimisen-tuki": []}
    assert from_fields({}) == {}


def test_typed_values_are_read_and_what_does_not_parse_stays_text():
    fields = {
        "ensikertainen-hyvaksyminen": "15.1.2026",
        "osaamisen-saavuttamisen-pvm": "31.2.2026",
        "versio": " 3 ",
        "urasuunnitelma-koodi-versio": "kolme",
        "osaamisen-hankkimisen-tarve": "true",
        "sahkoposti": "   ",
        "hankittavat-koulutuksen-osat#n": "1",
        "hankittavat-koulutuksen-osat.0.laajuus": "2,5",
    }
    assert from_fields(fields) == {
        "ensikertainen-hyvaksyminen": "2026-01-15",
        "osaamisen-saavuttamisen-pvm": "31.2.2026",
        "versio": 3,
        "urasuunnitelma-koodi-versio": "kolme",
        "osaamisen-hankkimisen-tarve": True,
        "hankittavat-koulutuksen-osat": [{"laajuus": 2.5}],
    }


def test_dates_are_shown_as_written_in_finland():
    assert to_fields({"ensikertainen-hyvaksyminen": "2026-01-05"}) == {
        "ensikertainen-hyvaksyminen": "5.1.2026"
    }


def test_items_and_records_are_added_and_removed():
    document: dict = {}
    assert apply_action(document, "add:hankittavat-ammat-tutkinnon-osat")
    name = "hankittavat-ammat-tutkinnon-osat.0.osaamisen-hankkimistavat"
    assert apply_action(document, f"add:{name}")
    assert apply_action(document, f"add:{name}.0.tyopaikalla-jarjestettava-koulutus")
    assert apply_action(
        document, f"add:{name}.0.tyopaikalla-jarjestettava-koulutus.keskeiset-tyotehtavat"
    )
    period = document["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    assert period == {"tyopaikalla-jarjestettava-koulutus": {"keskeiset-tyotehtavat": [""]}}
    assert apply_action(document, f"remove:{name}.0.tyopaikalla-jarjestettava-koulutus")
    assert period == {}
    assert apply_action(document, f"remove:{name}.0")
    assert document == {"hankittavat-ammat-tutkinnon-osat": [{"osaamisen-hankkimistavat": []}]}


@pytest.mark.parametrize(
    "action",
    ["add:", "add:nothing", "remove:oppija-oid", "remove:hankittavat-ammat-tutkinnon-osat.7",
     "add:hankittavat-ammat-tutkinnon-osat.0.osaamisen-osoittaminen", "delete:x", "remove:..."],
)  # fmt: skip
def test_a_stale_or_crafted_action_changes_nothing(action):
    document: dict = {"hankittavat-ammat-tutkinnon-osat": []}
    assert not apply_action(document, action)
    assert document == {"hankittavat-ammat-tutkinnon-osat": []}


def test_names_follow_the_model():
    assert type_at("hankittavat-ammat-tutkinnon-osat.0.osaamisen-osoittaminen.2.alku") is not None
    assert type_at("hankittavat-ammat-tutkinnon-osat.x") is None
    assert pointer_to_name("/oppimisen-tuki/0/alku") == "oppimisen-tuki.0.alku"


def test_a_change_is_applied_again_on_top_of_another():
    base = {"sahkoposti": "a@example.com", "versio": "1", "oppimisen-tuki#n": "0"}
    mine = {"sahkoposti": "b@example.com", "versio": "1"}
    theirs = {"sahkoposti": "a@example.com", "versio": "2", "oppimisen-tuki#n": "0"}
    assert reapply(base, mine, theirs) == {"sahkoposti": "b@example.com", "versio": "2"}


def test_a_new_records_required_lists_and_records_are_there_empty():
    period = "hankittavat-ammat-tutkinnon-osat.0.osaamisen-hankkimistavat.0"
    fields = {
        "hankittavat-ammat-tutkinnon-osat#n": "1",
        "hankittavat-ammat-tutkinnon-osat.0.osaamisen-hankkimistavat#n": "1",
        f"{period}.tyopaikalla-jarjestettava-koulutus#on": "1",
    }
    unit = from_fields(fields)["hankittavat-ammat-tutkinnon-osat"][0]
    assert unit["osaamisen-hankkimistavat"][0]["tyopaikalla-jarjestettava-koulutus"] == {
        "vastuullinen-tyopaikka-ohjaaja": {},
        "keskeiset-tyotehtavat": [],
    }
