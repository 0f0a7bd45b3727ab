"""Administration for a provider's administrators (the admin role on the chosen organisation):
the staff grants that act on it (the same operations as `ehoks users`) and the provider's system
clients (as `ehoks clients`). An administrator acts only within their own reach: a grant, a
revoke or a client on an organisation they hold the admin role on (or above)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ehoks.access.rules import Access
from ehoks.access.subjects import Role, StaffSubject
from ehoks.audit.scope import AuditScope
from ehoks.client import service as client_service
from ehoks.client.models import SystemClient
from ehoks.kit.errors import ApiError
from ehoks.people import grants
from ehoks.people.grants import GrantChange, GrantError, GrantView


@dataclass(frozen=True, slots=True)
class ClientView:
    client_id: str
    name: str
    organisation_oid: str
    access: str
    created: datetime
    disabled: datetime | None


@dataclass(frozen=True, slots=True)
class Administration:
    grants: list[GrantView]
    clients: list[ClientView]


def _admin_on(access: Access, audit: AuditScope, organisation_oid: str) -> None:
    decision = access.organisation(organisation_oid, Role.ADMIN)
    audit.decided(decision)
    decision.enforce()


def _view(client: SystemClient) -> ClientView:
    return ClientView(
        client.client_id,
        client.name,
        client.organisation_oid,
        client.access,
        client.created_at,
        client.disabled_at,
    )


def administration(
    session: Session, access: Access, organisation_oid: str, audit: AuditScope
) -> Administration:
    """The grants acting on the organisation and the clients of it and below it."""
    _admin_on(access, audit, organisation_oid)
    reach = access.within(organisation_oid)
    clients = [
        _view(client)
        for client in client_service.list_clients(session)
        if reach.covers(client.organisation_oid)
    ]
    audit.about(organisation=organisation_oid)
    return Administration(grants.list_grants(session, organisation_oid), clients)


def grant(
    session: Session,
    access: Access,
    subject: StaffSubject,
    audit: AuditScope,
    change: GrantChange,
    *,
    name: str | None,
) -> bool:
    """A manual grant (False: it existed), given by the administrator, whose OID it carries.

    A bad OID, role or organisation is refused with 400 `grant_refused` before anything is
    written, and audited as refused with the reason.
    """
    _admin_on(access, audit, change.organisation_oid)
    audit.about(staff_oid=change.staff_oid, role=change.role)
    try:
        # The request's own audit record names the administrator: no operator record besides.
        return grants.grant(session, change, name=name, operator=None, created_by=subject.oid)
    except GrantError as error:
        audit.about(reason=str(error))
        raise ApiError(400, "grant_refused") from None


def revoke(session: Session, access: Access, audit: AuditScope, change: GrantChange) -> None:
    """Take a manual grant away; 404 for one that is not there."""
    _admin_on(access, audit, change.organisation_oid)
    audit.about(staff_oid=change.staff_oid, role=change.role)
    try:
        grants.revoke(session, change, operator=None)
    except GrantError:
        raise ApiError(404, "not_found") from None


def create_client(
    session: Session,
    access: Access,
    audit: AuditScope,
    *,
    name: str,
    organisation_oid: str,
    level: str,
) -> tuple[ClientView, str]:
    """A new system client and its secret (shown once). A bad name or access is refused with
    400 `client_refused` before anything is written, and audited as refused with the reason."""
    _admin_on(access, audit, organisation_oid)
    try:
        client, secret = client_service.create_client(
            session, name=name, organisation_oid=organisation_oid, access=level
        )
    except client_service.ClientError as error:
        audit.about(reason=str(error))
        raise ApiError(400, "client_refused") from None
    audit.about(client_id=client.client_id)
    return _view(client), secret


def disable_client(session: Session, access: Access, audit: AuditScope, client_id: str) -> None:
    """Revoke a client of the administrator's reach for good (404 for any other)."""
    found = next(
        (c for c in client_service.list_clients(session) if c.client_id == client_id), None
    )
    if found is None or not access.organisation(found.organisation_oid, Role.ADMIN).allowed:
        raise ApiError(404, "not_found")
    _admin_on(access, audit, found.organisation_oid)
    audit.about(client_id=client_id)
    client_service.disable_client(session, client_id)
