"""The OpenID Connect relying party: discovery, PKCE, code exchange and ID-token verification.

Back-channel calls use a synchronous httpx client with short timeouts; the routes that call them
run in the thread pool. Discovery documents and key sets are cached in the process: a key set is
fetched again once when a token names a key it does not hold (the provider rotated its keys).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol
from urllib.parse import urlencode

import httpx
import jwt

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
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


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
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client.client_id,
            "redirect_uri": client.redirect_uri,
            "scope": scope,
            "state": state,
            "nonce": nonce,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in endpoint else "?"
    return f"{endpoint}{separator}{query}"


def exchange_code(client: Client, *, code: str, code_verifier: str) -> str:
    """Trade an authorization code for tokens; returns the ID token (client_secret_basic)."""
    endpoint = str(discovery(client.issuer)["token_endpoint"])
    try:
        response = httpx.post(
            endpoint,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": client.redirect_uri,
                "code_verifier": code_verifier,
            },
            # RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding; httpx does
            # not, so do it here (client ids and secrets may hold ":" or non-ASCII).
            auth=(_form_encode(client.client_id), _form_encode(client.client_secret)),
            headers={"Accept": "application/json"},
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


def _find_key(jwks: Mapping[str, Any], kid: str | None, alg: str) -> jwt.PyJWK | None:
    candidates = [k for k in jwks.get("keys", []) if isinstance(k, dict)]
    if kid is not None:
        candidates = [k for k in candidates if k.get("kid") == kid]
    elif len(candidates) != 1:
        return None  # without a kid only an unambiguous single key will do
    for candidate in candidates:
        if candidate.get("use", "sig") != "sig":
            continue
        try:
            return jwt.PyJWK(candidate, algorithm=alg)
        except jwt.PyJWTError:
            continue
    return None


def verify_id_token(
    token: str,
    *,
    issuer: str,
    client_id: str,
    nonce: str,
    keys: KeySource = fetch_jwks,
) -> dict[str, Any]:
    """The claims of a valid ID token (OpenID Connect Core §3.1.3.7), else 401.

    Checks the signature against the issuer's key set (RS256 or ES256 only), `iss`, `aud` (our
    client id; with several audiences `azp` must be us), `exp`/`iat` with 60 s leeway, and that
    `nonce` equals the one stored for this sign-in.
    """
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise _invalid("malformed token") from None
    alg = header.get("alg")
    if alg not in ALLOWED_ALGORITHMS:
        raise _invalid(f"algorithm {alg!r} is not accepted")
    kid = header.get("kid") if isinstance(header.get("kid"), str) else None
    key = _find_key(keys(issuer, refresh=False), kid, alg)
    if key is None:  # perhaps rotated: fetch the key set once more
        key = _find_key(keys(issuer, refresh=True), kid, alg)
    if key is None:
        raise _invalid("unknown signing key")
    claims = _decode(token, key, alg, issuer=issuer, client_id=client_id)
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise _invalid("azp is not this client")
    sent = claims.get("nonce")
    if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), nonce.encode()):
        raise ApiError(401, "id_token_nonce_mismatch")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise _invalid("no sub")
    return claims


def _decode(token: str, key: jwt.PyJWK, alg: str, *, issuer: str, client_id: str) -> dict[str, Any]:
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,
            algorithms=[alg],
            audience=client_id,
            issuer=issuer,
            leeway=CLOCK_LEEWAY_S,
            options={"require": ["iss", "sub", "aud", "exp", "iat"], "verify_iat": True},
        )
    except jwt.ExpiredSignatureError:
        raise ApiError(401, "id_token_expired") from None
    except jwt.InvalidSignatureError:
        raise _invalid("bad signature") from None
    except jwt.InvalidAudienceError:
        raise _invalid("wrong audience") from None
    except jwt.InvalidIssuerError:
        raise _invalid("wrong issuer") from None
    except jwt.PyJWTError as exc:
        raise _invalid(type(exc).__name__) from None
    return claims
