"""Queries for system clients and the organisations they belong to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from ehoks.client.models import SystemClient
from ehoks.registry.models import Organisation

if TYPE_CHECKING:
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
