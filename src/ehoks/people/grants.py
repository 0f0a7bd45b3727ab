"""Staff grants: a role (read, write, delete, admin) on an organisation.

A grant covers the organisation and every organisation below it, never above. Operators manage
"manual" grants with `ehoks users`; grants from the identity provider ("idp") are replaced at
every sign-in and are only listed here. Every change is audited in its own transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from ehoks.access.rules import Access
from ehoks.access.subjects import Role
from ehoks.audit import service as audit_service
from ehoks.audit.scope import AuditScope
from ehoks.kit.errors import ApiError
from ehoks.people import repository, schemas
from ehoks.people.models import StaffGrant
from ehoks.registry import repository as registry_repository
from ehoks.registry.directory import RegistryDirectory

MANUAL = "manual"
CLI_ACTOR = "cli"
_OID = re.compile(r"^[0-9]+(\.[0-9]+){3,}$")


class GrantError(Exception):
    """A grant or revoke that cannot be done; the message is for the operator."""


@dataclass(frozen=True, slots=True)
class GrantView:
    staff_oid: str
    staff_name: str
    organisation_oid: str
    role: str
    source: str
    created_at: datetime
    created_by: str
    inherited: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "staff-oid": self.staff_oid,
            "name": self.staff_name,
            "organisation-oid": self.organisation_oid,
            "role": self.role,
            "source": self.source,
            "created-at": self.created_at.isoformat(),
            "created-by": self.created_by,
            "inherited": self.inherited,
        }


@dataclass(frozen=True, slots=True)
class GrantChange:
    """A role on an organisation, given to or taken from a staff member."""

    staff_oid: str
    organisation_oid: str
    role: str


def grant(
    session: Session,
    change: GrantChange,
    *,
    name: str | None,
    operator: str | None,
    created_by: str = CLI_ACTOR,
    now: datetime | None = None,
) -> bool:
    """Give a manual grant; False if it existed already. Creates the staff member if needed.

    `created_by`: who gave it, as the grant lists show it ("cli", or an administrator's OID).
    `operator`: the command-line operator the change is audited as, in a record of its own; None
    when the caller's request is audited already (the administration page).
    """
    _check(session, change)
    now = now or datetime.now(UTC)
    repository.ensure_staff_member(session, change.staff_oid, name)
    if _manual_grant(session, change) is not None:
        return False
    repository.add_grant(
        session,
        StaffGrant(
            staff_oid=change.staff_oid,
            organisation_oid=change.organisation_oid,
            role=change.role,
            source=MANUAL,
            created_at=now,
            created_by=created_by,
        ),
    )
    if operator is not None:
        _audit(session, "grant-role", change, who=operator)
    return True


def revoke(session: Session, change: GrantChange, *, operator: str | None) -> None:
    """Remove a manual grant. Identity-provider grants come back at sign-in: fix them there."""
    _check_role(change.role)
    found = _manual_grant(session, change)
    if found is None:
        raise GrantError(
            f"{change.staff_oid} has no manual {change.role} grant on {change.organisation_oid};"
            " see 'ehoks users list'"
        )
    repository.delete_grant(session, found.id)
    if operator is not None:
        _audit(session, "revoke-role", change, who=operator)


def _manual_grant(session: Session, change: GrantChange) -> StaffGrant | None:
    return repository.find_grant(
        session, change.staff_oid, change.organisation_oid, change.role, MANUAL
    )


def list_grants(session: Session, organisation_oid: str | None = None) -> list[GrantView]:
    """Every grant, or those that act on one organisation: on it, below it, or above it."""
    if organisation_oid is None:
        return _views(session, repository.all_grants(session), frozenset())
    if registry_repository.get_organisation(session, organisation_oid) is None:
        raise GrantError(f"organisation {organisation_oid} is not in the organisation registry")
    directory = RegistryDirectory(session)
    above = directory.organisations_above(organisation_oid)
    below = directory.organisations_below(organisation_oid)
    rows = repository.grants_on(session, {*above, *below})
    return _views(session, rows, above)


def staff_of_organisation(
    session: Session, access: Access, organisation_oid: str, audit: AuditScope
) -> list[schemas.StaffMember]:
    """For administrators (admin role on the organisation or above): its staff and grants."""
    decision = access.organisation(organisation_oid, Role.ADMIN)
    audit.decided(decision)
    if registry_repository.get_organisation(session, organisation_oid) is None:
        raise ApiError(400, "organisation_unknown", params={"oid": organisation_oid})
    decision.enforce()
    people: dict[str, list[schemas.Grant]] = {}
    names: dict[str, str] = {}
    for view in list_grants(session, organisation_oid):
        names[view.staff_oid] = view.staff_name
        people.setdefault(view.staff_oid, []).append(
            schemas.Grant(
                organisation_oid=view.organisation_oid,
                role=view.role,
                source=view.source,
                created_at=view.created_at.isoformat(),
                created_by=view.created_by,
                inherited=view.inherited,
            )
        )
    return [
        schemas.StaffMember(oid=oid, nimi=names[oid], grants=grants)
        for oid, grants in people.items()
    ]


def _views(session: Session, rows: Any, inherited_from: frozenset[str]) -> list[GrantView]:
    members = repository.staff_members(session, (row.staff_oid for row in rows))
    return [
        GrantView(
            staff_oid=row.staff_oid,
            staff_name=members[row.staff_oid].name if row.staff_oid in members else "",
            organisation_oid=row.organisation_oid,
            role=row.role,
            source=row.source,
            created_at=row.created_at,
            created_by=row.created_by,
            inherited=row.organisation_oid in inherited_from,
        )
        for row in rows
    ]


def _check(session: Session, change: GrantChange) -> None:
    if not _OID.match(change.staff_oid):
        raise GrantError(f"{change.staff_oid!r} is not an OID")
    _check_role(change.role)
    if registry_repository.get_organisation(session, change.organisation_oid) is None:
        raise GrantError(
            f"organisation {change.organisation_oid} is not in the organisation registry "
            "(import it with 'ehoks registry import')"
        )


def _check_role(role: str) -> None:
    if role not in {r.value for r in Role}:
        raise GrantError(f"unknown role {role!r}; use one of read, write, delete, admin")


def _audit(session: Session, operation: str, change: GrantChange, *, who: str) -> None:
    audit_service.record(
        session,
        audit_service.Event(
            request_id=f"cli-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S.%f')}",
            subject_kind="operator",
            subject_id=who,
            operation=operation,
            outcome=audit_service.Outcome.SUCCESS,
            organisation_oid=change.organisation_oid,
            role=change.role,
            details={"staff-oid": change.staff_oid, "source": MANUAL},
        ),
    )
