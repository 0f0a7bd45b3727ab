"""Who is calling the provider API: a system client with a bearer token from `/oauth2/token`.

`system_client_policy` builds the dependency that routes of the provider API declare as their
policy. It checks, in this order:

1. `Authorization: Bearer <jwt>` is present and the token is ours and valid (else 401
   `not_authenticated`, with a `WWW-Authenticate` challenge as RFC 6750 §3 describes);
2. the `Caller-Id` header names the calling system (else 400 `missing_caller_id`), as the national
   service requires;
3. the client still exists and is not disabled (else 401 `not_authenticated`);
4. for writes, the client has write access (else 403 `forbidden`).

Step 3 is cached in-process for at most `CLIENT_CACHE_SECONDS` per client, so a busy client does
not cost a database round trip per request. The price: a client disabled with
`ehoks clients disable` keeps working for up to that long in processes that saw it just before
(new tokens are refused at once). `clear_client_cache()` drops the cache.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Final
from weakref import WeakKeyDictionary

from fastapi import Depends, Request, params
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ehoks.access.subjects import ClientAccess, SystemClientSubject
from ehoks.client import repository, service
from ehoks.kit.deps import get_app_settings, service_key_async
from ehoks.kit.errors import ApiError
from ehoks.kit.keys import PROVIDER_TOKENS
from ehoks.kit.policy import POLICY_ATTRIBUTE

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session, sessionmaker

CLIENT_CACHE_SECONDS: Final = 30.0
# Entries are keyed by client ids from tokens we signed, so the cache cannot be flooded from
# outside; the bound only guards against a pathological number of clients.
_CACHE_MAX_ENTRIES: Final = 10_000
CALLER_ID_HEADER: Final = "Caller-Id"
_CHALLENGE: Final = 'Bearer realm="ehoks"'
_INVALID_TOKEN_CHALLENGE: Final = 'Bearer realm="ehoks", error="invalid_token"'  # noqa: S105 - an RFC 6750 challenge, not a secret

# Documents the scheme in OpenAPI; the dependency itself decides what a bad header means.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="SystemClientBearer",
    description="An access token from POST /oauth2/token (OAuth2 client credentials).",
)


@dataclass(frozen=True, slots=True)
class _Entry:
    expires_at: float
    subject: SystemClientSubject | None  # None: unknown or disabled


class _ClientCache:
    """Enabled/disabled state of clients, remembered for a short while (thread-safe)."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def get(self, client_id: str, now: float) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(client_id)
            if entry is not None and entry.expires_at <= now:
                del self._entries[client_id]
                return None
            return entry

    def put(self, client_id: str, subject: SystemClientSubject | None, now: float) -> None:
        with self._lock:
            if len(self._entries) >= _CACHE_MAX_ENTRIES:
                self._entries.clear()
            self._entries[client_id] = _Entry(now + CLIENT_CACHE_SECONDS, subject)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# Indirection so tests can move time forward without patching the time module for everyone.
_clock: Callable[[], float] = time.monotonic

# One cache per database (per app's sessionmaker), so two apps in one process never share rows.
_caches: WeakKeyDictionary[sessionmaker[Session], _ClientCache] = WeakKeyDictionary()
_caches_lock = threading.Lock()


def clear_client_cache() -> None:
    """Forget every cached client, e.g. right after disabling one in the same process."""
    with _caches_lock:
        caches = list(_caches.values())
    for cache in caches:
        cache.clear()


def system_client_policy(*, write: bool, description: str) -> params.Depends:
    """The policy dependency of a provider-API route; it yields the calling `SystemClientSubject`.

    With `write=True` only clients with write access pass. `description` is what the route-policy
    listing shows.
    """

    # Async, so that the common case (a cached client) costs no hop to a worker thread.
    async def system_client(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> SystemClientSubject:
        key = await service_key_async(request, PROVIDER_TOKENS)
        client_id = _verified_client_id(request, credentials, key)
        factory: sessionmaker[Session] = request.app.state.sessionmaker
        entry = _cache_for(factory).get(client_id, _clock())
        if entry is not None:
            found = entry.subject
        else:
            found = await run_in_threadpool(_current_client, factory, client_id)
        if found is None:
            raise _invalid_token()
        subject = found
        if write and subject.access is not ClientAccess.WRITE:
            raise ApiError(403, "forbidden")
        request.state.subject = subject
        return subject

    setattr(system_client, POLICY_ATTRIBUTE, description)
    return params.Depends(system_client)


def _verified_client_id(
    request: Request, credentials: HTTPAuthorizationCredentials | None, key: str
) -> str:
    """The client id of a valid bearer token, with the Caller-Id header present."""
    if credentials is None or not credentials.credentials:
        challenge = _INVALID_TOKEN_CHALLENGE
        if not request.headers.get("authorization"):
            challenge = _CHALLENGE
        raise ApiError(401, "not_authenticated", headers={"WWW-Authenticate": challenge})
    try:
        claims = service.verify_token(get_app_settings(request), credentials.credentials, key)
    except service.InvalidTokenError:
        raise _invalid_token() from None
    caller_id = request.headers.get(CALLER_ID_HEADER, "").strip()
    if not caller_id:
        raise ApiError(400, "missing_caller_id")
    return str(claims["sub"])


def _invalid_token() -> ApiError:
    return ApiError(
        401, "not_authenticated", headers={"WWW-Authenticate": _INVALID_TOKEN_CHALLENGE}
    )


def _cache_for(factory: sessionmaker[Session]) -> _ClientCache:
    with _caches_lock:
        cache = _caches.get(factory)
        if cache is None:
            cache = _caches[factory] = _ClientCache()
    return cache


def _current_client(factory: sessionmaker[Session], client_id: str) -> SystemClientSubject | None:
    """The client as stored now (at most `CLIENT_CACHE_SECONDS` old); None if gone or disabled."""
    cache = _cache_for(factory)
    now = _clock()
    entry = cache.get(client_id, now)
    if entry is not None:
        return entry.subject
    with factory() as session:
        client = repository.get_client(session, client_id)
        subject = None
        if client is not None and client.disabled_at is None:
            subject = SystemClientSubject(
                client_id=client.client_id,
                name=client.name,
                organisation_oid=client.organisation_oid,
                access=ClientAccess(client.access),
            )
    cache.put(client_id, subject, now)
    return subject
