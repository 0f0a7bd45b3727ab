"""Writes with every registry over HTTP: the national examples as with local registries, the
local copy on the hot path, and 503 with Retry-After when Koski is needed and cannot answer."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from ehoks.kit.db.base import utcnow
from ehoks.kit.db.engine import transaction
from ehoks.registry.models import Person, StudyRight
from ehoks.registry.refresh import refresh_organisations
from ehoks.registry.remote.setup import Registries
from tests.hoks.test_examples import assert_preserved, periods_without_identifier, set_at
from tests.support.api import Caller, example_names, fresh_example, make_caller
from tests.support.registries import koski_documents

KOSKI = "/koski/api/"
# Long enough for a breaker of one second to let a trial call through on a busy machine.
RECOVERY_WAIT_S = 30


def oppilaitos_of(study_right_oid: str) -> str:
    oid: str = koski_documents()[f"/koski/api/opiskeluoikeus/{study_right_oid}"]["oppilaitos"][
        "oid"
    ]
    return oid


def caller_for(
    http: httpx.Client,
    factory: sessionmaker[Session],
    registries: Registries,
    study_right_oid: str,
) -> Caller:
    """A provider system of the study right's oppilaitos, fetched from organisaatio first."""
    oppilaitos = oppilaitos_of(study_right_oid)
    with transaction(factory) as session:
        refresh_organisations(session, registries, [oppilaitos], utcnow())
    return make_caller(http, factory, oppilaitos)


def with_period_identifiers(document: dict[str, Any]) -> dict[str, Any]:
    for number, path in enumerate(periods_without_identifier(document)):
        set_at(document, path, "yksiloiva-tunniste", f"sis-period-{number}")
    return document


def make_stale(factory: sessionmaker[Session], oid: str) -> None:
    long_ago = utcnow() - timedelta(days=30)
    with transaction(factory) as session:
        row = session.get(StudyRight, oid)
        assert row is not None
        row.checked_at = long_ago
        row.updated_at = long_ago


@pytest.mark.parametrize("name", example_names())
def test_example_round_trip_with_http_registries(
    name, remote_http, session_factory, registries, stand_ins
):
    document = with_period_identifiers(fresh_example(name))
    oid = document["opiskeluoikeus-oid"]
    caller = caller_for(remote_http, session_factory, registries, oid)
    with session_factory() as session:
        assert session.get(StudyRight, oid) is None  # nothing imported: Koski is asked

    created = caller.post("/hoks", document)
    assert created.status_code == 200, created.text
    hoks_id = created.json()["meta"]["id"]
    first = caller.get(f"/hoks/{hoks_id}")
    assert first.status_code == 200
    stored = first.json()["data"]
    assert_preserved(document, stored)

    asked = stand_ins["koski"].state.count(KOSKI)
    replaced = caller.put(f"/hoks/{hoks_id}", stored, headers={"If-Match": first.headers["ETag"]})
    assert replaced.status_code == 204, replaced.text
    assert caller.get(f"/hoks/{hoks_id}").json()["data"] == stored
    # The study right was fetched once and stored: the PUT was checked against the local copy.
    assert stand_ins["koski"].state.count(KOSKI) == asked
    with session_factory() as session:
        row = session.get(StudyRight, oid)
        assert row is not None
        assert row.checked_at is not None
        assert session.get(Person, document["oppija-oid"]) is not None


def test_a_stale_copy_is_fetched_again_and_a_fresh_one_is_not(
    remote_http, session_factory, registries, stand_ins
):
    document = with_period_identifiers(fresh_example("hoks_tuva.json"))
    oid = document["opiskeluoikeus-oid"]
    caller = caller_for(remote_http, session_factory, registries, oid)
    hoks_id = caller.post("/hoks", document).json()["meta"]["id"]
    koski = stand_ins["koski"].state

    fresh = koski.count(f"{KOSKI}opiskeluoikeus/{oid}")
    assert caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id}).status_code == 204
    assert koski.count(f"{KOSKI}opiskeluoikeus/{oid}") == fresh

    make_stale(session_factory, oid)
    assert caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id}).status_code == 204
    assert koski.count(f"{KOSKI}opiskeluoikeus/{oid}") == fresh + 1
    with session_factory() as session:
        row = session.get(StudyRight, oid)
        assert row is not None
        assert row.checked_at is not None
        assert row.checked_at > utcnow() - timedelta(days=1)


def test_koski_stopped_writes_answer_503_reads_200_and_the_circuit_closes_again(
    remote_http, session_factory, registries, stand_ins
):
    kept = with_period_identifiers(fresh_example("hoks_tuva.json"))
    caller = caller_for(remote_http, session_factory, registries, kept["opiskeluoikeus-oid"])
    hoks_id = caller.post("/hoks", kept).json()["meta"]["id"]
    # Another student: nothing of theirs came with the first fetch.
    new = with_period_identifiers(fresh_example("hoks-full.json"))

    stand_ins["koski"].stop()
    refused = [caller.post("/hoks", new, headers={"Accept-Language": "en"}) for _ in range(4)]
    for response in refused:
        assert response.status_code == 503, response.text
        assert response.json()["code"] == "registry_unavailable"
        assert "koski" in response.json()["error"]
        assert int(response.headers["Retry-After"]) >= 1
    # Reads, and writes the fresh local copy can check, do not need Koski.
    assert caller.get(f"/hoks/{hoks_id}").status_code == 200
    assert caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id}).status_code == 204
    make_stale(session_factory, kept["opiskeluoikeus-oid"])
    stale = caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id})
    assert stale.status_code == 503
    assert "Retry-After" in stale.headers
    with session_factory() as session:
        assert session.get(StudyRight, new["opiskeluoikeus-oid"]) is None

    stand_ins["koski"].start()
    deadline = time.monotonic() + RECOVERY_WAIT_S
    while (created := caller.post("/hoks", new)).status_code == 503:
        assert time.monotonic() < deadline, "the circuit did not close after Koski returned"
        time.sleep(0.2)
    assert created.status_code == 200, created.text
    assert caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id}).status_code == 204


@pytest.mark.parametrize(
    ("mode", "code"),
    [
        ("slow", "registry_unavailable"),
        ("500", "registry_unavailable"),
        ("malformed", "registry_answer_invalid"),
        ("missing-field", "registry_answer_invalid"),
    ],
)
def test_a_half_broken_koski_answer_refuses_the_write_and_stores_nothing(  # noqa: PLR0917 - fixtures
    mode, code, remote_http, session_factory, registries, stand_ins
):
    document = with_period_identifiers(fresh_example("hoks_tuva.json"))
    caller = caller_for(remote_http, session_factory, registries, document["opiskeluoikeus-oid"])
    stand_ins["koski"].misbehave(mode)

    refused = caller.post("/hoks", document, headers={"Accept-Language": "fi"})
    assert refused.status_code == 503, refused.text
    body = refused.json()
    assert body["code"] == code
    assert "koski" in body["error"]
    assert "Mitään ei tallennettu" in body["error"]
    assert int(refused.headers["Retry-After"]) >= 1
    with session_factory() as session:
        assert session.get(StudyRight, document["opiskeluoikeus-oid"]) is None
        assert session.get(Person, document["oppija-oid"]) is None
    assert caller.get("/hoks/opiskeluoikeus/" + document["opiskeluoikeus-oid"]).status_code in {
        403,
        404,
    }


def test_a_study_right_koski_does_not_know_is_refused_as_locally(
    remote_http, session_factory, registries
):
    document = with_period_identifiers(fresh_example("hoks_tuva.json"))
    caller = caller_for(remote_http, session_factory, registries, document["opiskeluoikeus-oid"])
    document["opiskeluoikeus-oid"] = "1.2.246.562.15.99999999990"
    refused = caller.post("/hoks", document)
    assert refused.status_code == 403, refused.text
    assert refused.json()["code"] == "study_right_forbidden"
