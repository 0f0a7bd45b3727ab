"""The change feed: every change of a provider's HOKS once, in commit order, from a cursor."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from ehoks.access.directory import OPH_ROOT_OID
from ehoks.hoks import writes
from tests.hoks.test_bulk import PROVIDER_B_STUDY_RIGHT, VILLE, with_identifiers
from tests.support.actors import trusted_actor
from tests.support.api import Caller, fresh_example, load_registry, make_caller, owner_of

PROVIDER_B = "1.2.246.562.10.81927839314"
FIRST = "hoks_ainoastaan_ammatillisia.json"
SECOND = "hoks_ainoastaan_paikallisia.json"
# A feed read waits for transactions that began earlier, anywhere on the database server (other
# test runs share it): a consumer asks again while the answer says `waiting`. Only a hang ends
# this, never a slow machine.
PATIENCE_S = 120


def follow(caller: Caller, after: str | None = None, limit: int = 2) -> tuple[list[dict], str]:
    """Every change after `after`, page by page as a consumer reads them; and the last cursor."""
    seen: list[dict] = []
    deadline = time.monotonic() + PATIENCE_S
    while True:
        params: dict[str, object] = {"limit": limit}
        if after is not None:
            params["after"] = after
        response = caller.get("/hoks/muutokset", params=params)
        assert response.status_code == 200, response.text
        page = response.json()["data"]
        seen += page["changes"]
        after = page["next-cursor"]
        if not page["changes"] and not page["waiting"]:
            return seen, after
        if page["waiting"] and not page["changes"]:
            assert time.monotonic() < deadline, "the feed never settled"
            time.sleep(0.05)


def _provider(http, session_factory) -> Caller:
    load_registry(session_factory)
    _, provider = owner_of(session_factory, fresh_example(FIRST)["opiskeluoikeus-oid"])
    assert owner_of(session_factory, fresh_example(SECOND)["opiskeluoikeus-oid"])[1] == provider
    return make_caller(http, session_factory, provider)


def plan(name: str) -> dict:
    return with_identifiers(fresh_example(name))


def _set_deleted(session_factory, hoks_id: int, *, deleted: bool) -> None:
    with session_factory() as session:
        change = writes.soft_delete_hoks if deleted else writes.restore_hoks
        change(session, hoks_id, trusted_actor(session), now=datetime.now(UTC))
        session.commit()


def test_a_consumer_sees_every_change_once_in_order(http, session_factory):
    caller = _provider(http, session_factory)
    first = caller.post("/hoks", plan(FIRST)).json()["meta"]["id"]
    second = caller.post("/hoks", plan(SECOND)).json()["meta"]["id"]
    patched = caller.patch(f"/hoks/{first}", {"id": first, "sahkoposti": "uusi@example.fi"})
    assert patched.status_code == 204, patched.text
    _set_deleted(session_factory, second, deleted=True)
    _set_deleted(session_factory, second, deleted=False)

    changes, cursor = follow(caller)
    assert [(c["hoks-id"], c["change"], c["revision"]) for c in changes] == [
        (first, "created", 1),
        (second, "created", 1),
        (first, "changed", 2),
        (second, "deleted", 2),
        (second, "restored", 3),
    ]
    # Each change carries the document as it left the HOKS.
    assert changes[0]["hoks"].get("sahkoposti") != "uusi@example.fi"
    assert changes[2]["hoks"]["sahkoposti"] == "uusi@example.fi"
    assert changes[2]["hoks"] == caller.get(f"/hoks/{first}").json()["data"]
    assert "hoks" not in changes[3]
    assert changes[4]["hoks"]["opiskeluoikeus-oid"] == fresh_example(SECOND)["opiskeluoikeus-oid"]
    assert len({c["cursor"] for c in changes}) == len(changes)

    # Read again from the cursor: nothing twice; then only what is new.
    assert follow(caller, cursor)[0] == []
    caller.patch(f"/hoks/{second}", {"id": second, "sahkoposti": "toinen@example.fi"})
    later, _ = follow(caller, cursor)
    assert [(c["hoks-id"], c["change"], c["revision"]) for c in later] == [(second, "changed", 4)]
    # A consumer that starts over gets the same history.
    assert follow(caller, limit=500)[0] == [*changes, *later]


def test_another_provider_sees_none_and_a_national_caller_sees_all_redacted(http, session_factory):
    caller = _provider(http, session_factory)
    document = plan(FIRST)
    document["sahkoposti"] = "oma@example.fi"
    hoks_id = caller.post("/hoks", document).json()["meta"]["id"]

    assert follow(make_caller(http, session_factory, PROVIDER_B))[0] == []
    national, _ = follow(make_caller(http, session_factory, OPH_ROOT_OID, access="read"))
    (entry,) = national
    assert entry["hoks-id"] == hoks_id
    assert "sahkoposti" not in entry["hoks"]
    own, _ = follow(caller)
    assert own[0]["hoks"]["sahkoposti"] == "oma@example.fi"


def test_two_providers_writing_in_turn_each_follow_only_their_own(http, session_factory):
    """The feed reads each provider's own range of the changes (docs/operations.md): with the
    providers' changes interleaved, each consumer, a change a page, gets exactly its own."""
    provider_a = _provider(http, session_factory)
    provider_b = make_caller(http, session_factory, PROVIDER_B)
    a_first = provider_a.post("/hoks", plan(FIRST)).json()["meta"]["id"]
    created = provider_b.post("/hoks", provider_b_plan())
    assert created.status_code == 200, created.text
    b_plan = created.json()["meta"]["id"]
    a_second = provider_a.post("/hoks", plan(SECOND)).json()["meta"]["id"]
    provider_a.patch(f"/hoks/{a_first}", {"id": a_first, "sahkoposti": "a@example.fi"})
    patched = provider_b.patch(f"/hoks/{b_plan}", {"id": b_plan, "sahkoposti": "b@example.fi"})
    assert patched.status_code == 204, patched.text

    b_changes, b_cursor = follow(provider_b, limit=1)
    assert [(c["hoks-id"], c["change"]) for c in b_changes] == [
        (b_plan, "created"),
        (b_plan, "changed"),
    ]
    assert b_changes[1]["hoks"]["sahkoposti"] == "b@example.fi"
    a_changes, _ = follow(provider_a, limit=1)
    assert [(c["hoks-id"], c["change"]) for c in a_changes] == [
        (a_first, "created"),
        (a_second, "created"),
        (a_first, "changed"),
    ]
    # A's later change does not show in B's feed from B's last cursor.
    provider_a.patch(f"/hoks/{a_second}", {"id": a_second, "sahkoposti": "c@example.fi"})
    assert follow(provider_b, b_cursor)[0] == []


def provider_b_plan() -> dict:
    return {
        "oppija-oid": VILLE,
        "opiskeluoikeus-oid": PROVIDER_B_STUDY_RIGHT,
        "ensikertainen-hyvaksyminen": "2024-01-01",
        "osaamisen-hankkimisen-tarve": True,
    }


def test_a_cursor_not_from_the_feed_is_a_clear_400(http, session_factory):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, PROVIDER_B, access="read")
    for bad in ("abc", "1", "1.2.3", "-1.5", "99999999999999999999.1", "1.99999999999"):
        response = caller.get("/hoks/muutokset", params={"after": bad})
        assert response.status_code == 400, (bad, response.text)
        body = response.json()
        assert body["code"] == "invalid_cursor"
        assert body["violations"][0]["path"] == "/query/after"
    swedish = caller.get(
        "/hoks/muutokset", params={"after": "x"}, headers={"Accept-Language": "sv"}
    )
    assert swedish.json()["error"] != body["error"]
    for limit in (0, 501):
        response = caller.get("/hoks/muutokset", params={"limit": limit})
        assert response.status_code == 400
        assert response.json()["violations"][0]["path"] == "/query/limit"


@pytest.mark.only_on("postgresql")
def test_a_change_committed_first_by_a_later_transaction_waits_for_the_earlier(
    http, session_factory
):
    """Two writers: A writes first, B writes after and commits first. A feed that handed out B's
    change before A committed would move its cursor past A's and never show it."""
    caller = _provider(http, session_factory)
    first = caller.post("/hoks", plan(FIRST)).json()["meta"]["id"]
    second = caller.post("/hoks", plan(SECOND)).json()["meta"]["id"]
    _, cursor = follow(caller)

    with session_factory() as early, session_factory() as late:
        now = datetime.now(UTC)
        writes.soft_delete_hoks(early, first, trusted_actor(early), now=now)
        writes.soft_delete_hoks(late, second, trusted_actor(late), now=now)
        late.commit()
        # B has committed, but A, which began writing before it, has not: B must wait.
        page = caller.get("/hoks/muutokset", params={"after": cursor}).json()["data"]
        assert page["changes"] == []
        assert page["waiting"] is True
        assert page["next-cursor"] == cursor
        early.commit()

    changes, _ = follow(caller, cursor)
    assert [(c["hoks-id"], c["change"]) for c in changes] == [
        (first, "deleted"),
        (second, "deleted"),
    ]
