"""The ID-token verifier refuses every token it must refuse (no server: keys are given)."""

from __future__ import annotations

import base64
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from ehoks.auth.oidc import verify_id_token
from ehoks.kit.errors import ApiError

ISSUER = "https://idp.example"
CLIENT = "ehoks-staff"
NONCE = "n-0123456789"
_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_OTHER = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_EC = ec.generate_private_key(ec.SECP256R1())


def _jwk(key, kid):
    if isinstance(key, rsa.RSAPrivateKey):
        return {**RSAAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": kid}
    return {**ECAlgorithm.to_jwk(key.public_key(), as_dict=True), "kid": kid}


class Keys:
    """A key source that counts refreshes and can rotate in a key on refresh."""

    def __init__(self, *jwks, after_refresh=()):
        self.jwks = list(jwks)
        self.after_refresh = list(after_refresh)
        self.refreshes = 0

    def __call__(self, issuer, *, refresh):
        assert issuer == ISSUER
        if refresh:
            self.refreshes += 1
            self.jwks += self.after_refresh
        return {"keys": self.jwks}


def _claims(**changes):
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": "1.2.246.562.24.1",
        "aud": CLIENT,
        "iat": now,
        "exp": now + 300,
        "nonce": NONCE,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _token(key=_RSA, kid="k1", alg="RS256", **changes):
    return jwt.encode(_claims(**changes), key, algorithm=alg, headers={"kid": kid})


def _verify(token, keys=None):
    return verify_id_token(
        token, issuer=ISSUER, client_id=CLIENT, nonce=NONCE, keys=keys or Keys(_jwk(_RSA, "k1"))
    )


def _code(token, keys=None):
    with pytest.raises(ApiError) as raised:
        _verify(token, keys)
    return raised.value.code


def test_a_valid_token_gives_its_claims():
    assert _verify(_token())["sub"] == "1.2.246.562.24.1"


def test_es256_is_accepted():
    token = _token(key=_EC, kid="e1", alg="ES256")
    assert _verify(token, Keys(_jwk(_EC, "e1")))["aud"] == CLIENT


def test_payload_altered_after_signing_is_refused():
    header, payload, signature = _token().split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["sub"] = "1.2.246.562.24.666"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert _code(f"{header}.{forged}.{signature}") == "id_token_invalid"


def test_a_token_signed_by_another_key_is_refused():
    assert _code(_token(key=_OTHER)) == "id_token_invalid"


def test_an_unknown_kid_refetches_the_keys_once():
    keys = Keys(_jwk(_RSA, "k1"), after_refresh=[_jwk(_OTHER, "k2")])
    assert _verify(_token(key=_OTHER, kid="k2"), keys)["sub"]
    assert keys.refreshes == 1
    still_unknown = Keys(_jwk(_RSA, "k1"))
    assert _code(_token(kid="k9"), still_unknown) == "id_token_invalid"
    assert still_unknown.refreshes == 1


def test_wrong_audience_is_refused():
    assert _code(_token(aud="someone-else")) == "id_token_invalid"


def test_several_audiences_need_azp():
    assert _code(_token(aud=[CLIENT, "other"])) == "id_token_invalid"
    assert _verify(_token(aud=[CLIENT, "other"], azp=CLIENT))["sub"]


def test_wrong_issuer_is_refused():
    assert _code(_token(iss="https://evil.example")) == "id_token_invalid"


def test_wrong_or_missing_nonce_is_refused():
    assert _code(_token(nonce="other")) == "id_token_nonce_mismatch"
    assert _code(_token(nonce=None)) == "id_token_nonce_mismatch"


def test_expired_token_is_refused_beyond_the_leeway():
    now = int(time.time())
    assert _code(_token(iat=now - 600, exp=now - 61)) == "id_token_expired"
    assert _verify(_token(iat=now - 600, exp=now - 30))["sub"]  # within the 60 s leeway


def test_a_token_issued_in_the_future_is_refused():
    now = int(time.time())
    assert _code(_token(iat=now + 600, exp=now + 900)) == "id_token_invalid"


def test_missing_exp_is_refused():
    assert _code(_token(exp=None)) == "id_token_invalid"


def test_unsigned_and_symmetric_tokens_are_refused():
    unsigned = jwt.encode(_claims(), None, algorithm="none")
    assert _code(unsigned) == "id_token_invalid"
    hmac_signed = jwt.encode(_claims(), "x" * 32, algorithm="HS256", headers={"kid": "k1"})
    assert _code(hmac_signed) == "id_token_invalid"
    assert _code("not.a.token") == "id_token_invalid"
