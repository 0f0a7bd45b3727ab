"""Client records, secret hashing and access tokens, without HTTP."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import jwt
import pytest

from ehoks.access.subjects import ClientAccess
from ehoks.client import service
from ehoks.client.models import SystemClient
from ehoks.client.secrets_hash import verify_secret
from ehoks.kit.db.engine import transaction
from tests.client.conftest import MakeClient, disable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from ehoks.config import Settings


def test_secret_is_stored_only_as_a_scrypt_hash(make_client: MakeClient, session: Session):
    client, secret = make_client()

    row = session.get(SystemClient, client.client_id)
    assert row is not None
    assert secret not in row.secret_hash
    algorithm, n, r, p, salt, digest = row.secret_hash.split("$")
    assert (algorithm, n, r, p) == ("scrypt", str(2**14), "8", "1")
    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) == 32
    assert verify_secret(secret, row.secret_hash)
    assert not verify_secret(secret + "x", row.secret_hash)
    assert client.client_id.startswith("ehoks-")
    assert len(client.client_id) == len("ehoks-") + 16
    assert len(secret) >= 43
    session.rollback()


def test_same_secret_hashes_differently_each_time():
    from ehoks.client.secrets_hash import hash_secret

    assert hash_secret("s") != hash_secret("s")


@pytest.mark.parametrize("stored", ["", "scrypt$1$8$1$AA==$AA==", "bcrypt$x", "scrypt$a$b$c$d$e"])
def test_malformed_stored_hash_never_matches(stored: str):
    assert not verify_secret("anything", stored)


def test_authenticate(make_client: MakeClient, session_factory: sessionmaker[Session]):
    client, secret = make_client()
    with transaction(session_factory) as session:
        found = service.authenticate_client(session, client.client_id, secret)
        assert found is not None
        assert found.client_id == client.client_id
        assert service.authenticate_client(session, client.client_id, "wrong") is None
        assert service.authenticate_client(session, "ehoks-unknown", secret) is None

    disable(session_factory, client.client_id)
    with transaction(session_factory) as session:
        assert service.authenticate_client(session, client.client_id, secret) is None


def test_create_refuses_unknown_organisation_bad_name_and_access(
    organisation: str, session_factory: sessionmaker[Session]
):
    with transaction(session_factory) as session:
        with pytest.raises(service.UnknownOrganisationError, match="registry"):
            service.create_client(session, name="x", organisation_oid="1.2.3", access="read")
        with pytest.raises(service.ClientError, match="name"):
            service.create_client(session, name=" ", organisation_oid=organisation, access="read")
        with pytest.raises(service.ClientError, match="name"):
            service.create_client(
                session, name="x" * 201, organisation_oid=organisation, access="read"
            )
        with pytest.raises(service.ClientError, match="access"):
            service.create_client(session, name="x", organisation_oid=organisation, access="admin")
        assert service.list_clients(session) == []


def test_disable_and_list(make_client: MakeClient, session_factory: sessionmaker[Session]):
    first, _ = make_client(ClientAccess.READ, "Eka")
    second, _ = make_client(ClientAccess.WRITE, "Toka")
    disable(session_factory, first.client_id)
    disable(session_factory, first.client_id)  # twice is fine
    with transaction(session_factory) as session:
        listed = {c.client_id: c for c in service.list_clients(session)}
        assert set(listed) == {first.client_id, second.client_id}
        assert listed[first.client_id].disabled_at is not None
        assert listed[second.client_id].disabled_at is None
        with pytest.raises(service.UnknownClientError):
            service.disable_client(session, "ehoks-nope")


# --- tokens ---------------------------------------------------------------------------------


class _Client:
    client_id = "ehoks-0123456789abcdef"
    organisation_oid = "1.2.246.562.10.11111111111"
    access = "write"


def _claims(settings: Settings, **changes: object) -> dict[str, object]:
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": settings.token_issuer,
        "aud": service.TOKEN_AUDIENCE,
        "sub": _Client.client_id,
        "org": _Client.organisation_oid,
        "access": "write",
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        "jti": "j",
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _sign(claims: dict[str, object], key: str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


def test_issued_token_verifies_with_expected_claims(settings: Settings):
    token, expires_in = service.issue_token(
        settings,
        _Client(),  # type: ignore[arg-type]
        settings.token_signing_key,
    )
    assert expires_in == settings.token_ttl_seconds == 300
    claims = service.verify_token(settings, token, settings.token_signing_key)
    assert claims["sub"] == _Client.client_id
    assert claims["org"] == _Client.organisation_oid
    assert claims["access"] == "write"
    assert claims["aud"] == "ehoks-provider-api"
    assert claims["iss"] == settings.token_issuer
    assert claims["exp"] - claims["iat"] == 300
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    other, _ = service.issue_token(
        settings,
        _Client(),  # type: ignore[arg-type]
        settings.token_signing_key,
    )
    assert service.verify_token(settings, other, settings.token_signing_key)["jti"] != claims["jti"]


def test_expired_token_is_rejected(settings: Settings):
    past = datetime.now(UTC) - timedelta(minutes=10)
    token = _sign(
        _claims(settings, iat=past, nbf=past, exp=past + timedelta(minutes=5)),
        settings.token_signing_key,
    )
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, token, settings.token_signing_key)


def test_leeway_is_only_a_few_seconds(settings: Settings):
    now = int(time.time())
    just_expired = _sign(_claims(settings, exp=now - 2), settings.token_signing_key)
    assert (
        service.verify_token(settings, just_expired, settings.token_signing_key)["sub"]
        == _Client.client_id
    )
    long_expired = _sign(_claims(settings, exp=now - 10), settings.token_signing_key)
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, long_expired, settings.token_signing_key)


def test_tampered_token_is_rejected(settings: Settings):
    token, _ = service.issue_token(
        settings,
        _Client(),  # type: ignore[arg-type]
        settings.token_signing_key,
    )
    header, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, f"{header}.{payload}.{flipped}", settings.token_signing_key)

    # A payload edited to claim another organisation, keeping the original signature.
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["org"] = "1.2.246.562.10.99999999999"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, f"{header}.{forged}.{signature}", settings.token_signing_key)


def test_token_signed_with_another_key_is_rejected(settings: Settings):
    token = _sign(_claims(settings), "another-key-" + "x" * 40)
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, token, settings.token_signing_key)


def test_alg_none_is_rejected(settings: Settings):
    token = jwt.encode(_claims(settings), key=None, algorithm="none")
    assert token.endswith(".")
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, token, settings.token_signing_key)


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_other_hmac_algorithm_is_rejected(settings: Settings):
    token = _sign(_claims(settings), settings.token_signing_key, "HS512")
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, token, settings.token_signing_key)


@pytest.mark.parametrize(
    "changes",
    [
        {"aud": "someone-else"},
        {"aud": ["ehoks-provider-api", "other"]},
        {"iss": "not-ehoks"},
        {"access": "admin"},
        {"org": 123},
        {"sub": ""},
    ],
    ids=["audience", "audience-list", "issuer", "access", "org", "sub"],
)
def test_wrong_claims_are_rejected(settings: Settings, changes: dict[str, object]):
    token = _sign(_claims(settings, **changes), settings.token_signing_key)
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, token, settings.token_signing_key)


@pytest.mark.parametrize("missing", ["iss", "aud", "sub", "org", "access", "exp", "iat", "jti"])
def test_token_missing_a_claim_is_rejected(settings: Settings, missing: str):
    claims = _claims(settings)
    del claims[missing]
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(
            settings, _sign(claims, settings.token_signing_key), settings.token_signing_key
        )


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "Bearer x"])
def test_garbage_is_rejected(settings: Settings, garbage: str):
    with pytest.raises(service.InvalidTokenError):
        service.verify_token(settings, garbage, settings.token_signing_key)
