"""The form's widgets come from the model: every record and list of it, with its controls."""

from __future__ import annotations

import pytest

from ehoks.hoksmodel.spec import RECORDS, Kind
from ehoks.kit.i18n import Lang
from ehoks.planform.fields import apply_action, from_fields, to_fields
from ehoks.planform.form import Absent, FormBuilder, Group, Input, Items
from tests.support.api import example_names, fresh_example

CODES = {"osaamisenhankkimistapa_": [("osaamisenhankkimistapa_koulutussopimus", "Koulutussopimus")]}


def _walk(nodes):
    for node in nodes:
        yield node
        if isinstance(node, Group):
            yield from _walk(node.children)
        elif isinstance(node, Items):
            yield from _walk(node.items)


def _filled(document: dict, path: str = "") -> dict:
    """Every list given one item and every optional record added, all the way down."""
    changed = True
    while changed:
        changed = False
        nodes = list(_walk(FormBuilder(Lang.FI, CODES).build(to_fields(document))))
        for node in nodes:
            empty_list = isinstance(node, Items) and not node.items
            if (empty_list or isinstance(node, Absent)) and node.name.count(".") < 12:
                changed |= apply_action(document, node.add)
    return document


def test_every_record_type_and_list_of_the_model_can_be_filled_in():
    document = _filled({})
    shown = {
        type(node).__name__
        for node in _walk(FormBuilder(Lang.FI, CODES).build(to_fields(document)))
    }
    assert shown == {"Input", "Group", "Items"}
    reached = set()

    def record_types(record: str, value: dict) -> None:
        reached.add(record)
        for field in RECORDS[record].fields:
            item = value.get(field.key)
            ftype = field.type
            if ftype.kind is Kind.RECORD and isinstance(item, dict):
                record_types(ftype.record, item)
            elif ftype.kind is Kind.LIST and ftype.item and ftype.item.record:
                for element in item or []:
                    record_types(ftype.item.record, element)

    record_types("HOKS", from_fields(to_fields(document)))
    assert reached == set(RECORDS)


@pytest.mark.parametrize("name", example_names())
def test_the_form_shows_every_value_of_a_document(name):
    document = fresh_example(name)
    values = to_fields(document)
    inputs = {
        n.name: n.value
        for n in _walk(FormBuilder(Lang.SV, CODES).build(values))
        if isinstance(n, Input)
    }
    assert {k: v for k, v in values.items() if "#" not in k} == {
        k: v for k, v in inputs.items() if k in values
    }
    assert all(v == "" for k, v in inputs.items() if k not in values)


def test_code_fields_are_choices_and_a_value_not_listed_is_kept():
    periods = "hankittavat-ammat-tutkinnon-osat.0.osaamisen-hankkimistavat"
    way = f"{periods}.0.osaamisen-hankkimistapa-koodi-uri"
    values = {
        "hankittavat-ammat-tutkinnon-osat#n": "1",
        f"{periods}#n": "1",
        way: "osaamisenhankkimistapa_muu",
    }
    nodes = {n.name: n for n in _walk(FormBuilder(Lang.EN, CODES).build(values))}
    choice = nodes[way]
    assert choice.widget == "select"
    assert [uri for uri, _ in choice.options] == [
        "osaamisenhankkimistapa_muu",
        "osaamisenhankkimistapa_koulutussopimus",
    ]
    assert from_fields(values)["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"]


def test_errors_link_to_the_nearest_field_shown():
    builder = FormBuilder(Lang.EN, {})
    builder.build({"oppimisen-tuki#n": "1"})
    summary, beside = builder.errors(
        [("oppimisen-tuki.0.alku", "Wrong."), ("oppimisen-tuki.0.nothing", "Odd."), ("", "All.")]
    )
    assert [e.field for e in summary] == [
        "f-oppimisen-tuki.0.alku",
        "f-oppimisen-tuki.0",
        "plan-form",
    ]
    assert beside["f-oppimisen-tuki.0.alku"] == "Wrong."
    assert summary[0].message.endswith(": Wrong.")


def test_a_new_plan_requires_what_a_create_requires():
    shown = {n.name: n for n in FormBuilder(Lang.FI, {}, creating=True).build({})}
    assert shown["opiskeluoikeus-oid"].required
    edited = {n.name: n for n in FormBuilder(Lang.FI, {}).build({})}
    assert not edited["opiskeluoikeus-oid"].required


def test_the_student_is_carried_not_typed():
    """The student comes with the page's address: a hidden value, not a field to type."""
    built = {n.name: n for n in FormBuilder(Lang.FI, {}, creating=True).build({})}
    assert "oppija-oid" not in built
    carried = FormBuilder(Lang.FI, {}, creating=True).build({"oppija-oid": "1.2.246.562.24.1"})
    student = next(n for n in carried if n.name == "oppija-oid")
    assert student.widget == "hidden"
