"""POST /oauth2/token over real HTTP (RFC 6749 §4.4, §2.3.1, §5.1, §5.2)."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING
from urllib.parse import quote_plus

import pytest

from ehoks.client import service
from tests.client.conftest import MakeClient, disable

if TYPE_CHECKING:
    import httpx
    from sqlalchemy.orm import Session, sessionmaker

    from ehoks.config import Settings

FORM = {"grant_type": "client_credentials"}


def _basic(client_id: str, secret: str) -> str:
    # RFC 6749 §2.3.1: each part form-urlencoded, then joined and base64-encoded.
    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()
    return "Basic " + base64.b64encode(raw).decode()


def _assert_oauth_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "error_description"}
    assert body["error"] == error
    assert body["error_description"].isascii()
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"
    if status == 401:
        assert response.headers["WWW-Authenticate"] == 'Basic realm="ehoks"'


def _assert_token(response: httpx.Response, settings: Settings, client_id: str) -> None:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == settings.token_ttl_seconds
    assert (
        service.verify_token(settings, body["access_token"], settings.token_signing_key)["sub"]
        == client_id
    )


def test_basic_authentication(http: httpx.Client, make_client: MakeClient, settings: Settings):
    client, secret = make_client()
    response = http.post(
        "/oauth2/token",
        data=FORM,
        headers={"Authorization": _basic(client.client_id, secret)},
    )
    _assert_token(response, settings, client.client_id)


def test_httpx_basic_auth_helper_works_too(
    http: httpx.Client, make_client: MakeClient, settings: Settings
):
    client, secret = make_client()
    response = http.post("/oauth2/token", data=FORM, auth=(client.client_id, secret))
    _assert_token(response, settings, client.client_id)


def test_form_authentication_and_scope_is_ignored(
    http: httpx.Client, make_client: MakeClient, settings: Settings
):
    client, secret = make_client()
    response = http.post(
        "/oauth2/token",
        data={**FORM, "client_id": client.client_id, "client_secret": secret, "scope": "x y"},
    )
    _assert_token(response, settings, client.client_id)


def test_content_type_with_charset_is_accepted(
    http: httpx.Client, make_client: MakeClient, settings: Settings
):
    client, secret = make_client()
    response = http.post(
        "/oauth2/token",
        content=f"grant_type=client_credentials&client_id={client.client_id}"
        f"&client_secret={secret}",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )
    _assert_token(response, settings, client.client_id)


def test_wrong_secret(http: httpx.Client, make_client: MakeClient):
    client, secret = make_client()
    response = http.post(
        "/oauth2/token",
        data=FORM,
        headers={"Authorization": _basic(client.client_id, secret[:-1] + "x")},
    )
    _assert_oauth_error(response, 401, "invalid_client")

    by_form = {**FORM, "client_id": client.client_id, "client_secret": "wrong"}
    _assert_oauth_error(http.post("/oauth2/token", data=by_form), 401, "invalid_client")


@pytest.mark.usefixtures("organisation")
def test_unknown_client(http: httpx.Client):
    response = http.post(
        "/oauth2/token",
        data=FORM,
        headers={"Authorization": _basic("ehoks-0000000000000000", "secret")},
    )
    _assert_oauth_error(response, 401, "invalid_client")


def test_disabled_client(
    http: httpx.Client, make_client: MakeClient, session_factory: sessionmaker[Session]
):
    client, secret = make_client()
    disable(session_factory, client.client_id)
    response = http.post(
        "/oauth2/token", data=FORM, headers={"Authorization": _basic(client.client_id, secret)}
    )
    _assert_oauth_error(response, 401, "invalid_client")


@pytest.mark.usefixtures("organisation")
def test_no_client_authentication(http: httpx.Client):
    _assert_oauth_error(http.post("/oauth2/token", data=FORM), 401, "invalid_client")


@pytest.mark.parametrize("grant_type", ["password", "authorization_code", "CLIENT_CREDENTIALS"])
def test_wrong_grant_type(http: httpx.Client, make_client: MakeClient, grant_type: str):
    client, secret = make_client()
    response = http.post(
        "/oauth2/token",
        data={"grant_type": grant_type},
        headers={"Authorization": _basic(client.client_id, secret)},
    )
    _assert_oauth_error(response, 400, "unsupported_grant_type")


@pytest.mark.usefixtures("organisation")
@pytest.mark.parametrize(
    "form",
    [
        {},
        {"grant_type": ""},
        {"client_id": "ehoks-x", "client_secret": "s"},
        {**FORM, "client_id": "ehoks-x"},
        {**FORM, "client_secret": "s"},
    ],
    ids=["empty", "blank-grant", "no-grant", "no-secret", "no-id"],
)
def test_missing_parameters(http: httpx.Client, form: dict[str, str]):
    response = http.post(
        "/oauth2/token",
        content="&".join(f"{k}={v}" for k, v in form.items()),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    _assert_oauth_error(response, 400, "invalid_request")


def test_repeated_parameter(http: httpx.Client, make_client: MakeClient):
    client, secret = make_client()
    response = http.post(
        "/oauth2/token",
        content="grant_type=client_credentials&grant_type=client_credentials",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Authorization": _basic(client.client_id, secret),
        },
    )
    _assert_oauth_error(response, 400, "invalid_request")


def test_both_authentication_methods_at_once(http: httpx.Client, make_client: MakeClient):
    client, secret = make_client()
    response = http.post(
        "/oauth2/token",
        data={**FORM, "client_id": client.client_id, "client_secret": secret},
        headers={"Authorization": _basic(client.client_id, secret)},
    )
    _assert_oauth_error(response, 400, "invalid_request")


def test_json_body_instead_of_form(http: httpx.Client, make_client: MakeClient):
    client, secret = make_client()
    response = http.post(
        "/oauth2/token",
        json={**FORM, "client_id": client.client_id, "client_secret": secret},
    )
    _assert_oauth_error(response, 400, "invalid_request")


@pytest.mark.usefixtures("organisation")
@pytest.mark.parametrize(
    "body",
    [b"grant_type", b"grant_type=client_credentials&&x=1", b"grant_type=%ff%fe", b"\xff\xfe=1"],
    ids=["no-equals", "empty-field", "bad-percent-utf8", "raw-non-utf8"],
)
def test_malformed_form(http: httpx.Client, body: bytes):
    response = http.post(
        "/oauth2/token",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    _assert_oauth_error(response, 400, "invalid_request")


@pytest.mark.usefixtures("organisation")
def test_too_large_or_too_many_fields(http: httpx.Client):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    big = http.post("/oauth2/token", content=b"grant_type=" + b"a" * 10_000, headers=headers)
    _assert_oauth_error(big, 400, "invalid_request")
    many = "&".join(f"f{i}=1" for i in range(50))
    _assert_oauth_error(
        http.post("/oauth2/token", content=many, headers=headers), 400, "invalid_request"
    )


@pytest.mark.usefixtures("organisation")
@pytest.mark.parametrize(
    ("authorization", "status", "error"),
    [
        ("Basic !!!not-base64!!!", 400, "invalid_request"),
        ("Basic " + base64.b64encode(b"no-colon").decode(), 400, "invalid_request"),
        ("Basic " + base64.b64encode(b"\xff\xfe:\xff").decode(), 400, "invalid_request"),
        ("Basic " + base64.b64encode(b"id:%ff").decode(), 400, "invalid_request"),
        ("Basic", 400, "invalid_request"),
        ("Basic " + base64.b64encode(b":").decode(), 401, "invalid_client"),
        ("Bearer some.jwt.here", 401, "invalid_client"),
        ("garbage", 401, "invalid_client"),
    ],
)
def test_garbage_authorization_header(
    http: httpx.Client, authorization: str, status: int, error: str
):
    response = http.post("/oauth2/token", data=FORM, headers={"Authorization": authorization})
    _assert_oauth_error(response, status, error)


def test_get_is_not_allowed(http: httpx.Client):
    assert http.get("/oauth2/token").status_code == 405


def test_secret_with_reserved_characters_round_trips_through_basic(
    http: httpx.Client, make_client: MakeClient, session_factory: sessionmaker[Session]
):
    # Our secrets are URL-safe, but the decoding must follow §2.3.1 for any client library.
    client, _ = make_client()
    from ehoks.client.models import SystemClient
    from ehoks.client.secrets_hash import hash_secret
    from ehoks.kit.db.engine import transaction

    odd = "a+b/c:d%e f"
    with transaction(session_factory) as session:
        row = session.get(SystemClient, client.client_id)
        assert row is not None
        row.secret_hash = hash_secret(odd)
    response = http.post(
        "/oauth2/token", data=FORM, headers={"Authorization": _basic(client.client_id, odd)}
    )
    assert response.status_code == 200, response.text
