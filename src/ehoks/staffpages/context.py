"""What every staff page knows: the organisation the member chose (kept in the session) and the
roles they hold on it, which decide the navigation and the controls a page shows.

The choice is offered from the member's own grants, read on every request: a revoked grant
takes its organisation off the list at once, and a choice kept for it no longer counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.access.directory import OPH_ROOT_OID
from ehoks.access.rules import Access
from ehoks.access.subjects import Role, StaffSubject
from ehoks.auth.sessions import keep_in_session, session_value
from ehoks.registry import names as registry_names
from ehoks.registry import repository as registry_repository
from ehoks.registry.directory import remembered

ORGANISATION_KEY: Final = "staff_organisation"
# Strongest first: the role a choice shows beside the organisation's name.
ROLE_ORDER: Final = (Role.ADMIN, Role.DELETE, Role.WRITE, Role.READ)


@dataclass(frozen=True, slots=True)
class OrganisationOption:
    oid: str
    names: dict[str, Any]
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StaffContext:
    """The chosen organisation (None: not chosen yet) and what the member may do there."""

    member: str
    options: tuple[OrganisationOption, ...]
    organisation: OrganisationOption | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def can_write(self) -> bool:
        return Role.WRITE.value in self.roles

    @property
    def can_delete(self) -> bool:
        return Role.DELETE.value in self.roles

    @property
    def can_admin(self) -> bool:
        return Role.ADMIN.value in self.roles

    @property
    def oid(self) -> str:
        return self.organisation.oid if self.organisation is not None else ""


def organisation_options(session: Session, subject: StaffSubject) -> list[OrganisationOption]:
    """Every organisation the member holds a grant on, and the ones directly below those (a
    provider's grant lets its member work in one of its schools), with the roles held there.

    Not below the national root: that would list every provider; a national administrator
    works at the root, whose lists cover everything. The grants are the member's own, read on
    this request; what follows from them and the organisation tree (the schools below, the
    names) is remembered per set of grants as long as the tree is (`registry.directory`).
    """
    held = frozenset((grant.organisation_oid, grant.role.value) for grant in subject.grants)
    return list(remembered(session, "staff-options", held, lambda: _options(session, held)))


def _options(session: Session, held: frozenset[tuple[str, str]]) -> tuple[OrganisationOption, ...]:
    roles: dict[str, set[str]] = {}
    for organisation, role in held:
        roles.setdefault(organisation, set()).add(role)
    below = registry_repository.child_organisations(session, set(roles) - {OPH_ROOT_OID})
    for child, parent in below.items():
        roles.setdefault(child, set()).update(roles[parent])
    # An organisation the registry cannot name has no names: the pages call it unknown.
    names = registry_names.named_only(registry_names.organisation_names(session, roles))
    options = [
        OrganisationOption(oid, names.get(oid, {}), _ordered(kinds)) for oid, kinds in roles.items()
    ]
    return tuple(sorted(options, key=lambda option: (str(option.names.get("fi", "")), option.oid)))


def _ordered(roles: Iterable[str]) -> tuple[str, ...]:
    held = set(roles)
    return tuple(role.value for role in ROLE_ORDER if role.value in held)


def staff_context(session: Session, access: Access, subject: StaffSubject) -> StaffContext:
    """The member's chosen organisation; with grants on one organisation it is chosen without
    asking."""
    options = organisation_options(session, subject)
    kept = session_value(session, subject.session_id, ORGANISATION_KEY)
    chosen = next((option for option in options if option.oid == kept), None)
    granted = {grant.organisation_oid for grant in subject.grants}
    if chosen is None and len(granted) == 1:
        # Grants on one organisation only: work there (its schools stay a choice away).
        chosen = next(option for option in options if option.oid in granted)
        keep_in_session(session, subject.session_id, ORGANISATION_KEY, chosen.oid)
    if chosen is None:
        return StaffContext(subject.name, tuple(options))
    roles = frozenset(role.value for role in Role if access.organisation(chosen.oid, role).allowed)
    return StaffContext(subject.name, tuple(options), chosen, roles)


def choose_organisation(
    session: Session, access: Access, subject: StaffSubject, oid: str
) -> StaffContext | None:
    """Keep `oid` as the member's organisation if it is one of their options (else None)."""
    if oid not in {option.oid for option in organisation_options(session, subject)}:
        return None
    keep_in_session(session, subject.session_id, ORGANISATION_KEY, oid)
    return staff_context(session, access, subject)
