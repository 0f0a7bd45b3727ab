"""CAS sign-in for provider systems, as the national service's integrations do it.

The CAS REST protocol: a system trades its user name and password for a ticket-granting ticket
(TGT), asks that for a service ticket (ST) per request, and sends the ST in the `ticket` header.
An ST is for one service URL (`{public base}/ehoks-virkailija-backend/cas-security-check`, the
national one's), is redeemed at most once and lives `cas_service_ticket_seconds`; a TGT lives
`cas_ticket_granting_minutes` or until it is deleted. The password is the client's secret, so a
client created with `--cas` may use CAS and OAuth2 alike, with the same access.

Tickets are 256-bit random strings; only their SHA-256 is stored. Services never commit: the
caller owns the transaction (redeeming must be committed before the request's own work, so that a
ticket cannot be replayed while that work runs).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

from ehoks.client import repository
from ehoks.client.models import CasTicket
from ehoks.client.secrets_hash import burn_verification, verify_secret
from ehoks.client.service import ADDRESS_FAILURES, CLIENT_FAILURES
from ehoks.kit import throttle

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from ehoks.config import Settings

SERVICE_PATH: Final = "/ehoks-virkailija-backend/cas-security-check"
TICKETS_PATH: Final = "/cas/v1/tickets"
GRANTING_PREFIX: Final = "TGT-"
SERVICE_PREFIX: Final = "ST-"
# What we issue: a prefix and 43 URL-safe characters. Anything else is refused unhashed.
_TICKET_PATTERN: Final = re.compile(r"(TGT|ST)-[A-Za-z0-9_-]{43}")
USERNAME_MAX_LENGTH: Final = 100


class CasError(Exception):
    """A ticket request that cannot be granted; `reason` is stable, for the answer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Redeemed:
    """A service ticket that was valid and is now used up."""

    client_id: str


def service_url(settings: Settings) -> str:
    """The one service URL our service tickets are for (the national backend's, on our host)."""
    return settings.public_base_url.rstrip("/") + SERVICE_PATH


def granting_ticket_url(settings: Settings, ticket: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}{TICKETS_PATH}/{ticket}"


def is_well_formed(ticket: str, kind: str) -> bool:
    match = _TICKET_PATTERN.fullmatch(ticket)
    return match is not None and match.group(1) == kind


def grant(
    session: Session,
    settings: Settings,
    username: str,
    password: str,
    *,
    address: str,
    now: datetime,
) -> str | None:
    """A new ticket-granting ticket for these credentials, or None if they are not valid.

    Throttled as the token endpoint is, and with the same per-address count, so that guessing
    through both endpoints gains nothing: a 429 `too_many_attempts` before any hashing once the
    address or the user name has failed too often; a failure counts against both (committed with
    the caller's transaction). An unknown user name costs the same hashing as a known one, so
    timing tells nothing.
    """
    checks = [(ADDRESS_FAILURES, address), (CLIENT_FAILURES, "cas:" + username)]
    throttle.refuse_if_over(session, checks, now)
    client = repository.client_by_cas_username(session, username)
    if client is None:
        burn_verification(password)
        throttle.count_all(session, checks, now)
        return None
    if not verify_secret(password, client.secret_hash) or client.disabled_at is not None:
        throttle.count_all(session, checks, now)
        return None
    ticket = GRANTING_PREFIX + secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=settings.cas_ticket_granting_minutes)
    repository.add_ticket(session, _row(ticket, "TGT", client.client_id, now, expires))
    return ticket


def issue_service_ticket(
    session: Session, settings: Settings, granting: str, service: str, now: datetime
) -> str:
    """A single-use service ticket from a live ticket-granting ticket, for `service`.

    Raises `CasError("unknown_ticket")` for a TGT that is not ours, expired, deleted or whose
    client is disabled, and `CasError("unknown_service")` for any service URL but ours: a ticket
    for another service would be refused anyway, and saying so at once helps the integrator.
    """
    tgt = _live(session, granting, "TGT", now)
    if tgt is None or not _client_enabled(session, tgt.client_id):
        raise CasError("unknown_ticket")
    if service.rstrip("/") != service_url(settings):
        raise CasError("unknown_service")
    ticket = SERVICE_PREFIX + secrets.token_urlsafe(32)
    expires = now + timedelta(seconds=settings.cas_service_ticket_seconds)
    row = _row(ticket, "ST", tgt.client_id, now, expires)
    row.granting_hash = tgt.ticket_hash
    row.service = service_url(settings)
    repository.add_ticket(session, row)
    return ticket


def end(session: Session, granting: str) -> bool:
    """Delete a ticket-granting ticket and every service ticket it issued; False if unknown."""
    if not is_well_formed(granting, "TGT"):
        return False
    return repository.delete_granting_ticket(session, _digest(granting))


def redeem(session: Session, ticket: str, now: datetime) -> Redeemed | None:
    """Use up a service ticket; the client it was issued to, or None if it is not valid now."""
    if not is_well_formed(ticket, "ST"):
        return None
    client_id = repository.use_service_ticket(session, _digest(ticket), now)
    return Redeemed(client_id=client_id) if client_id is not None else None


def purge_expired(session: Session, now: datetime) -> int:
    """Delete tickets that can no longer be used (expired, or used service tickets)."""
    return repository.purge_tickets(session, now)


def _live(session: Session, ticket: str, kind: str, now: datetime) -> CasTicket | None:
    if not is_well_formed(ticket, kind):
        return None
    row = repository.get_ticket(session, _digest(ticket))
    if row is None or row.kind != kind or row.expires_at <= now or row.used_at is not None:
        return None
    return row


def _client_enabled(session: Session, client_id: str) -> bool:
    client = repository.get_client(session, client_id)
    return client is not None and client.disabled_at is None


def _row(ticket: str, kind: str, client_id: str, now: datetime, expires: datetime) -> CasTicket:
    return CasTicket(
        ticket_hash=_digest(ticket),
        kind=kind,
        client_id=client_id,
        created_at=now,
        expires_at=expires,
        used_at=None,
    )


def _digest(ticket: str) -> str:
    return hashlib.sha256(ticket.encode("ascii")).hexdigest()
