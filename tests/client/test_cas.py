"""A provider system written for the national service, signing in with CAS tickets (no OAuth2).

The whole integration runs through the live server: a ticket-granting ticket from the user name
and password, then one service ticket per call in the `ticket` header, as the national
integrations do, for create, read, replace and patch of a real plan.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import update

from ehoks.client import cas
from ehoks.client.models import CasTicket
from ehoks.client.service import create_client, disable_client
from tests.support.api import API, fresh_example, load_registry, owner_of

if TYPE_CHECKING:
    import httpx
    from sqlalchemy.orm import Session, sessionmaker

CALLER_ID = "1.2.246.562.10.00000000001.national-sis"
WORKPLACE_PERIODS = {"osaamisenhankkimistapa_koulutussopimus", "osaamisenhankkimistapa_oppisopimus"}


class NationalStyleSystem:
    """What a national integration does: a TGT once, a fresh service ticket per call."""

    def __init__(self, http: httpx.Client, username: str, password: str):
        self.http = http
        self.service = _service_url(http)
        response = http.post("/cas/v1/tickets", data={"username": username, "password": password})
        assert response.status_code == 201, response.text
        self.granting_url = response.headers["location"]
        base = str(http.base_url).rstrip("/")
        assert self.granting_url.startswith(base + "/cas/v1/tickets/TGT-")

    def service_ticket(self) -> str:
        path = self.granting_url.removeprefix(str(self.http.base_url).rstrip("/"))
        path = path[path.index("/cas/") :]
        response = self.http.post(path, data={"service": self.service})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/plain")
        return response.text

    def call(self, method: str, path: str, body: Any = None, ticket: str | None = None):
        headers = {"ticket": ticket or self.service_ticket(), "Caller-Id": CALLER_ID}
        return self.http.request(method, API + path, json=body, headers=headers)


def _service_url(http: httpx.Client) -> str:
    """The live server's service URL (its public base URL is the server's own address)."""
    return str(http.base_url).rstrip("/") + cas.SERVICE_PATH


def _cas_client(
    factory: sessionmaker[Session], organisation: str, **kwargs: Any
) -> tuple[str, str]:
    with factory() as session:
        client, secret = create_client(
            session, name="National SIS", organisation_oid=organisation, access="write", **kwargs
        )
        session.commit()
        assert client.cas_username is not None
        return client.cas_username, secret


def _with_period_identifiers(node: Any) -> None:
    """The provider API requires `yksiloiva-tunniste` on workplace periods, as the national one."""
    if isinstance(node, dict):
        if node.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_PERIODS:
            node.setdefault("yksiloiva-tunniste", f"period-{id(node)}")
        for value in node.values():
            _with_period_identifiers(value)
    elif isinstance(node, list):
        for value in node:
            _with_period_identifiers(value)


@pytest.fixture
def system(http: httpx.Client, session_factory: sessionmaker[Session]):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    oppilaitos, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    username, password = _cas_client(session_factory, oppilaitos, cas=True)
    return NationalStyleSystem(http, username, password), document


def test_a_national_integration_creates_reads_replaces_and_patches_with_cas_tickets(system):
    integration, document = system
    _with_period_identifiers(document)

    created = integration.call("POST", "/hoks", document)
    assert created.status_code == 200, created.text
    hoks_id = created.json()["meta"]["id"]
    assert created.json()["data"]["uri"].endswith(f"/hoks/{hoks_id}")

    read = integration.call("GET", f"/hoks/{hoks_id}")
    assert read.status_code == 200, read.text
    stored = read.json()["data"]
    assert stored["opiskeluoikeus-oid"] == document["opiskeluoikeus-oid"]

    stored["urasuunnitelma-koodi-uri"] = "urasuunnitelma_0002"
    replaced = integration.call("PUT", f"/hoks/{hoks_id}", stored)
    assert replaced.status_code == 204, replaced.text

    patch = {"id": hoks_id, "osaamisen-saavuttamisen-pvm": "2026-11-30"}
    patched = integration.call("PATCH", f"/hoks/{hoks_id}", patch)
    assert patched.status_code == 204, patched.text

    final = integration.call("GET", f"/hoks/{hoks_id}").json()["data"]
    assert final["urasuunnitelma-koodi-uri"] == "urasuunnitelma_0002"
    assert final["osaamisen-saavuttamisen-pvm"] == "2026-11-30"

    by_study_right = integration.call(
        "GET", f"/hoks/opiskeluoikeus/{document['opiskeluoikeus-oid']}"
    )
    assert by_study_right.status_code == 200, by_study_right.text


def test_a_service_ticket_works_once(system):
    integration, _ = system
    ticket = integration.service_ticket()

    first = integration.call("GET", "/hoks/paged", ticket=ticket)
    again = integration.call("GET", "/hoks/paged", ticket=ticket)

    assert first.status_code == 200, first.text
    assert again.status_code == 401
    assert again.json()["code"] == "invalid_ticket"


def test_two_requests_racing_with_one_ticket_get_one_answer(system):
    integration, _ = system
    ticket = integration.service_ticket()
    statuses: list[int] = []
    start = threading.Barrier(4)

    def call() -> None:
        start.wait()
        statuses.append(integration.call("GET", "/hoks/paged", ticket=ticket).status_code)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 401, 401, 401]


def test_an_expired_service_ticket_is_refused(system, session_factory):
    integration, _ = system
    ticket = integration.service_ticket()
    with session_factory() as session:
        session.execute(
            update(CasTicket)
            .where(CasTicket.kind == "ST")
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        session.commit()

    assert integration.call("GET", "/hoks/paged", ticket=ticket).status_code == 401


def test_a_ticket_for_another_service_is_not_issued_and_a_forged_one_is_refused(system, http):
    integration, _ = system
    path = integration.granting_url[integration.granting_url.index("/cas/") :]

    foreign = http.post(path, data={"service": "https://virkailija.opintopolku.fi/koski"})
    forged = integration.call("GET", "/hoks/paged", ticket="ST-" + "A" * 43)
    not_ours = integration.call("GET", "/hoks/paged", ticket="ST-1-abc-cas.example")

    assert foreign.status_code == 400
    assert foreign.json()["code"] == "cas_unknown_service"
    assert integration.service in foreign.json()["error"]
    assert forged.status_code == 401
    assert not_ours.status_code == 401


def test_ending_the_granting_ticket_ends_its_service_tickets(system, http):
    integration, _ = system
    ticket = integration.service_ticket()
    path = integration.granting_url[integration.granting_url.index("/cas/") :]

    ended = http.delete(path)

    assert ended.status_code == 200
    assert integration.call("GET", "/hoks/paged", ticket=ticket).status_code == 401
    after = http.post(path, data={"service": integration.service})
    assert after.status_code == 404
    assert after.json()["code"] == "cas_unknown_ticket"
    assert http.delete(path).status_code == 404


def test_an_expired_granting_ticket_issues_nothing(system, http, session_factory):
    integration, _ = system
    with session_factory() as session:
        session.execute(
            update(CasTicket).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        session.commit()
    path = integration.granting_url[integration.granting_url.index("/cas/") :]

    assert http.post(path, data={"service": integration.service}).status_code == 404


def test_wrong_credentials_and_disabled_clients_get_no_tickets(http, session_factory):
    load_registry(session_factory)
    oppilaitos, _ = owner_of(session_factory, fresh_example("hoks-full.json")["opiskeluoikeus-oid"])
    username, password = _cas_client(session_factory, oppilaitos, cas_username="wilma.sis")

    wrong = http.post("/cas/v1/tickets", data={"username": username, "password": "x" + password})
    unknown = http.post("/cas/v1/tickets", data={"username": "nobody", "password": password})
    missing = http.post("/cas/v1/tickets", data={"username": username})
    not_a_form = http.post("/cas/v1/tickets", json={"username": username, "password": password})
    granted = http.post("/cas/v1/tickets", data={"username": username, "password": password})
    with session_factory() as session:
        client_id = session.query(CasTicket.client_id).scalar()
        disable_client(session, client_id)
        session.commit()
    path = granted.headers["location"][granted.headers["location"].index("/cas/") :]
    after_disable = http.post(path, data={"service": _service_url(http)})

    assert (wrong.status_code, unknown.status_code) == (401, 401)
    assert wrong.json()["code"] == unknown.json()["code"] == "cas_authentication_failed"
    assert missing.status_code == 400
    assert not_a_form.status_code == 415
    assert granted.status_code == 201
    assert after_disable.status_code == 404
    again = http.post("/cas/v1/tickets", data={"username": username, "password": password})
    assert again.status_code == 401


def test_a_read_only_cas_client_cannot_write(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    oppilaitos, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    with session_factory() as session:
        client, secret = create_client(
            session, name="Reader", organisation_oid=oppilaitos, access="read", cas=True
        )
        session.commit()
        username = client.cas_username
    assert username is not None
    reader = NationalStyleSystem(http, username, secret)

    assert reader.call("POST", "/hoks", document).status_code == 403
    assert reader.call("GET", "/hoks/paged").status_code == 200


def test_a_ticket_call_without_caller_id_keeps_the_ticket(system):
    integration, _ = system
    ticket = integration.service_ticket()

    refused = integration.http.get(API + "/hoks/paged", headers={"ticket": ticket})
    accepted = integration.call("GET", "/hoks/paged", ticket=ticket)

    assert refused.status_code == 400
    assert refused.json()["code"] == "missing_caller_id"
    assert accepted.status_code == 200


def test_guessing_passwords_is_throttled_with_retry_after(http, session_factory):
    load_registry(session_factory)
    oppilaitos, _ = owner_of(session_factory, fresh_example("hoks-full.json")["opiskeluoikeus-oid"])
    username, password = _cas_client(session_factory, oppilaitos, cas=True)

    statuses = [
        http.post("/cas/v1/tickets", data={"username": username, "password": f"guess{n}"})
        for n in range(12)
    ]
    right_but_throttled = http.post(
        "/cas/v1/tickets", data={"username": username, "password": password}
    )

    codes = [response.status_code for response in statuses]
    assert codes[:10] == [401] * 10
    assert codes[10:] == [429, 429]
    assert int(statuses[-1].headers["retry-after"]) >= 1
    assert statuses[-1].json()["code"] == "too_many_attempts"
    assert right_but_throttled.status_code == 429
