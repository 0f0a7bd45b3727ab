"""Every real HOKS document of the national format goes in, comes out whole, and survives a PUT."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import (
    example_names,
    fresh_example,
    load_registry,
    make_caller,
    owner_of,
    violations,
)

WORKPLACE_PERIOD_CODES = {
    "osaamisenhankkimistapa_koulutussopimus",
    "osaamisenhankkimistapa_oppisopimus",
}
# Keys a GET may add to what was sent: server-owned identifiers and always-present empty lists.
SERVER_KEYS = {"id", "eid", "manuaalisyotto", "module-id"}
EMPTY_DEFAULTS: list[Any] = [[], {"aiemmin-hankitun-osaamisen-arvioijat": []}]


def periods_without_identifier(node: Any, path: str = "") -> list[str]:
    """JSON pointers of workplace periods that lack `yksiloiva-tunniste`."""
    found: list[str] = []
    if isinstance(node, dict):
        if (
            node.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_PERIOD_CODES
            and "yksiloiva-tunniste" not in node
        ):
            found.append(path)
        for key, value in node.items():
            found += periods_without_identifier(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += periods_without_identifier(value, f"{path}/{index}")
    return found


def set_at(document: dict[str, Any], path: str, key: str, value: Any) -> None:
    node: Any = document
    for part in path.split("/")[1:]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[key] = value


def assert_preserved(sent: Any, got: Any, where: str = "") -> None:
    """Every field that was sent comes back with the same value; anything extra is server-owned."""
    if isinstance(sent, dict):
        assert isinstance(got, dict), where
        for key, value in sent.items():
            assert key in got, f"{where}/{key} was dropped"
            assert_preserved(value, got[key], f"{where}/{key}")
        for extra in got.keys() - sent.keys():
            assert extra in SERVER_KEYS or got[extra] in EMPTY_DEFAULTS, (
                f"{where}/{extra} was added"
            )
    elif isinstance(sent, list):
        assert isinstance(got, list), where
        assert len(got) == len(sent), f"{where}: {len(got)} items, sent {len(sent)}"
        for index, (s, g) in enumerate(zip(sent, got, strict=True)):
            assert_preserved(s, g, f"{where}/{index}")
    else:
        assert got == sent, f"{where}: got {got!r}, sent {sent!r}"


@pytest.mark.parametrize("name", example_names())
def test_example_round_trip(name, http, session_factory):
    load_registry(session_factory)
    document = fresh_example(name)
    oppilaitos, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, oppilaitos)

    missing = periods_without_identifier(document)
    if missing:
        # The provider API, like the national one, refuses a workplace period without the
        # source system's identifier (hoks-model.md 5.1 b): exactly those periods are listed.
        refused = caller.post("/hoks", document)
        assert refused.status_code == 400
        assert sorted(violations(refused)) == sorted(
            ("period_identifier_required", f"{p}/yksiloiva-tunniste") for p in missing
        )
        for number, path in enumerate(missing):
            set_at(document, path, "yksiloiva-tunniste", f"sis-period-{number}")

    created = caller.post("/hoks", document)
    assert created.status_code == 200, created.text
    hoks_id = created.json()["meta"]["id"]
    assert created.json()["data"]["uri"].endswith(f"/hoks/{hoks_id}")

    first = caller.get(f"/hoks/{hoks_id}")
    assert first.status_code == 200
    stored = first.json()["data"]
    assert stored["id"] == hoks_id
    assert_preserved(document, stored)

    # A GET response goes back unchanged as a PUT and changes nothing but the revision.
    replaced = caller.put(f"/hoks/{hoks_id}", stored, headers={"If-Match": first.headers["ETag"]})
    assert replaced.status_code == 204, replaced.text
    second = caller.get(f"/hoks/{hoks_id}")
    assert second.json()["data"] == stored
    assert second.headers["ETag"] != first.headers["ETag"]
