"""The published JSON Schema follows the model's presence per method."""

from __future__ import annotations

from typing import Any

from ehoks.hoksmodel import PART_LISTS, Method, json_schema, json_schema_get
from ehoks.hoksmodel.spec import RECORDS


def _objects(schema: dict[str, Any]) -> dict[str, Any]:
    return dict(schema["$defs"].items())


def test_post_schema() -> None:
    schema = json_schema(Method.POST)
    assert schema["$ref"] == "#/$defs/HOKSPost"
    defs = _objects(schema)
    assert len(defs) == len(RECORDS) == 27
    for definition in defs.values():
        assert definition["additionalProperties"] is False
        assert definition["type"] == "object"
        assert definition["description"]
        for prop in definition["properties"].values():
            assert prop["description"]
    hoks = defs["HOKSPost"]
    assert "eid" not in hoks["properties"]
    assert "id" not in hoks["properties"]
    assert set(hoks["required"]) == {
        "oppija-oid",
        "opiskeluoikeus-oid",
        "ensikertainen-hyvaksyminen",
        "osaamisen-hankkimisen-tarve",
    }
    oht = defs["OsaamisenHankkimistapaPost"]["properties"]
    assert "module-id" not in oht
    assert oht["alku"] == {
        "type": "string",
        "format": "date",
        "description": oht["alku"]["description"],
    }
    assert oht["muut-oppimisymparistot"]["items"]["$ref"] == "#/$defs/MuuOppimisymparistoPost"
    assert oht["osaamisen-hankkimistapa-koodi-uri"]["pattern"] == "^osaamisenhankkimistapa_.+$"
    assert defs["HOKSPost"]["properties"]["hyvaksytty"]["format"] == "date-time"
    assert defs["OpiskeluvalmiuksiaTukevatOpinnotPost"]["properties"]["id"]["type"] == "integer"


def test_put_and_patch_schemas() -> None:
    put = _objects(json_schema(Method.PUT))
    assert set(put["HOKSPut"]["required"]) == {
        "id",
        "ensikertainen-hyvaksyminen",
        "osaamisen-hankkimisen-tarve",
    }
    assert "eid" in put["HOKSPut"]["properties"]
    assert put["OsaamisenOsoittaminenPut"]["properties"]["module-id"]["format"] == "uuid"
    patch = json_schema(Method.PATCH, ref_template="#/components/schemas/{name}")
    assert patch["$ref"] == "#/components/schemas/HOKSPatch"
    assert list(patch["$defs"]) == ["HOKSPatch"]
    assert patch["$defs"]["HOKSPatch"]["required"] == ["id"]
    assert not set(PART_LISTS) & set(patch["$defs"]["HOKSPatch"]["properties"])


def test_get_schema() -> None:
    defs = _objects(json_schema_get())
    hoks = defs["HOKSGet"]
    assert set(PART_LISTS) <= set(hoks["required"])
    assert {"id", "eid"} <= set(hoks["required"])
    assert "module-id" in defs["HankittavaAmmatillinenTutkinnonOsaGet"]["required"]
    assert "id" not in defs["OpiskeluvalmiuksiaTukevatOpinnotGet"]["properties"]
    assert (
        "tarkentavat-tiedot-osaamisen-arvioija"
        in defs["AiemminHankittuAmmatillinenTutkinnonOsaGet"]["required"]
    )
