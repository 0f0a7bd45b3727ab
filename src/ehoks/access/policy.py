"""The one place that decides who may do what.

Every route declares its policy as a dependency built by one of the functions below. The
dependency both enforces the rule and marks the route, so a test can enumerate every route of the
application and fail if one has no declared policy (deny by default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, params

from ehoks.access.subjects import Role, StaffSubject, StudentSubject, SystemClientSubject

POLICY_ATTRIBUTE = "__ehoks_policy__"


def _mark(dependency: Any, description: str) -> Any:  # returns the same callable, marked
    setattr(dependency, POLICY_ATTRIBUTE, description)
    return dependency


def public(reason: str) -> params.Depends:
    """Anyone may call: only for what holds no personal data (probes, docs, token endpoint)."""

    def _allow() -> None:
        return None

    marked: params.Depends = Depends(_mark(_allow, f"public: {reason}"))
    return marked


def route_policy(dependency: Any) -> str | None:
    """The policy a dependency declares, if it is a policy dependency."""
    value = getattr(dependency, POLICY_ATTRIBUTE, None)
    return value if isinstance(value, str) else None


OPH_ROOT_OID = "1.2.246.562.10.00000000001"


@dataclass(frozen=True, slots=True)
class Ownership:
    """Which organisations own a study right (and so its HOKS), and who may only read it.

    `procured_reader_oids` are the organisations (with everything above them) that carry out
    procured training within the study right (hankintakoulutus, ehoks-api.md 4.3): their staff
    may read the HOKS, never change it.
    """

    oppilaitos_oid: str | None
    koulutustoimija_oid: str | None
    ancestor_oids: frozenset[str]
    procured_reader_oids: frozenset[str] = frozenset()
    oppija_oid: str | None = None


# A subject's reach: does it reach what these organisations own?
Reach = Callable[[Ownership], bool]


def organisation_reaches(organisation_oid: str, owner: Ownership) -> bool:
    """An organisation reaches what it owns itself or what an organisation below it owns.

    The study right names its oppilaitos and koulutustoimija; the organisation tree adds every
    organisation above them. Nothing is inherited upward or sideways.
    """
    owners = {oid for oid in (owner.oppilaitos_oid, owner.koulutustoimija_oid) if oid}
    return organisation_oid in owners or organisation_oid in owner.ancestor_oids


def client_reach(subject: SystemClientSubject) -> Reach:
    """A provider system reaches the HOKS of its own organisation and of those below it."""

    def reaches(owner: Ownership) -> bool:
        return organisation_reaches(subject.organisation_oid, owner)

    return reaches


# Roles that include others: a writer may read, an administrator may do everything.
_IMPLIED: dict[Role, frozenset[Role]] = {
    Role.READ: frozenset({Role.READ}),
    Role.WRITE: frozenset({Role.WRITE, Role.READ}),
    Role.DELETE: frozenset({Role.DELETE, Role.READ}),
    Role.ADMIN: frozenset({Role.ADMIN, Role.DELETE, Role.WRITE, Role.READ}),
}


def staff_roles(subject: StaffSubject, owner: Ownership) -> frozenset[Role]:
    """The roles a staff member has over what `owner` describes.

    A grant on an organisation covers that organisation and everything below it (never above).
    Procured training adds read, and nothing else, for the organisations carrying it out.
    """
    roles: set[Role] = set()
    for grant in subject.grants:
        if organisation_reaches(grant.organisation_oid, owner):
            roles |= _IMPLIED[grant.role]
        elif (
            grant.organisation_oid in owner.procured_reader_oids
            and Role.READ in _IMPLIED[grant.role]
        ):
            roles.add(Role.READ)
    return frozenset(roles)


def staff_reach(subject: StaffSubject, role: Role) -> Reach:
    def reaches(owner: Ownership) -> bool:
        return role in staff_roles(subject, owner)

    return reaches


def staff_roles_on_organisation(
    subject: StaffSubject, organisation_oid: str, ancestors: frozenset[str]
) -> frozenset[Role]:
    """Roles on an organisation itself (e.g. to list its students), inherited from above."""
    roles: set[Role] = set()
    for grant in subject.grants:
        if grant.organisation_oid == organisation_oid or grant.organisation_oid in ancestors:
            roles |= _IMPLIED[grant.role]
    return frozenset(roles)


def is_admin(subject: StaffSubject) -> bool:
    """A national administrator: the admin role on the national root organisation."""
    return any(g.role is Role.ADMIN and g.organisation_oid == OPH_ROOT_OID for g in subject.grants)


def student_reach(subject: StudentSubject) -> Reach:
    """A student reaches their own HOKS only; a guardian signs in as themselves (docs/people.md)."""

    def reaches(owner: Ownership) -> bool:
        return owner.oppija_oid is not None and owner.oppija_oid == subject.oppija_oid

    return reaches
