"""Optimistic concurrency: a stale If-Match never overwrites someone else's change.

The races are real only on PostgreSQL. SQLite serialises writers (one write transaction at a
time for the whole file), so on SQLite the two requests never overlap inside the database: those
cases still check the outcome (one 204 and one 412; both patches kept), but they race nothing.
The PostgreSQL runs are the ones that show the row lock and the If-Match check hold under
concurrent writers.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlalchemy import select

from ehoks.hoks.models import Hoks, HoksRevision
from tests.support.api import API, fresh_example, load_registry, make_caller, owner_of

ROUNDS = 5


def _create(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    oppilaitos, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, oppilaitos)
    created = caller.post("/hoks", document)
    assert created.status_code == 200, created.text
    return caller, created.json()["meta"]["id"]


def _at_once(base_url, requests):
    """Send the requests from separate connections, released together by a barrier."""
    barrier = threading.Barrier(len(requests))

    def send(request):
        method, path, body, headers = request
        with httpx.Client(base_url=base_url, timeout=30) as client:
            barrier.wait()
            return client.request(method, API + path, json=body, headers=headers)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def test_same_if_match_one_wins_other_gets_412(http, session_factory, live_server):
    caller, hoks_id = _create(http, session_factory)
    for round_number in range(ROUNDS):
        current = caller.get(f"/hoks/{hoks_id}")
        etag = current.headers["ETag"]
        bodies = []
        for side in ("a", "b"):
            body = current.json()["data"]
            body["sahkoposti"] = f"{side}{round_number}@example.fi"
            bodies.append(("PUT", f"/hoks/{hoks_id}", body, {**caller.headers, "If-Match": etag}))
        responses = _at_once(live_server.base_url, bodies)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [204, 412], [r.text for r in responses]
        winner = next(b for b, r in zip(bodies, responses, strict=True) if r.status_code == 204)
        loser = next(r for r in responses if r.status_code == 412)
        assert loser.json()["code"] == "precondition_failed"
        after = caller.get(f"/hoks/{hoks_id}")
        assert after.json()["data"]["sahkoposti"] == winner[2]["sahkoposti"]
        assert after.headers["ETag"] == loser.headers["ETag"]

    with session_factory() as session:
        row = session.scalars(select(Hoks).where(Hoks.id == hoks_id)).one()
        assert row.revision == 1 + ROUNDS
        history = session.scalars(
            select(HoksRevision.revision).where(HoksRevision.hoks_id == hoks_id)
        ).all()
        assert sorted(history) == list(range(1, 1 + ROUNDS))


def test_concurrent_patches_without_if_match_lose_nothing(http, session_factory, live_server):
    caller, hoks_id = _create(http, session_factory)
    requests = [
        (
            "PATCH",
            f"/hoks/{hoks_id}",
            {"id": hoks_id, "sahkoposti": "uusi@example.fi"},
            caller.headers,
        ),
        (
            "PATCH",
            f"/hoks/{hoks_id}",
            {"id": hoks_id, "puhelinnumero": "040 123 4567"},
            caller.headers,
        ),
    ]
    responses = _at_once(live_server.base_url, requests)
    assert [r.status_code for r in responses] == [204, 204], [r.text for r in responses]
    data = caller.get(f"/hoks/{hoks_id}").json()["data"]
    assert data["sahkoposti"] == "uusi@example.fi"
    assert data["puhelinnumero"] == "040 123 4567"


def test_stale_if_match_is_refused_without_writing(http, session_factory):
    caller, hoks_id = _create(http, session_factory)
    first = caller.get(f"/hoks/{hoks_id}")
    assert caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "versio": 7}).status_code == 204
    stale = caller.put(
        f"/hoks/{hoks_id}", first.json()["data"], headers={"If-Match": first.headers["ETag"]}
    )
    assert stale.status_code == 412
    assert caller.get(f"/hoks/{hoks_id}").json()["data"]["versio"] == 7
    malformed = caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id}, headers={"If-Match": "3"})
    assert malformed.status_code == 400
    assert malformed.json()["code"] == "invalid_if_match"
