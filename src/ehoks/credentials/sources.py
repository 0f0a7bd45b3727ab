"""Where a verification finds keys and status lists: the service's own (`LocalKeys`,
`LocalLists`, for the check page) or the issuer's published documents over HTTPS (`DidWebKeys`,
`HttpLists`, for `ehoks credentials verify`, which trusts nothing but what the issuer publishes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final
from urllib.parse import unquote, urlsplit

import httpx
from sqlalchemy.orm import Session

from ehoks.config import Settings
from ehoks.credentials import issuing, keys
from ehoks.credentials.verify import Unavailable
from ehoks.kit.errors import ApiError

# Hosts reached over plain HTTP: a development or test server on this machine only.
LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "[::1]"})
MAX_DOCUMENT_BYTES: Final = 2_000_000
MAX_LIST_DIGITS: Final = 9
HTTP_OK: Final = 200


class LocalKeys:
    """The service's own published keys."""

    def __init__(self, session: Session, settings: Settings) -> None:
        self._published = {jwk["kid"]: jwk for jwk in keys.published(session, settings)}

    def public_key(self, kid: str) -> dict[str, Any] | None:
        return self._published.get(kid)


class LocalLists:
    """The service's own status lists, read from its database."""

    def __init__(self, session: Session, settings: Settings, now: datetime) -> None:
        self._session, self._settings, self._now = session, settings, now

    def token(self, url: str) -> str:
        prefix = issuing.status_list_url(self._settings, 0)[:-1]
        number = url.removeprefix(prefix)
        if not url.startswith(prefix) or not number.isdigit() or len(number) > MAX_LIST_DIGITS:
            raise Unavailable(f"{url} is not a status list of this service")
        try:
            return issuing.status_list_token(self._session, self._settings, int(number), self._now)
        except ApiError as missing:
            raise Unavailable(f"{url}: no such list") from missing


def did_web_url(did: str) -> str:
    """The address of a `did:web` document (the DID Web method's rule); plain HTTP only for a
    server on this machine."""
    prefix, _, rest = did.partition(":web:")
    parts = ["did", "web", *rest.split(":")]
    if prefix != "did" or not rest or not parts[2]:
        raise Unavailable(f"{did} is not a did:web identifier")
    host = unquote(parts[2])
    path = "/".join(unquote(p) for p in parts[3:]) or ".well-known"
    scheme = "http" if urlsplit(f"//{host}").hostname in _loopback_names() else "https"
    return f"{scheme}://{host}/{path}/did.json"


class DidWebKeys:
    """Keys from the issuer's `did:web` document (or from a JWKS file given instead)."""

    def __init__(self, client: httpx.Client, jwks: dict[str, Any] | None = None) -> None:
        self._client = client
        self._jwks = jwks

    def public_key(self, kid: str) -> dict[str, Any] | None:
        if self._jwks is not None:
            found = [k for k in self._jwks.get("keys") or [] if isinstance(k, dict)]
            return next((k for k in found if k.get("kid") == kid), None)
        did = kid.partition("#")[0]
        document = _get_json(self._client, did_web_url(did))
        if document.get("id") != did:
            raise Unavailable(f"the DID document at {did_web_url(did)} is not {did}")
        for method in document.get("verificationMethod") or []:
            if isinstance(method, dict) and method.get("id") == kid:
                jwk = method.get("publicKeyJwk")
                return jwk if isinstance(jwk, dict) else None
        return None


class HttpLists:
    """Status lists fetched from the address the credential names."""

    def __init__(self, client: httpx.Client) -> None:
        self._client = client

    def token(self, url: str) -> str:
        return _get(self._client, url).text.strip()


def _loopback_names() -> frozenset[str]:
    return frozenset(name.strip("[]") for name in LOOPBACK)


def _get(client: httpx.Client, url: str) -> httpx.Response:
    parts = urlsplit(url)
    local = parts.scheme == "http" and parts.hostname in _loopback_names()
    if parts.scheme != "https" and not local:
        raise Unavailable(f"{url}: only HTTPS addresses are fetched")
    try:
        response = client.get(url, follow_redirects=False)
    except httpx.HTTPError as failed:
        raise Unavailable(f"{url}: {failed}") from failed
    if response.status_code != HTTP_OK or len(response.content) > MAX_DOCUMENT_BYTES:
        raise Unavailable(f"{url}: HTTP {response.status_code}")
    return response


def _get_json(client: httpx.Client, url: str) -> dict[str, Any]:
    try:
        document = _get(client, url).json()
    except ValueError as broken:
        raise Unavailable(f"{url}: not JSON") from broken
    if not isinstance(document, dict):
        raise Unavailable(f"{url}: not a JSON object")
    return document
