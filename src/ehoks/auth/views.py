"""The session documents of the national-compatible session routes (ehoks-api.md 3.3, 3.9).

Kebab-case keys and the camelCase ones (`oidHenkilo`, `isSuperuser`, `usingValtuudet`) are the
national service's own; the UI code written for it reads exactly these.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.access.subjects import Role, StaffSubject, StudentSubject
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


def staff_session(unit: AuditedUnit[StaffSubject]) -> dict[str, Any]:
    """`{oidHenkilo, nimi, organisation-privileges, isSuperuser, csrf-token}` of a staff member."""
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
            {
                "oid": oid,
                "privileges": [p for p in _PRIVILEGE_ORDER if p in granted],
                "roles": [r.value for r in _ROLE_ORDER if r in roles],
                "child-organisations": sorted(directory.organisations_below(oid) - {oid}),
            }
        )
    return {
        "oidHenkilo": subject.oid,
        "nimi": subject.name,
        "organisation-privileges": privileges,
        "isSuperuser": unit.access.is_national_admin,
        "csrf-token": csrf_token_of(db, subject.session_id),
    }


def student_person(db: Session, subject: StudentSubject) -> dict[str, Any]:
    """The student's names from the person registry (the session's name if the row is gone)."""
    person = registry_repository.get_person(db, subject.oppija_oid)
    if person is None:
        return {
            "oid": subject.oppija_oid,
            "first-name": None,
            "surname": None,
            "common-name": subject.name,
        }
    return {
        "oid": person.oid,
        "first-name": person.first_names,
        "surname": person.last_name,
        "common-name": person.calling_name,
    }


def student_session(unit: AuditedUnit[StudentSubject]) -> dict[str, Any]:
    # A guardian never holds a student session (see ehoks.auth.service), so this is always false.
    db, subject = unit.session, unit.subject
    csrf = csrf_token_of(db, subject.session_id)
    return {**student_person(db, subject), "usingValtuudet": False, "csrf-token": csrf}


def student_user_info(unit: AuditedUnit[StudentSubject]) -> dict[str, Any]:
    return {**student_person(unit.session, unit.subject), "contact-values-group": []}


def envelope(data: Any) -> dict[str, Any]:
    return {"meta": {}, "data": data}
