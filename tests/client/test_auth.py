"""The bearer dependency of the provider API, on a tiny app of its own (not the main app)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import httpx
import jwt
import pytest
from fastapi import FastAPI, Request
from sqlalchemy import update

from ehoks.access.subjects import ClientAccess, SystemClientSubject
from ehoks.client import auth, service
from ehoks.client.cache import CLIENT_CACHE_SECONDS
from ehoks.client.models import SystemClient
from ehoks.kit import http
from ehoks.kit.db.engine import build_sessionmaker, transaction
from ehoks.kit.http import JsonResponse
from ehoks.kit.keys import PROVIDER_TOKENS, ServiceKeys
from ehoks.kit.policy import route_policy
from tests.client.conftest import MakeClient, disable
from tests.support.server import LiveServer

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from ehoks.config import Settings

READ = auth.system_client_policy(write=False, description="system client: read HOKS")
WRITE = auth.system_client_policy(write=True, description="system client: write HOKS")


@pytest.fixture(scope="module")
def tiny_server(settings: Settings, engine: Engine) -> Iterator[LiveServer]:
    server = LiveServer(_tiny_app(settings, build_sessionmaker(engine)))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def api(tiny_server: LiveServer, db: Engine) -> Iterator[httpx.Client]:
    del db  # requested so that the tables are emptied after the test
    with httpx.Client(base_url=tiny_server.base_url, timeout=30) as client:
        yield client


def _tiny_app(settings: Settings, factory: sessionmaker[Session]) -> FastAPI:
    app = FastAPI()
    app.state.settings = settings
    app.state.sessionmaker = factory
    app.state.keys = ServiceKeys(factory, {PROVIDER_TOKENS: settings.token_signing_key})
    http.install(app)

    @app.get("/read")
    def read(request: Request, subject: Annotated[SystemClientSubject, READ]) -> JsonResponse:
        assert request.state.subject is subject
        return JsonResponse(
            {
                "client_id": subject.client_id,
                "name": subject.name,
                "organisation_oid": subject.organisation_oid,
                "access": subject.access.value,
            }
        )

    @app.post("/write", dependencies=[WRITE])
    def write(request: Request) -> JsonResponse:
        return JsonResponse({"by": request.state.subject.client_id})

    return app


def _headers(
    token: str, caller_id: str | None = "1.2.246.562.10.11111111111.sis"
) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    if caller_id is not None:
        headers["Caller-Id"] = caller_id
    return headers


def test_dependency_is_marked_as_a_policy():
    assert route_policy(READ.dependency) == "system client: read HOKS"
    assert route_policy(WRITE.dependency) == "system client: write HOKS"


def test_valid_token_gives_the_subject(api: httpx.Client, make_client: MakeClient, settings):
    client, _ = make_client(ClientAccess.READ, "Opintohallinto")
    token, _ = service.issue_token(settings, client, settings.token_signing_key)

    response = api.get("/read", headers=_headers(token))

    assert response.status_code == 200
    assert response.json() == {
        "client_id": client.client_id,
        "name": "Opintohallinto",
        "organisation_oid": client.organisation_oid,
        "access": "read",
    }


def test_missing_authorization_is_401_with_plain_challenge(api: httpx.Client):
    response = api.get("/read", headers={"Caller-Id": "x"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="ehoks"'
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer not-a-jwt", "Basic dXNlcjpwYXNz", "garbage", "Bearer a.b.c"],
)
def test_bad_authorization_is_401_invalid_token(api: httpx.Client, authorization: str):
    response = api.get("/read", headers={"Authorization": authorization, "Caller-Id": "x"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="ehoks", error="invalid_token"'
    assert response.json()["code"] == "not_authenticated"


def test_expired_token_is_401(api: httpx.Client, make_client: MakeClient, settings: Settings):
    client, _ = make_client()
    past = datetime.now(UTC) - timedelta(hours=1)
    claims = {
        "iss": settings.token_issuer,
        "aud": service.TOKEN_AUDIENCE,
        "sub": client.client_id,
        "org": client.organisation_oid,
        "access": client.access,
        "iat": past,
        "nbf": past,
        "exp": past + timedelta(minutes=5),
        "jti": "old",
    }
    token = jwt.encode(claims, settings.token_signing_key, algorithm="HS256")
    response = api.get("/read", headers=_headers(token))
    assert response.status_code == 401
    assert "invalid_token" in response.headers["WWW-Authenticate"]


def test_token_for_unknown_client_is_401(api: httpx.Client, settings: Settings, organisation):
    class Ghost:
        client_id = "ehoks-ffffffffffffffff"
        organisation_oid = organisation
        access = "write"

    token, _ = service.issue_token(
        settings,
        Ghost(),  # type: ignore[arg-type]
        settings.token_signing_key,
    )
    response = api.get("/read", headers=_headers(token))
    assert response.status_code == 401


@pytest.mark.parametrize("caller_id", [None, ""])
def test_missing_caller_id_is_400(
    api: httpx.Client, make_client: MakeClient, settings: Settings, caller_id: str | None
):
    client, _ = make_client()
    token, _ = service.issue_token(settings, client, settings.token_signing_key)
    response = api.get("/read", headers=_headers(token, caller_id))
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "missing_caller_id"
    assert "Caller-Id" in body["error"]


def test_read_only_client_may_not_write(
    api: httpx.Client, make_client: MakeClient, settings: Settings
):
    reader, _ = make_client(ClientAccess.READ)
    writer, _ = make_client(ClientAccess.WRITE)

    denied = api.post(
        "/write",
        headers=_headers(service.issue_token(settings, reader, settings.token_signing_key)[0]),
    )
    allowed = api.post(
        "/write",
        headers=_headers(service.issue_token(settings, writer, settings.token_signing_key)[0]),
    )

    assert denied.status_code == 403
    assert denied.json()["code"] == "forbidden"
    assert allowed.status_code == 200
    assert allowed.json() == {"by": writer.client_id}


def test_a_disabled_client_is_refused_at_once(
    api: httpx.Client,
    make_client: MakeClient,
    settings: Settings,
    session_factory: sessionmaker[Session],
):
    client, _ = make_client()
    headers = _headers(service.issue_token(settings, client, settings.token_signing_key)[0])
    assert api.get("/read", headers=headers).status_code == 200  # now cached as enabled

    disable(session_factory, client.client_id)

    refused = api.get("/read", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"


def test_a_disable_made_by_another_process_applies_within_the_cache_period(
    api: httpx.Client,
    make_client: MakeClient,
    settings: Settings,
    session_factory: sessionmaker[Session],
    monkeypatch: pytest.MonkeyPatch,
):
    """`ehoks clients disable` runs in its own process: this server learns of it from the
    database, at the latest when its cached entry runs out."""
    now = [1000.0]
    monkeypatch.setattr(auth, "_clock", lambda: now[0])
    client, _ = make_client()
    headers = _headers(service.issue_token(settings, client, settings.token_signing_key)[0])
    assert api.get("/read", headers=headers).status_code == 200
    with transaction(session_factory) as session:  # as the other process writes it
        session.execute(
            update(SystemClient)
            .where(SystemClient.client_id == client.client_id)
            .values(disabled_at=datetime.now(UTC))
        )

    now[0] += CLIENT_CACHE_SECONDS
    assert api.get("/read", headers=headers).status_code == 401
