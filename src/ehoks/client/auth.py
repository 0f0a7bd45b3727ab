"""Who is calling the provider API: a system client with a bearer token from `/oauth2/token`.

`system_client_policy` builds the dependency that routes of the provider API declare as their
policy. It checks, in this order:

1. `Authorization: Bearer <jwt>` is present and the token is ours and valid (else 401
   `not_authenticated`, with a `WWW-Authenticate` challenge as RFC 6750 §3 describes), or, as the
   national service's integrations authenticate, a CAS service ticket is in the `ticket` header
   (`ehoks.client.cas`; else 401 `invalid_ticket`), redeemed once in a transaction of its own;
2. the `Caller-Id` header names the calling system (else 400 `missing_caller_id`), as the national
   service requires (checked before a ticket is redeemed, so a malformed call does not use one);
3. the client still exists and is not disabled (else 401 `not_authenticated`);
4. for writes, the client has write access (else 403 `forbidden`).

Step 1 is remembered per process for each token that passed it, until the token expires
(`ehoks.client.token_cache`). Step 3 is cached in-process for at most `CLIENT_CACHE_SECONDS` per
client (`ehoks.client.cache`), so a busy client does not cost a database round trip per
request. Disabling a client drops its entry in the disabling process when the change commits, so
there it is refused at once; a server
process that is not the one that disabled it (`ehoks clients disable` runs in its own) keeps the
entry for at most that long (new tokens are refused at once everywhere).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Final

from fastapi import Depends, Request, params
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from ehoks.access.subjects import ClientAccess, SystemClientSubject
from ehoks.client import cas, repository, service
from ehoks.client.cache import cache_for
from ehoks.client.token_cache import verified_with
from ehoks.kit.db.engine import transaction
from ehoks.kit.deps import get_app_settings, service_key_async
from ehoks.kit.errors import ApiError
from ehoks.kit.keys import PROVIDER_TOKENS
from ehoks.kit.policy import POLICY_ATTRIBUTE

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.orm import Session, sessionmaker

CALLER_ID_HEADER: Final = "Caller-Id"
TICKET_HEADER: Final = "ticket"
# Marks a provider route's policy with the access it requires, so that the route-policy test can
# assert read versus write from the policy itself rather than from its description.
WRITE_ATTRIBUTE: Final = "__ehoks_requires_write__"
_CHALLENGE: Final = 'Bearer realm="ehoks"'
_INVALID_TOKEN_CHALLENGE: Final = 'Bearer realm="ehoks", error="invalid_token"'  # noqa: S105 - an RFC 6750 challenge, not a secret

# Documents the scheme in OpenAPI; the dependency itself decides what a bad header means.
_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="SystemClientBearer",
    description="An access token from POST /oauth2/token (OAuth2 client credentials).",
)


# Indirection so tests can move time forward without patching the time module for everyone.
_clock: Callable[[], float] = time.monotonic
# Tokens' expiry is a Unix time.
_wall_clock: Callable[[], float] = time.time


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
        return await admitted(request, credentials, write=write)

    setattr(system_client, POLICY_ATTRIBUTE, description)
    setattr(system_client, WRITE_ATTRIBUTE, write)
    return params.Depends(system_client)


async def system_client_of(request: Request, *, write: bool) -> SystemClientSubject:
    """What the dependency of `system_client_policy(write=write)` yields, as one plain call:
    for a route that admits its caller itself (`ehoks.kit.shortcut`), by the same rules, with
    the same errors."""
    return await admitted(request, await _bearer(request), write=write)


async def admitted(
    request: Request, credentials: HTTPAuthorizationCredentials | None, *, write: bool
) -> SystemClientSubject:
    """The calling client, checked as the module's docstring lists; else the error."""
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    ticket = request.headers.get(TICKET_HEADER)
    if ticket is not None and "authorization" not in request.headers:
        _require_caller_id(request)
        client_id = await run_in_threadpool(_redeemed_client_id, factory, ticket)
    else:
        key = await service_key_async(request, PROVIDER_TOKENS)
        client_id = _verified_client_id(request, credentials, key)
    entry = cache_for(factory).get(client_id, _clock())
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


def _verified_client_id(
    request: Request, credentials: HTTPAuthorizationCredentials | None, key: str
) -> str:
    """The client id of a valid bearer token, with the Caller-Id header present."""
    if credentials is None or not credentials.credentials:
        challenge = _INVALID_TOKEN_CHALLENGE
        if not request.headers.get("authorization"):
            challenge = _CHALLENGE
        raise ApiError(401, "not_authenticated", headers={"WWW-Authenticate": challenge})
    token = credentials.credentials
    verified = verified_with(request.app.state.keys)
    now = _wall_clock()
    client_id = verified.client_id(token, now)
    if client_id is None:
        try:
            claims = service.verify_token(get_app_settings(request), token, key)
        except service.InvalidTokenError:
            raise _invalid_token() from None
        client_id = str(claims["sub"])
        verified.remember(token, client_id, float(claims["exp"]), now)
    _require_caller_id(request)
    return client_id


def _require_caller_id(request: Request) -> None:
    if not request.headers.get(CALLER_ID_HEADER, "").strip():
        raise ApiError(400, "missing_caller_id")


def _redeemed_client_id(factory: sessionmaker[Session], ticket: str) -> str:
    """The client of a valid CAS service ticket, which is used up by this call (committed)."""
    with transaction(factory) as session:
        redeemed = cas.redeem(session, ticket.strip(), datetime.now(UTC))
    if redeemed is None:
        raise ApiError(401, "invalid_ticket")
    return redeemed.client_id


def _invalid_token() -> ApiError:
    return ApiError(
        401, "not_authenticated", headers={"WWW-Authenticate": _INVALID_TOKEN_CHALLENGE}
    )


def _current_client(factory: sessionmaker[Session], client_id: str) -> SystemClientSubject | None:
    """The client as stored now (at most `CLIENT_CACHE_SECONDS` old); None if gone or disabled."""
    cache = cache_for(factory)
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
