"""The session documents of the national-compatible session routes (ehoks-api.md 3.3, 3.9).

Kebab-case keys and the camelCase ones (`oidHenkilo`, `isSuperuser`, `usingValtuudet`) are the
national service's own; the UI code written for it reads exactly these.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.access.subjects import Role, StaffSubject, StudentSubject
from ehoks.auth.schemas import OrganisationPrivileges, StaffSession, StudentSession, UserInfo
from ehoks.auth.sessions import csrf_token_of
from ehoks.pipeline.unit import AuditedUnit
from ehoks.registry import repository as registry_repository
from ehoks.registry.directory import RegistryDirectory

# The national privilege names each of our roles stands for.
PRIVILEGES: Final[dict[Role, tuple[str, ...]]] = {
    Role.READ: ("read",),
    Role.WRITE: ("read", "write", "update"),
    Role.DELETE: ("read", "hoks_delete"),
    Role.ADMIN: ("read", "write", "update", "hoks_delete"),
}
_PRIVILEGE_ORDER: Final = ("read", "write", "update", "hoks_delete")
_ROLE_ORDER: Final = tuple(Role)


def staff_session(unit: AuditedUnit[StaffSubject]) -> StaffSession:
    """Who is signed in, their privileges per organisation, and the session's CSRF token."""
    db, subject = unit.session, unit.subject
    directory = RegistryDirectory(db)
    by_organisation: dict[str, set[Role]] = {}
    for grant in subject.grants:
        by_organisation.setdefault(grant.organisation_oid, set()).add(grant.role)
    privileges = []
    for oid in sorted(by_organisation):
        roles = by_organisation[oid]
        granted = {name for role in roles for name in PRIVILEGES[role]}
        privileges.append(
            OrganisationPrivileges(
                oid=oid,
                privileges=[p for p in _PRIVILEGE_ORDER if p in granted],
                roles=[r.value for r in _ROLE_ORDER if r in roles],
                child_organisations=sorted(directory.organisations_below(oid) - {oid}),
            )
        )
    return StaffSession(
        oid_henkilo=subject.oid,
        nimi=subject.name,
        organisation_privileges=privileges,
        is_superuser=unit.access.is_national_admin,
        csrf_token=csrf_token_of(db, subject.session_id),
    )


def _person(db: Session, subject: StudentSubject) -> dict[str, Any]:
    """The student's names from the person registry (the session's name if the row is gone)."""
    person = registry_repository.get_person(db, subject.oppija_oid)
    if person is None:
        return {
            "oid": subject.oppija_oid,
            "first_name": None,
            "surname": None,
            "common_name": subject.name,
        }
    return {
        "oid": person.oid,
        "first_name": person.first_names,
        "surname": person.last_name,
        "common_name": person.calling_name,
    }


def student_session(unit: AuditedUnit[StudentSubject]) -> StudentSession:
    """The signed-in student and the session's CSRF token."""
    # A guardian never holds a student session (see ehoks.auth.service), so this is always false.
    return StudentSession(
        **_person(unit.session, unit.subject),
        using_valtuudet=False,
        csrf_token=csrf_token_of(unit.session, unit.subject.session_id),
    )


def student_user_info(unit: AuditedUnit[StudentSubject]) -> UserInfo:
    return UserInfo(**_person(unit.session, unit.subject), contact_values_group=[])
