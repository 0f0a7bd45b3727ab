"""System clients: creating them, checking their credentials and the access tokens they get.

OAuth2 client credentials (RFC 6749 §4.4). A client's secret is shown once when it is created and
stored only as a scrypt hash. Access tokens are short-lived HS256 JWTs (RFC 7519) signed with the
service's key (configured or generated, never one from the source: `ehoks.kit.keys`); they carry
the client's organisation and access level so that every request can be authorised without a
second credential check.

Services never commit (CONVENTIONS 2): the caller owns the transaction.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import jwt

from ehoks.access.subjects import ClientAccess
from ehoks.client import repository
from ehoks.client.cache import forget_when_committed
from ehoks.client.models import SystemClient
from ehoks.client.secrets_hash import burn_verification, hash_secret, verify_secret
from ehoks.kit import throttle
from ehoks.kit.db.base import utcnow

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ehoks.config import Settings

TOKEN_AUDIENCE: Final = "ehoks-provider-api"  # noqa: S105 - a public claim value, not a secret
TOKEN_ALGORITHM: Final = "HS256"  # noqa: S105 - an algorithm name, not a secret
# Clock skew tolerated between the token's issuer and its verifier (here the same service).
TOKEN_LEEWAY_SECONDS: Final = 5
CLIENT_ID_PREFIX: Final = "ehoks-"
NAME_MAX_LENGTH: Final = 200
_NATIONAL_ROLE: Final = re.compile(
    r"ROLE_APP_EHOKS_(?P<role>CRUD|READ|HOKS_DELETE|OPHPAAKAYTTAJA)_(?P<oid>1\.2\.246\.562\.[0-9.]+)"
)
_CAS_USERNAME: Final = re.compile(r"[A-Za-z0-9._@-]{1,100}")
_REQUIRED_CLAIMS: Final = ("iss", "aud", "sub", "org", "access", "iat", "nbf", "exp", "jti")
# Failed token requests allowed before a 429: per address (one misconfigured or hostile host),
# and per client id (guessing one client's secret from many addresses). A right secret is
# checked only while both are under their limits; a client's own integration, retrying a
# wrong secret every few seconds, is slowed down, not locked out for long.
ADDRESS_FAILURES: Final = throttle.Limit("token-address", 10, timedelta(minutes=1))
CLIENT_FAILURES: Final = throttle.Limit("token-client", 30, timedelta(minutes=5))


class ClientError(Exception):
    """A request about system clients that cannot be carried out; the message says why."""


class UnknownOrganisationError(ClientError):
    def __init__(self, oid: str) -> None:
        super().__init__(
            f"organisation {oid!r} is not in the organisation registry; "
            "import the organisation registry first (ehoks registry import)"
        )
        self.oid = oid


class UnknownClientError(ClientError):
    def __init__(self, client_id: str) -> None:
        super().__init__(f"no system client with id {client_id!r}")
        self.client_id = client_id


class InvalidTokenError(Exception):
    """An access token that is not ours, not intact, not yet or no longer valid."""


def create_client(
    session: Session,
    *,
    name: str,
    organisation_oid: str,
    access: ClientAccess | str,
    cas: bool = False,
    cas_username: str | None = None,
) -> tuple[SystemClient, str]:
    """A new client and its secret in clear text; only the secret's hash is stored.

    The secret is returned here and nowhere else: whoever shows it must say it cannot be shown
    again. With `cas` (or a `cas_username`) the client may also sign in with CAS, with that user
    name (by default its client id) and the secret as its password (`ehoks.client.cas`).
    """
    name = name.strip()
    if not 1 <= len(name) <= NAME_MAX_LENGTH:
        raise ClientError(f"the name must be 1-{NAME_MAX_LENGTH} characters long")
    try:
        level = ClientAccess(access)
    except ValueError:
        raise ClientError("access must be 'read' or 'write'") from None
    if not repository.organisation_exists(session, organisation_oid):
        raise UnknownOrganisationError(organisation_oid)
    client_id = CLIENT_ID_PREFIX + secrets.token_hex(8)
    if cas and cas_username is None:
        cas_username = client_id
    if cas_username is not None:
        cas_username = _checked_cas_username(session, cas_username)
    secret = secrets.token_urlsafe(32)
    client = SystemClient(
        client_id=client_id,
        name=name,
        organisation_oid=organisation_oid,
        access=level.value,
        secret_hash=hash_secret(secret),
        created_at=utcnow(),
        disabled_at=None,
        cas_username=cas_username,
    )
    repository.add_client(session, client)
    return client, secret


def access_from_national_role(role: str) -> tuple[str, ClientAccess]:
    """The organisation and access level of a national role `ROLE_APP_EHOKS_<ROLE>_<org OID>`.

    CRUD and OPHPAAKAYTTAJA give write; READ gives read. HOKS_DELETE alone gives read: the
    provider API has no route that deletes, and a client that can delete must still be able to
    find what it deletes. Any other role is refused, as the national service gives it nothing.
    """
    match = _NATIONAL_ROLE.fullmatch(role.strip())
    if match is None:
        raise ClientError(
            "a national role has the form ROLE_APP_EHOKS_<CRUD|READ|HOKS_DELETE|OPHPAAKAYTTAJA>_"
            "<organisation OID>"
        )
    level = ClientAccess.WRITE if match["role"] in {"CRUD", "OPHPAAKAYTTAJA"} else ClientAccess.READ
    return match["oid"], level


def _checked_cas_username(session: Session, username: str) -> str:
    username = username.strip()
    if not _CAS_USERNAME.fullmatch(username):
        raise ClientError("a CAS user name is 1-100 letters, digits and the characters . _ @ -")
    if repository.cas_username_taken(session, username):
        raise ClientError(f"the CAS user name {username!r} is already in use")
    return username


def authenticate_client(session: Session, client_id: str, secret: str) -> SystemClient | None:
    """The enabled client whose id and secret these are, else None.

    An unknown id costs the same scrypt work as a known one, so response times do not tell which
    client ids exist.
    """
    client = repository.get_client(session, client_id)
    if client is None:
        burn_verification(secret)
        return None
    if not verify_secret(secret, client.secret_hash):
        return None
    if client.disabled_at is not None:
        return None
    return client


def authenticate_throttled(
    session: Session, client_id: str, secret: str, address: str, now: datetime
) -> SystemClient | None:
    """`authenticate_client`, throttled: a 429 `too_many_attempts` once the address or the
    client id has had too many failed attempts lately, before any scrypt work; a failure counts
    against both (in the caller's transaction, which commits it)."""
    checks = [(ADDRESS_FAILURES, address), (CLIENT_FAILURES, client_id)]
    throttle.refuse_if_over(session, checks, now)
    client = authenticate_client(session, client_id, secret)
    if client is None:
        throttle.count_all(session, checks, now)
    return client


def disable_client(session: Session, client_id: str) -> SystemClient:
    """Disable a client for good: no new tokens at once; tokens in hand are refused at once in
    this process when the change commits, and within `CLIENT_CACHE_SECONDS` in other processes.

    Disabling twice keeps the first time.
    """
    client = repository.get_client(session, client_id)
    if client is None:
        raise UnknownClientError(client_id)
    if client.disabled_at is None:
        client.disabled_at = utcnow()
        session.flush()
    forget_when_committed(session, client_id)
    return client


def list_clients(session: Session) -> list[SystemClient]:
    """Every client, oldest first, disabled ones included."""
    return repository.list_clients(session)


def issue_token(settings: Settings, client: SystemClient, key: str) -> tuple[str, int]:
    """An access token for `client`, signed with `key`, and its lifetime in seconds."""
    now = datetime.now(UTC).replace(microsecond=0)
    ttl = settings.token_ttl_seconds
    claims: dict[str, Any] = {
        "iss": settings.token_issuer,
        "aud": TOKEN_AUDIENCE,
        "sub": client.client_id,
        "org": client.organisation_oid,
        "access": client.access,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(seconds=ttl),
        "jti": secrets.token_urlsafe(16),
    }
    token = jwt.encode(claims, key, algorithm=TOKEN_ALGORITHM)
    return token, ttl


def verify_token(settings: Settings, token: str, key: str) -> dict[str, Any]:
    """The claims of a token this service issued (signed with `key`) and that is valid now.

    Only HS256 is accepted (so `alg: none` and algorithm confusion fail), with our issuer and
    audience, every claim present and at most a few seconds of clock skew.
    """
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=[TOKEN_ALGORITHM],
            audience=TOKEN_AUDIENCE,
            issuer=settings.token_issuer,
            leeway=TOKEN_LEEWAY_SECONDS,
            options={"require": list(_REQUIRED_CLAIMS), "strict_aud": True},
        )
    except jwt.PyJWTError as exc:
        raise InvalidTokenError(str(exc)) from None
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise InvalidTokenError("sub must be a non-empty string")
    if not isinstance(claims.get("org"), str):
        raise InvalidTokenError("org must be a string")
    if claims.get("access") not in {a.value for a in ClientAccess}:
        raise InvalidTokenError("access must be read or write")
    return claims
