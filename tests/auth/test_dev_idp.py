"""The development IdP's own checks, and that production never serves it."""

from __future__ import annotations

import pydantic
import pytest
from sqlalchemy import select

from ehoks.auth.models import DevIdpCode, OidcSignIn
from ehoks.config import Environment, Settings
from tests.auth.flow import STAFF_OID, pick, start
from tests.support.server import LiveServer

SECRET = "development-staff-client-secret"


def _authorized(browser, session):
    params = start(browser, "staff")
    authorization = pick(browser, params, "staff:", other_oid=STAFF_OID)
    row = session.get(OidcSignIn, params["state"])
    session.commit()
    assert row is not None
    return authorization, row.code_verifier


def _redeem(browser, authorization, verifier, secret=SECRET):
    return browser.post(
        "/dev-idp/token",
        data={
            "grant_type": "authorization_code",
            "code": authorization.code,
            "redirect_uri": authorization.authorize_params["redirect_uri"],
            "code_verifier": verifier,
        },
        auth=("ehoks-staff", secret),
    )


def test_pkce_mismatch_is_refused(browser, session):
    authorization, _ = _authorized(browser, session)
    response = _redeem(browser, authorization, "x" * 64)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_code_is_single_use(browser, session):
    authorization, verifier = _authorized(browser, session)
    first = _redeem(browser, authorization, verifier)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["token_type"] == "Bearer"
    assert body["id_token"].count(".") == 2
    again = _redeem(browser, authorization, verifier)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_refused(browser, session):
    authorization, verifier = _authorized(browser, session)
    response = _redeem(browser, authorization, verifier, secret="wrong")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_only_the_code_hash_is_stored(browser, session):
    authorization, _ = _authorized(browser, session)
    hashes = session.scalars(select(DevIdpCode.code_hash)).all()
    session.commit()
    assert authorization.code not in hashes
    assert len(hashes) == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"client_id": "stranger"}, "client_id"),
        ({"redirect_uri": "https://evil.example/cb"}, "redirect_uri"),
        ({"code_challenge_method": "plain"}, "S256"),
        ({"response_type": "token"}, "response_type"),
    ],
)
def test_authorize_refuses_bad_requests(browser, change, reason):
    params = {**start(browser, "staff"), **change}
    response = browser.get("/dev-idp/authorize", params=params, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json()["code"] == "dev_idp_invalid_request"
    assert reason in response.json()["error"]


def test_a_tampered_picker_form_is_refused(browser):
    params = start(browser, "staff")
    page = browser.get("/dev-idp/authorize", params=params)
    assert page.status_code == 200
    response = browser.post(
        "/dev-idp/authorize",
        data={**params, "issued": "0", "form_token": "0" * 64, "persona": f"staff:{STAFF_OID}"},
    )
    assert response.status_code == 400


def test_production_refuses_the_development_idp():
    with pytest.raises(pydantic.ValidationError, match="development sign-in is refused"):
        Settings(
            environment=Environment.PRODUCTION,
            database_url="postgresql+psycopg://ehoks@db/ehoks",
            token_signing_key="a-real-production-signing-key-0123456789abcdef",
            oidc_staff_client_secret="s1",
            oidc_student_client_secret="s2",
        )


def test_a_production_app_serves_nothing_under_dev_idp():
    from ehoks.app import create_app

    settings = Settings(
        environment=Environment.PRODUCTION,
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none",
        token_signing_key="a-real-production-signing-key-0123456789abcdef",
        oidc_staff_issuer="https://staff-idp.example",
        oidc_student_issuer="https://student-idp.example",
        oidc_staff_client_secret="s1",
        oidc_student_client_secret="s2",
    )
    assert settings.dev_idp_enabled is False
    server = LiveServer(create_app(settings))
    server.start()
    try:
        import httpx

        with httpx.Client(base_url=server.base_url) as client:
            for path in ("/dev-idp/.well-known/openid-configuration", "/dev-idp/jwks"):
                assert client.get(path).status_code == 404
            assert client.post("/dev-idp/token", data={"x": "y"}).status_code == 404
    finally:
        server.stop()
        server.app.state.engine.dispose()
