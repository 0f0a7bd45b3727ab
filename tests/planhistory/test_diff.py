"""The diff engine: what changed between two revisions, walked along the data model."""

from __future__ import annotations

import copy

from ehoks.planhistory.diff import Change, ChangeKind, Step, changes
from tests.support.api import fresh_example

UNITS = "hankittavat-ammat-tutkinnon-osat"
PERIODS = "osaamisen-hankkimistavat"
UNIT = "HankittavaAmmatillinenTutkinnonOsa"
PERIOD = "OsaamisenHankkimistapa"


def stored(document):
    """A document as storage keeps it: every part with a module-id."""
    for i, unit in enumerate(document[UNITS]):
        unit["module-id"] = f"unit-{i}"
        for j, period in enumerate(unit[PERIODS]):
            period["module-id"] = f"period-{i}-{j}"
    return document


def test_the_same_document_has_no_changes():
    document = stored(fresh_example("hoks-full.json"))
    assert changes(document, copy.deepcopy(document)) == []


def test_a_top_level_field_changed_added_and_removed():
    old = stored(fresh_example("hoks-full.json"))
    new = copy.deepcopy(old)
    new["sahkoposti"] = "uusi@example.fi"
    new["puhelinnumero"] = "0401234567"
    del new["osaamisen-hankkimisen-tarve"]
    assert sorted(changes(old, new), key=lambda c: str(c.field)) == [
        Change(ChangeKind.REMOVED, (), "HOKS", "osaamisen-hankkimisen-tarve", old=True),
        Change(ChangeKind.ADDED, (), "HOKS", "puhelinnumero", None, "0401234567"),
        Change(ChangeKind.CHANGED, (), "HOKS", "sahkoposti", old["sahkoposti"], "uusi@example.fi"),
    ]


def test_a_field_deep_in_a_part_names_the_part_and_the_record():
    old = stored(fresh_example("hoks-full.json"))
    new = copy.deepcopy(old)
    period = new[UNITS][0][PERIODS][0]
    period["loppu"] = "2019-04-30"
    period["tyopaikalla-jarjestettava-koulutus"]["keskeiset-tyotehtavat"] = ["Asennus", "Huolto"]
    found = changes(old, new)
    where = (Step(UNITS, UNIT, 0), Step(PERIODS, PERIOD, 0))
    workplace = (
        *where,
        Step("tyopaikalla-jarjestettava-koulutus", "TyopaikallaJarjestettavaKoulutus"),
    )
    assert found == [
        Change(ChangeKind.CHANGED, where, PERIOD, "loppu", "2019-03-14", "2019-04-30"),
        Change(
            ChangeKind.CHANGED,
            workplace,
            "TyopaikallaJarjestettavaKoulutus",
            "keskeiset-tyotehtavat",
            ["Testitehtävä"],
            ["Asennus", "Huolto"],
        ),
    ]
    assert found[0].path == f"/{UNITS}/0/{PERIODS}/0/loppu"


def test_parts_are_matched_by_module_id_not_by_position():
    """A period put first: nothing changed in either, one was added."""
    old = stored(fresh_example("hoks-full.json"))
    new = copy.deepcopy(old)
    added = copy.deepcopy(new[UNITS][0][PERIODS][0])
    added["module-id"] = "period-new"
    added["alku"], added["loppu"] = "2020-01-01", "2020-02-01"
    new[UNITS][0][PERIODS].insert(0, added)
    found = changes(old, new)
    assert [(c.kind, c.record, c.field, c.path) for c in found] == [
        (ChangeKind.ADDED, PERIOD, None, f"/{UNITS}/0/{PERIODS}/0"),
    ]
    assert found[0].new == added


def test_a_removed_part_is_one_change_with_its_old_place():
    old = stored(fresh_example("hoks-full.json"))
    new = copy.deepcopy(old)
    demonstration = new[UNITS][0]["osaamisen-osoittaminen"].pop(0)
    found = changes(old, new)
    assert len(found) == 1
    assert found[0].kind is ChangeKind.REMOVED
    assert found[0].record == "OsaamisenOsoittaminen"
    assert found[0].old == demonstration
    assert found[0].path == f"/{UNITS}/0/osaamisen-osoittaminen/0"


def test_a_part_sent_again_without_its_id_is_compared_field_by_field():
    """Storage gives such a part a new module-id; to a reader it is the same period."""
    old = stored(fresh_example("hoks-full.json"))
    new = copy.deepcopy(old)
    period = new[UNITS][0][PERIODS][0]
    period["module-id"] = "a-new-id"
    period["osa-aikaisuustieto"] = 80
    found = changes(old, new)
    assert [(c.kind, c.field, c.old, c.new) for c in found] == [
        (
            ChangeKind.CHANGED,
            "osa-aikaisuustieto",
            old[UNITS][0][PERIODS][0]["osa-aikaisuustieto"],
            80,
        )
    ]


def test_identifiers_and_empty_values_are_not_changes():
    old = stored(fresh_example("hoks-full.json"))
    new = copy.deepcopy(old)
    new[UNITS][0]["module-id"] = "renamed"  # alone, it is still the only unit: same part
    new["hankittavat-koulutuksen-osat"] = []  # absent and empty read the same
    assert changes(old, new) == []


def test_a_whole_list_added_to_an_empty_document():
    new = stored(fresh_example("hoks-full.json"))
    found = changes({}, new)
    units = [c for c in found if c.record == UNIT]
    assert [c.kind for c in units] == [ChangeKind.ADDED] * len(new[UNITS])
    assert all(c.field is None for c in units)
