"""The development IdP's own checks, and that production never serves it."""

from __future__ import annotations

import pydantic
import pytest
from sqlalchemy import select

from ehoks.auth.models import DevIdpCode, OidcSignIn
from ehoks.config import Settings
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
    # The picker is a page: its refusal is a page too, saying why, in the asked language.
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "The development identity provider refused the request" in response.text
    assert reason in response.text


def test_a_tampered_picker_form_is_refused(browser):
    params = start(browser, "staff")
    page = browser.get("/dev-idp/authorize", params=params)
    assert page.status_code == 200
    response = browser.post(
        "/dev-idp/authorize",
        data={**params, "issued": "0", "form_token": "0" * 64, "persona": f"staff:{STAFF_OID}"},
    )
    assert response.status_code == 400


def test_the_development_idp_runs_only_in_development_mode():
    without_issuers = Settings(database_url="postgresql+psycopg://ehoks@db/ehoks")
    assert without_issuers.dev_idp_enabled is False
    assert without_issuers.staff_issuer() is None
    assert without_issuers.student_issuer() is None
    chosen = without_issuers.model_copy(update={"development_mode": True})
    assert chosen.dev_idp_enabled is True
    assert chosen.staff_issuer() == "http://127.0.0.1:8000/dev-idp"


def test_a_real_issuer_needs_its_own_client_secret():
    with pytest.raises(pydantic.ValidationError, match="EHOKS_OIDC_STAFF_CLIENT_SECRET"):
        Settings(oidc_staff_issuer="https://staff-idp.example")


def test_an_app_outside_development_mode_serves_nothing_under_dev_idp():
    from ehoks.app import create_app

    settings = Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
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
