"""The fields a system or the service sets (`hoksmodel`'s `system_set`: identifiers, a system's
own timestamps and version) are not typed in the plan form, and an edit keeps their values."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ehoks.hoksmodel.spec import HOKS, RECORDS, Kind
from tests.people.conftest import A_SCHOOL, EETU, example_for
from tests.planform.browserless import form_values
from tests.planform.conftest import EETU_STUDY_RIGHT, identify_periods
from tests.planform.test_routes import UI, _page, _post
from tests.support.api import make_caller, owner_of

SYSTEM_KEYS = frozenset(f.key for r in RECORDS.values() for f in r.fields if f.system_set)
# A control a person types in or chooses from (hidden inputs are not).
VISIBLE = re.compile(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*name="([^"]+)"')


def system_values(record: str, value: Mapping[str, Any], path: str = "") -> Iterator[tuple]:
    """(path, value) of every system-set field of a document, walking the model."""
    for spec in RECORDS[record].fields:
        if spec.key not in value:
            continue
        here, item = f"{path}/{spec.key}", value[spec.key]
        if spec.system_set:
            yield here, item
        elif spec.type.kind is Kind.RECORD and isinstance(item, Mapping):
            yield from system_values(spec.type.record or "", item, here)
        elif spec.type.kind is Kind.LIST and spec.type.item and spec.type.item.record:
            for index, child in enumerate(item or []):
                yield from system_values(spec.type.item.record, child, f"{here}/{index}")


def test_an_edit_keeps_what_systems_set_and_shows_none_of_it(
    registry, http, session_factory, staff
):
    document = example_for("hoks_ainoastaan_ammatillisia.json", EETU, EETU_STUDY_RIGHT)
    identify_periods(document)
    document.update(
        versio=3, hyvaksytty="2026-01-15T10:00:00.000Z", paivitetty="2026-02-01T08:30:00.000Z"
    )
    school, _ = owner_of(session_factory, EETU_STUDY_RIGHT)
    system = make_caller(http, session_factory, school)
    created = system.post("/hoks", document)
    assert created.status_code == 200, created.text
    hoks_id = int(created.json()["meta"]["id"])
    before = system.get(f"/hoks/{hoks_id}").json()["data"]
    kept = dict(system_values(HOKS.name, before))
    assert {"/eid", "/versio", "/hyvaksytty", "/paivitetty", "/oppija-oid"} <= set(kept)
    assert any(p.endswith("/module-id") for p in kept)
    assert any(p.endswith("/yksiloiva-tunniste") for p in kept)

    writer = staff((A_SCHOOL, "write"))
    edit = f"{UI}/opiskelijat/{EETU}/hoks/{hoks_id}/muokkaa"
    opened = _page(writer, edit)
    assert opened.status_code == 200, opened.text
    shown = {name.rsplit(".", 1)[-1] for name in VISIBLE.findall(opened.text)}
    assert shown & SYSTEM_KEYS == set()
    assert shown.isdisjoint({"versio", "hyvaksytty", "paivitetty", "yksiloiva-tunniste", "eid"})
    assert "sahkoposti" in shown  # what a teacher does type is there
    values = form_values(opened.text)
    values["sahkoposti"] = "eetu.uusi@example.com"
    saved = _post(writer, edit, values, "save")
    assert saved.status_code == 303, saved.text

    after = system.get(f"/hoks/{hoks_id}").json()["data"]
    assert after["sahkoposti"] == "eetu.uusi@example.com"
    assert dict(system_values(HOKS.name, after)) == kept
