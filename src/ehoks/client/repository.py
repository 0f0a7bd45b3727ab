"""Queries for system clients and the organisations they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, select, update

from ehoks.client.models import CasTicket, SystemClient
from ehoks.registry.models import Organisation

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session


def get_client(session: Session, client_id: str) -> SystemClient | None:
    return session.get(SystemClient, client_id)


def add_client(session: Session, client: SystemClient) -> None:
    session.add(client)
    session.flush()


def list_clients(session: Session) -> list[SystemClient]:
    query = select(SystemClient).order_by(SystemClient.created_at, SystemClient.client_id)
    return list(session.scalars(query))


def organisation_exists(session: Session, oid: str) -> bool:
    query = select(Organisation.oid).where(Organisation.oid == oid)
    return session.scalar(query) is not None


def cas_username_taken(session: Session, username: str) -> bool:
    query = select(SystemClient.client_id).where(SystemClient.cas_username == username)
    return session.scalar(query) is not None


def client_by_cas_username(session: Session, username: str) -> SystemClient | None:
    query = select(SystemClient).where(SystemClient.cas_username == username)
    return session.scalars(query).one_or_none()


def add_ticket(session: Session, ticket: CasTicket) -> None:
    session.add(ticket)
    session.flush()


def get_ticket(session: Session, ticket_hash: str) -> CasTicket | None:
    return session.get(CasTicket, ticket_hash)


def delete_granting_ticket(session: Session, ticket_hash: str) -> bool:
    """Delete a ticket-granting ticket and the service tickets it issued; False if unknown."""
    session.execute(delete(CasTicket).where(CasTicket.granting_hash == ticket_hash))
    result = session.execute(
        delete(CasTicket).where(CasTicket.ticket_hash == ticket_hash, CasTicket.kind == "TGT")
    )
    return bool(getattr(result, "rowcount", 0))


def use_service_ticket(session: Session, ticket_hash: str, now: datetime) -> str | None:
    """Mark an unused, unexpired service ticket used; the client whose it was, if the ticket
    was usable and the ticket-granting ticket it came from is still alive.

    The compare-and-set UPDATE makes the single use hold between concurrent requests and web
    processes: of two requests with one ticket exactly one gets a row back.
    """
    statement = (
        update(CasTicket)
        .where(
            CasTicket.ticket_hash == ticket_hash,
            CasTicket.kind == "ST",
            CasTicket.used_at.is_(None),
            CasTicket.expires_at > now,
        )
        .values(used_at=now)
        .returning(CasTicket.client_id, CasTicket.granting_hash)
    )
    row = session.execute(statement).one_or_none()
    if row is None:
        return None
    client_id, granting_hash = row
    granting_alive = session.scalar(
        select(CasTicket.ticket_hash).where(
            CasTicket.ticket_hash == granting_hash, CasTicket.expires_at > now
        )
    )
    return str(client_id) if granting_alive is not None else None


def purge_tickets(session: Session, now: datetime) -> int:
    """Delete tickets that can no longer be used (expired, or used service tickets)."""
    result = session.execute(
        delete(CasTicket).where((CasTicket.expires_at <= now) | CasTicket.used_at.is_not(None))
    )
    return int(getattr(result, "rowcount", 0))
