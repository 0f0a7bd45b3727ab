"""The OAuth2 token endpoint (RFC 6749 §4.4 client credentials grant).

Errors here follow RFC 6749 §5.2 (`{"error", "error_description"}`), not the service's own error
body, because OAuth2 client libraries parse exactly that shape. Descriptions are English ASCII, as
§5.2 restricts their characters.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Final
from urllib.parse import parse_qs, unquote_plus

from fastapi import APIRouter, Request

from ehoks.client import service
from ehoks.client.schemas import TokenAnswer
from ehoks.client.secrets_hash import HASH_THREADS
from ehoks.kit.deps import get_app_settings, service_key
from ehoks.kit.errors import ApiError, message_for
from ehoks.kit.http import JsonResponse, client_address, request_lang
from ehoks.kit.keys import PROVIDER_TOKENS
from ehoks.kit.policy import public
from ehoks.pipeline.run import off_loop, perform_public

if TYPE_CHECKING:
    from ehoks.config import Settings

router = APIRouter(tags=["oauth2"])

# A token request is a handful of short fields; anything larger is not one.
MAX_BODY_BYTES: Final = 8192
MAX_FIELDS: Final = 20
FORM_MEDIA_TYPE: Final = "application/x-www-form-urlencoded"
TOKEN_HEADERS: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}
BASIC_CHALLENGE: Final = 'Basic realm="ehoks"'
# Token requests checking a secret at once in one web process (as many as scrypt has threads),
# and how long a request waits for its turn.
HASH_SLOTS: Final = HASH_THREADS
HASH_WAIT_SECONDS: Final = 5.0


class OAuthError(Exception):
    """An RFC 6749 §5.2 error response."""

    def __init__(
        self,
        error: str,
        description: str,
        status: int = 400,
        *,
        retry_after: int | None = None,
        message: str | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status
        self.retry_after = retry_after
        self.message = message


def _invalid_client(description: str) -> OAuthError:
    return OAuthError("invalid_client", description, 401)


@router.post(
    "/oauth2/token",
    dependencies=[public("OAuth2 token endpoint")],
    summary="Get an access token (OAuth2 client credentials)",
    response_model=TokenAnswer,
    responses={
        400: {"description": "invalid_request or unsupported_grant_type (RFC 6749 §5.2)"},
        401: {"description": "invalid_client (RFC 6749 §5.2)"},
        429: {
            "description": "too_many_attempts: too many failed attempts from this address or "
            "for this client id; wait for Retry-After seconds"
        },
        503: {
            "description": "temporarily_unavailable: too many token requests at once; "
            "retry after Retry-After seconds"
        },
    },
)
async def token(request: Request) -> JsonResponse:
    """Exchange a system client's id and secret for a short-lived bearer token.

    Send `grant_type=client_credentials` as `application/x-www-form-urlencoded`, and authenticate
    either with HTTP Basic (`client_id:client_secret`, each form-urlencoded, RFC 6749 §2.3.1) or
    with the `client_id` and `client_secret` form fields, never both. `scope` is accepted and
    ignored: a client's access is fixed when it is created. Use the token as
    `Authorization: Bearer <access_token>` until `expires_in` seconds have passed, then get a new
    one.
    """
    try:
        access_token, expires_in = await _token_for(request)
    except OAuthError as exc:
        return _error_response(exc)
    body = {"access_token": access_token, "token_type": "Bearer", "expires_in": expires_in}
    return JsonResponse(body, headers=TOKEN_HEADERS)


async def _token_for(request: Request) -> tuple[str, int]:
    form = await _read_form(request)
    grant_type = _single(form, "grant_type")
    if grant_type is None:
        raise OAuthError("invalid_request", "Missing parameter: grant_type.")
    client_id, secret = _client_credentials(request, form)
    # Checked before the credentials: no scrypt work for requests that cannot succeed anyway.
    if grant_type != "client_credentials":
        raise OAuthError(
            "unsupported_grant_type", "Only grant_type=client_credentials is supported."
        )
    settings = get_app_settings(request)
    address = client_address(request)
    # scrypt and the database are blocking work: keep them off the event loop. Each scrypt
    # holds 16 MB: only a few run at once, and the rest wait here, not in the thread pool.
    async with _hash_slot(request):
        return await off_loop(
            _authenticate_and_issue, request, settings, client_id, secret, address
        )


@asynccontextmanager
async def _hash_slot(request: Request) -> AsyncIterator[None]:
    slots: asyncio.Semaphore | None = getattr(request.app.state, "token_hash_slots", None)
    if slots is None:
        # One per app, so one per event loop (a semaphore belongs to the loop it first ran on).
        slots = asyncio.Semaphore(HASH_SLOTS)
        request.app.state.token_hash_slots = slots
    try:
        await asyncio.wait_for(slots.acquire(), HASH_WAIT_SECONDS)
    except TimeoutError:
        raise OAuthError(
            "temporarily_unavailable",
            "Too many token requests at once; try again in a second.",
            503,
            retry_after=1,
        ) from None
    try:
        yield
    finally:
        slots.release()


def _authenticate_and_issue(
    request: Request, settings: Settings, client_id: str, secret: str, address: str
) -> tuple[str, int]:
    # The key first: on first use it is created in a transaction of its own.
    key = service_key(request, PROVIDER_TOKENS)
    try:
        client = perform_public(
            request,
            lambda unit: service.authenticate_throttled(
                unit.session, client_id, secret, address, unit.now
            ),
        )
    except ApiError as refused:
        raise _too_many(request, refused) from None
    if client is None:
        raise _invalid_client("Client authentication failed.")
    return service.issue_token(settings, client, key)


def _too_many(request: Request, refused: ApiError) -> OAuthError:
    """A throttled attempt: RFC 6749's shape, and the service's message in the caller's
    language (`message`) besides the English description."""
    seconds = int(refused.params["seconds"])
    return OAuthError(
        refused.code,
        f"Too many failed attempts; try again in {seconds} seconds.",
        refused.status,
        retry_after=seconds,
        message=message_for(refused.code, request_lang(request), refused.params),
    )


def _error_response(exc: OAuthError) -> JsonResponse:
    headers = dict(TOKEN_HEADERS)
    if exc.status == 401:  # noqa: PLR2004 - RFC 6749 §5.2 requires the challenge with a 401
        headers["WWW-Authenticate"] = BASIC_CHALLENGE
    if exc.retry_after is not None:
        headers["Retry-After"] = str(exc.retry_after)
    body = {"error": exc.error, "error_description": exc.description}
    if exc.message is not None:
        body["message"] = exc.message
    return JsonResponse(body, status_code=exc.status, headers=headers)


async def _read_form(request: Request) -> dict[str, list[str]]:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != FORM_MEDIA_TYPE:
        raise OAuthError("invalid_request", f"The request body must be {FORM_MEDIA_TYPE}.")
    too_large = OAuthError("invalid_request", "The request body is too large.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large
    raw = bytearray()
    async for chunk in request.stream():
        raw.extend(chunk)
        if len(raw) > MAX_BODY_BYTES:
            raise too_large
    try:
        text = raw.decode("utf-8")
        # strict_parsing: a field without "=" is an error rather than silently dropped.
        return parse_qs(
            text,
            keep_blank_values=True,
            strict_parsing=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except ValueError:  # UnicodeDecodeError is a ValueError too
        raise OAuthError("invalid_request", "The request body is not a valid form.") from None


def _single(form: dict[str, list[str]], name: str) -> str | None:
    """A parameter's value; RFC 6749 §3.2: none may repeat, and an empty one counts as absent."""
    values = form.get(name, [])
    if len(values) > 1:
        raise OAuthError("invalid_request", f"Parameter {name} is repeated.")
    if not values or not values[0]:
        return None
    return values[0]


def _client_credentials(request: Request, form: dict[str, list[str]]) -> tuple[str, str]:
    form_id = _single(form, "client_id")
    form_secret = _single(form, "client_secret")
    authorization = request.headers.get("authorization")
    if authorization is not None:
        if form_id is not None or form_secret is not None:
            raise OAuthError(
                "invalid_request", "Use either HTTP Basic or form parameters, not both."
            )
        return _basic_credentials(authorization)
    if form_id is None and form_secret is None:
        raise _invalid_client("Client authentication is missing.")
    if form_id is None:
        raise OAuthError("invalid_request", "Missing parameter: client_id.")
    if form_secret is None:
        raise OAuthError("invalid_request", "Missing parameter: client_secret.")
    return form_id, form_secret


def _basic_credentials(authorization: str) -> tuple[str, str]:
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        raise _invalid_client("Unsupported client authentication method; use HTTP Basic.")
    malformed = OAuthError("invalid_request", "The Basic authorization header is malformed.")
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        raw_id, colon, raw_secret = decoded.partition(":")
        # RFC 6749 §2.3.1: both parts are form-urlencoded before they are joined.
        client_id = unquote_plus(raw_id, errors="strict")
        secret = unquote_plus(raw_secret, errors="strict")
    except (binascii.Error, ValueError):  # UnicodeDecodeError is a ValueError too
        raise malformed from None
    if not colon:
        raise malformed
    if not client_id or not secret:
        raise _invalid_client("Client authentication failed.")
    return client_id, secret
