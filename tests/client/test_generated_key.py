"""Without a configured signing key, access tokens are signed with a key generated on first use
and kept in the database, where every web process of the service finds the same one."""

from __future__ import annotations

import httpx
import jwt
from sqlalchemy import select

from ehoks.kit.keys import PROVIDER_TOKENS, ServiceKey
from tests.client.conftest import MakeClient
from tests.support.server import LiveServer

API = "/ehoks-virkailija-backend/api/v1"


def _serve(settings):
    from ehoks.app import create_app

    server = LiveServer(create_app(settings.model_copy(update={"token_signing_key": None})))
    server.start()
    return server


def test_a_generated_key_is_shared_by_every_process(settings, make_client: MakeClient, session):
    client, secret = make_client()
    first, second = _serve(settings), _serve(settings)
    try:
        with (
            httpx.Client(base_url=first.base_url) as one,
            httpx.Client(base_url=second.base_url) as other,
        ):
            token = one.post(
                "/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=(client.client_id, secret),
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}", "Caller-Id": "t"}
            # The other process knows the key too: the token opens it (404: no such HOKS).
            assert other.get(f"{API}/hoks/1", headers=headers).status_code == 404
    finally:
        for server in (first, second):
            server.stop()
            server.app.state.engine.dispose()
    stored = session.scalars(select(ServiceKey).where(ServiceKey.name == PROVIDER_TOKENS)).one()
    assert len(stored.secret) >= 32
    assert stored.secret != settings.token_signing_key
    jwt.decode(token, stored.secret, algorithms=["HS256"], audience="ehoks-provider-api")
