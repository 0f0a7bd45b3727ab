"""Two requests creating the HOKS of one study right at once: the loser gets the answer a
sequential duplicate gets (400 `hoks_exists`, or for an upsert the replace a later batch does),
never a 500, and nothing of it is written.

The race is staged on PostgreSQL: a transaction holds its uncommitted HOKS for the study right
while the request runs, so the request's existence check finds nothing and its insert waits on
the unique index; the holder then commits and the insert fails. SQLite serialises writers, so
there only the sequential case can happen; it is checked on both databases.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select, text

from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from tests.hoks.test_bulk import with_identifiers
from tests.support.api import (
    API,
    example_names,
    fresh_example,
    load_registry,
    make_caller,
    owner_of,
)

A_SCHOOL = "1.2.246.562.10.54453921329"
WAIT_FOR_LOCK_ROUNDS = 600


def _documents():
    return [with_identifiers(fresh_example(name)) for name in example_names()[:2]]


def _holder_row(session_factory, document):
    oppilaitos, koulutustoimija = owner_of(session_factory, document["opiskeluoikeus-oid"])
    return hoks_repository.NewHoks(
        eid=str(uuid.uuid4()),
        oppija_oid=document["oppija-oid"],
        opiskeluoikeus_oid=document["opiskeluoikeus-oid"],
        oppilaitos_oid=oppilaitos,
        koulutustoimija_oid=koulutustoimija,
        ensikertainen_hyvaksyminen=None,
        osaamisen_saavuttamisen_pvm=None,
        manuaalisyotto=False,
        document="{}",
        actor="holder",
        now=datetime.now(UTC),
    )


def _while_held(session_factory, live_server, document, request):
    """Send `request` while another transaction holds an uncommitted HOKS for the document's
    study right; commit it once the request waits on it. The response, and the holder's id."""
    method, path, body, headers = request
    with session_factory() as holder, ThreadPoolExecutor(1) as pool:
        held = hoks_repository.insert_hoks(holder, _holder_row(session_factory, document))
        assert held is not None

        def send():
            with httpx.Client(base_url=live_server.base_url, timeout=60) as client:
                return client.request(method, API + path, json=body, headers=headers)

        pending = pool.submit(send)
        with session_factory() as watcher:
            for _ in range(WAIT_FOR_LOCK_ROUNDS):
                waiting = watcher.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                ).scalar_one()
                watcher.rollback()
                if waiting or pending.done():
                    break
                threading.Event().wait(0.05)
        assert not pending.done(), pending.result().text
        holder.commit()
        return pending.result(), held.id


def _without_request_id(body):
    return {key: value for key, value in body.items() if key != "request-id"}


def _stored_count(session_factory, oid):
    with session_factory() as session:
        return session.scalar(
            select(func.count()).select_from(Hoks).where(Hoks.opiskeluoikeus_oid == oid)
        )


@pytest.mark.only_on("postgresql")
def test_racing_single_create_gets_the_duplicate_answer(http, session_factory, live_server):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    document = _documents()[0]
    response, held_id = _while_held(
        session_factory, live_server, document, ("POST", "/hoks", document, caller.headers)
    )
    assert response.status_code == 400, response.text
    assert response.json()["code"] == "hoks_exists"
    assert f"(id {held_id})" in response.json()["error"]
    # Exactly what a sequential duplicate is told (the same error, so in every language).
    sequential = caller.post("/hoks", document)
    assert sequential.status_code == 400
    assert _without_request_id(response.json()) == _without_request_id(sequential.json())
    assert _stored_count(session_factory, document["opiskeluoikeus-oid"]) == 1


@pytest.mark.only_on("postgresql")
def test_racing_bulk_create_refuses_that_item_and_creates_the_rest(
    http, session_factory, live_server
):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    racing, other = _documents()
    response, held_id = _while_held(
        session_factory,
        live_server,
        racing,
        ("POST", "/hoks/bulk", [racing, other], caller.headers),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"] == {"created": 1, "refused": 1}
    lost, created = body["data"]
    assert lost["error"]["code"] == "hoks_exists"
    assert "id" not in lost
    assert caller.get(f"/hoks/{created['id']}").status_code == 200
    # The same item error a later batch gets for that study right.
    again = caller.post("/hoks/bulk", [racing]).json()["data"][0]
    assert again["error"] == lost["error"]
    assert str(held_id) in lost["error"]["error"]
    assert _stored_count(session_factory, racing["opiskeluoikeus-oid"]) == 1


@pytest.mark.only_on("postgresql")
def test_racing_upsert_replaces_the_hoks_created_meanwhile(http, session_factory, live_server):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    racing, other = _documents()
    response, held_id = _while_held(
        session_factory, live_server, racing, ("PUT", "/hoks/bulk", [racing, other], caller.headers)
    )
    assert response.status_code == 200, response.text
    replaced, created = response.json()["data"]
    assert "error" not in replaced, replaced
    assert replaced["id"] == held_id
    assert "error" not in created, created
    assert caller.get(f"/hoks/{held_id}").json()["data"]["oppija-oid"] == racing["oppija-oid"]
    assert _stored_count(session_factory, racing["opiskeluoikeus-oid"]) == 1


def test_sequential_duplicates_get_the_same_error_single_and_in_a_batch(http, session_factory):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    first, other = _documents()
    assert caller.post("/hoks", first).status_code == 200
    single = caller.post("/hoks", first)
    assert single.status_code == 400
    assert single.json()["code"] == "hoks_exists"
    batch = caller.post("/hoks/bulk", [first, other]).json()
    assert batch["meta"] == {"created": 1, "refused": 1}
    assert batch["data"][0]["error"]["code"] == "hoks_exists"
    assert batch["data"][0]["error"]["error"] == single.json()["error"]
    assert _stored_count(session_factory, first["opiskeluoikeus-oid"]) == 1
