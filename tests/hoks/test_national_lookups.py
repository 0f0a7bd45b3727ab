"""The national provider API's two lookups: one learning period by its id, and a HOKS's
procured training; both only within what the caller may read."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.api import fresh_example, load_registry, make_caller, owner_of

JUHO = "1.2.246.562.24.30124551052"
JUHO_STUDY_RIGHT = "1.2.246.562.15.20251000038"  # contains procured training at provider B
PROCURED = "1.2.246.562.15.20251000046"
PERIOD_KINDS = {"osaamisenhankkimistapa_koulutussopimus", "osaamisenhankkimistapa_oppisopimus"}


def _periods(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "osaamisen-hankkimistapa-koodi-uri" in node:
            found.append(node)
        for value in node.values():
            found += _periods(value)
    elif isinstance(node, list):
        for value in node:
            found += _periods(value)
    return found


def _create(caller, name: str, oppija: str | None = None, study_right: str | None = None) -> int:
    document = fresh_example(name)
    if oppija is not None:
        document["oppija-oid"], document["opiskeluoikeus-oid"] = oppija, study_right
    for number, period in enumerate(_periods(document)):
        if period["osaamisen-hankkimistapa-koodi-uri"] in PERIOD_KINDS:
            period.setdefault("yksiloiva-tunniste", f"period-{number}")
    response = caller.post("/hoks", document)
    assert response.status_code == 200, response.text
    return int(response.json()["meta"]["id"])


@pytest.fixture
def own_and_other(http, session_factory):
    load_registry(session_factory)
    oppilaitos, _ = owner_of(session_factory, fresh_example("hoks-full.json")["opiskeluoikeus-oid"])
    other_school, _ = owner_of(session_factory, PROCURED)
    return make_caller(http, session_factory, oppilaitos), make_caller(
        http, session_factory, other_school
    )


def test_a_learning_period_is_found_by_its_id_within_what_the_caller_reads(own_and_other):
    own, other = own_and_other
    hoks_id = _create(own, "hoks-full.json")
    periods = _periods(own.get(f"/hoks/{hoks_id}").json()["data"])
    assert len(periods) >= 2
    wanted = periods[-1]

    found = own.get(f"/hoks/osaamisen-hankkimistapa/{wanted['module-id']}")
    foreign = other.get(f"/hoks/osaamisen-hankkimistapa/{wanted['module-id']}")
    missing = own.get(f"/hoks/osaamisen-hankkimistapa/{uuid.uuid4()}")
    malformed = own.get("/hoks/osaamisen-hankkimistapa/12x")

    assert found.status_code == 200, found.text
    assert found.json() == {"meta": {}, "data": wanted}
    assert foreign.status_code == 404
    assert missing.status_code == 404
    assert missing.json()["code"] == foreign.json()["code"] == "learning_period_not_found"
    assert malformed.status_code == 400


def test_the_id_of_a_unit_is_not_a_learning_period(own_and_other):
    own, _ = own_and_other
    hoks_id = _create(own, "hoks-full.json")
    unit = own.get(f"/hoks/{hoks_id}").json()["data"]["hankittavat-ammat-tutkinnon-osat"][0]

    assert own.get(f"/hoks/osaamisen-hankkimistapa/{unit['module-id']}").status_code == 404


def test_procured_training_of_a_hoks_is_a_bare_list(http, session_factory):
    load_registry(session_factory)
    oppilaitos, _ = owner_of(session_factory, JUHO_STUDY_RIGHT)
    own = make_caller(http, session_factory, oppilaitos)
    juho = _create(own, "hoks_yksi_tutkinnonosa.json", JUHO, JUHO_STUDY_RIGHT)
    plain = _create(own, "hoks-full.json")
    procurer, _ = owner_of(session_factory, PROCURED)
    stranger = make_caller(http, session_factory, procurer, access="read")

    procured = own.get(f"/hoks/{juho}/hankintakoulutukset")
    none = own.get(f"/hoks/{plain}/hankintakoulutukset")
    foreign = stranger.get(f"/hoks/{plain}/hankintakoulutukset")

    assert procured.status_code == 200, procured.text
    assert procured.json() == [PROCURED]
    assert none.json() == []
    assert foreign.status_code == 404
