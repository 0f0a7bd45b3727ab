"""The OpenID Connect relying party: discovery, PKCE, code exchange and ID-token verification.

The protocol is Authlib's and the JOSE is joserfc's (the library Authlib's own JOSE moved to):
Authlib builds the PKCE challenge (RFC 7636), the authorization request and the token request
(RFC 6749 §4.1); joserfc checks the ID token's signature against the provider's key set and its
registered claims (RFC 7519). What is ours is only what no library can know: which provider and
client, the nonce stored for this sign-in, how long to cache, and the errors we answer with.

Back-channel calls use a synchronous httpx client with short timeouts (Authlib's httpx client
would work through a compatibility layer it is retiring); the routes that call them run in the
thread pool. Discovery documents and key sets are cached in the process: a key set is fetched
again once when a token names a key it does not hold (the provider rotated its keys).
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol
from urllib.parse import urlencode

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
)
from joserfc.jwk import KeySet

from ehoks.kit.errors import ApiError

HTTP_TIMEOUT_S: Final = 5.0
DISCOVERY_CACHE_S: Final = 600.0
JWKS_CACHE_S: Final = 600.0
CLOCK_LEEWAY_S: Final = 60
ALLOWED_ALGORITHMS: Final = ("RS256", "ES256")
HTTP_OK: Final = 200

_lock = threading.Lock()
_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}
_jwks_cache: dict[str, tuple[float, dict[str, Any]]] = {}


@dataclass(frozen=True)
class Client:
    """Our registration at one identity provider."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str


def random_token(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def s256(verifier: str) -> str:
    """The PKCE S256 code challenge of a verifier (RFC 7636 §4.2)."""
    return str(create_s256_code_challenge(verifier))  # type: ignore[no-untyped-call] # untyped in the stubs


def new_pkce() -> Pkce:
    verifier = random_token(48)  # 64 characters, within RFC 7636's 43-128
    return Pkce(verifier, s256(verifier))


def forget_caches() -> None:
    """Drop cached discovery documents and key sets (tests, or after a provider change)."""
    with _lock:
        _discovery_cache.clear()
        _jwks_cache.clear()


def _unavailable(issuer: str, detail: str) -> ApiError:
    return ApiError(
        503, "identity_provider_unavailable", params={"issuer": issuer, "detail": detail}
    )


def _get_json(url: str, issuer: str) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=HTTP_TIMEOUT_S, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise _unavailable(issuer, type(exc).__name__) from None
    if response.status_code != HTTP_OK:
        raise _unavailable(issuer, f"HTTP {response.status_code} from {url}")
    try:
        body = response.json()
    except ValueError:
        raise _unavailable(issuer, f"not JSON from {url}") from None
    if not isinstance(body, dict):
        raise _unavailable(issuer, f"not a JSON object from {url}")
    return body


def discovery(issuer: str) -> dict[str, Any]:
    """The provider's discovery document (OpenID Connect Discovery 1.0 §4), cached 10 minutes."""
    now = time.monotonic()
    with _lock:
        hit = _discovery_cache.get(issuer)
    if hit is not None and hit[0] > now:
        return hit[1]
    document = _get_json(f"{issuer.rstrip('/')}/.well-known/openid-configuration", issuer)
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(name), str):
            raise _unavailable(issuer, f"discovery document lacks {name}")
    # §4.3: the document must name the issuer it was fetched for, or it is not that issuer's.
    if document.get("issuer") != issuer:
        raise _unavailable(issuer, "discovery document names another issuer")
    with _lock:
        _discovery_cache[issuer] = (now + DISCOVERY_CACHE_S, document)
    return document


def authorization_url(
    client: Client, *, state: str, nonce: str, code_challenge: str, scope: str = "openid"
) -> str:
    endpoint = str(discovery(client.issuer)["authorization_endpoint"])
    return str(
        prepare_grant_uri(
            endpoint,
            client.client_id,
            "code",
            redirect_uri=client.redirect_uri,
            scope=scope,
            state=state,
            nonce=nonce,
            code_challenge=code_challenge,
            code_challenge_method="S256",
        )
    )


def exchange_code(client: Client, *, code: str, code_verifier: str) -> str:
    """Trade an authorization code for tokens; returns the ID token (client_secret_basic)."""
    endpoint = str(discovery(client.issuer)["token_endpoint"])
    try:
        response = httpx.post(
            endpoint,
            content=prepare_token_request(
                "authorization_code",
                code=code,
                redirect_uri=client.redirect_uri,
                code_verifier=code_verifier,
            ),
            # RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding. Neither
            # httpx nor Authlib's client_secret_basic does, so it is done here (client ids and
            # secrets may hold ":" or non-ASCII).
            auth=(_form_encode(client.client_id), _form_encode(client.client_secret)),
            headers={
                "Accept": "application/json",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            timeout=HTTP_TIMEOUT_S,
        )
    except httpx.HTTPError as exc:
        raise _unavailable(client.issuer, type(exc).__name__) from None
    if response.status_code >= 500:  # noqa: PLR2004 - the provider failed, not our request
        raise _unavailable(client.issuer, f"token endpoint answered HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != HTTP_OK or not isinstance(body, dict):
        error = body.get("error", "") if isinstance(body, dict) else ""
        raise ApiError(401, "token_exchange_failed", params={"detail": str(error)[:100]})
    id_token = body.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise ApiError(401, "token_exchange_failed", params={"detail": "no id_token"})
    return id_token


def _form_encode(value: str) -> str:
    return urlencode({"": value})[1:]


class KeySource(Protocol):
    """Where an issuer's key set comes from; `refresh` bypasses any cache."""

    def __call__(self, issuer: str, *, refresh: bool) -> Mapping[str, Any]: ...


def fetch_jwks(issuer: str, *, refresh: bool = False) -> Mapping[str, Any]:
    """The provider's key set, from cache unless `refresh`."""
    uri = str(discovery(issuer)["jwks_uri"])
    now = time.monotonic()
    with _lock:
        hit = _jwks_cache.get(uri)
    if hit is not None and hit[0] > now and not refresh:
        return hit[1]
    keys = _get_json(uri, issuer)
    if not isinstance(keys.get("keys"), list):
        raise _unavailable(issuer, "key set has no keys")
    with _lock:
        _jwks_cache[uri] = (now + JWKS_CACHE_S, keys)
    return keys


def _invalid(detail: str) -> ApiError:
    return ApiError(401, "id_token_invalid", params={"detail": detail})


def _signing_keys(jwks: Mapping[str, Any]) -> KeySet:
    """The key set's signing keys (a key marked for encryption never verifies a signature)."""
    keys = [k for k in jwks.get("keys", []) if isinstance(k, dict) and k.get("use", "sig") == "sig"]
    try:
        return KeySet.import_key_set({"keys": keys})
    except (JoseError, ValueError, TypeError):
        raise _invalid("unusable key set") from None


def verify_id_token(
    token: str,
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    keys: KeySource = fetch_jwks,
) -> dict[str, Any]:
    """The claims of a valid ID token (OpenID Connect Core §3.1.3.7), else 401.

    Checks the signature against the issuer's key set (RS256 or ES256 only; a token without a
    `kid` only against a set of one key), `iss`, `aud` (our client id; with several audiences
    `azp` must be us), `exp`/`iat` with 60 s leeway, and that `nonce` equals the one stored for
    this sign-in.
    """
    try:
        decoded = _decode(token, keys(issuer, refresh=False))
    except InvalidKeyIdError:  # perhaps rotated: fetch the key set once more
        try:
            decoded = _decode(token, keys(issuer, refresh=True))
        except InvalidKeyIdError:
            raise _invalid("unknown signing key") from None
    claims = decoded.claims
    try:
        _REGISTERED.validate(claims)
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_S,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": client_id},
        ).validate(claims)
    except ExpiredTokenError:
        raise ApiError(401, "id_token_expired") from None
    except InvalidClaimError as exc:
        raise _invalid(f"invalid {exc.claim}") from None
    except JoseError as exc:
        raise _invalid(exc.error) from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise _invalid("azp is not this client")
    sent = claims.get("nonce")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), nonce.encode()):
        raise ApiError(401, "id_token_nonce_mismatch")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise _invalid("no sub")
    return claims


# The claims every ID token must carry, with `exp` and `iat` checked against the clock.
_REGISTERED: Final = jwt.JWTClaimsRegistry(
    leeway=CLOCK_LEEWAY_S,
    sub={"essential": True},
    exp={"essential": True},
    iat={"essential": True},
)


def _decode(token: str, jwks: Mapping[str, Any]) -> jwt.Token:
    """The token, its signature checked (InvalidKeyIdError: no key of the set is named by it)."""
    try:
        return jwt.decode(token, _signing_keys(jwks), algorithms=list(ALLOWED_ALGORITHMS))
    except InvalidKeyIdError:
        raise
    except BadSignatureError:
        raise _invalid("bad signature") from None
    except (JoseError, ValueError, TypeError) as exc:
        raise _invalid(type(exc).__name__) from None
