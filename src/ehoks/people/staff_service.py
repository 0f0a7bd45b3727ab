"""What a staff member (virkailija) may see and change, and doing it.

The rule (docs/people.md, laki ammatillisesta koulutuksesta 109 a §): a provider gets the HOKS of
its own students. A role granted on an organisation covers it and everything below it; procured
training (hankintakoulutus) gives the provider carrying it out read, never write.

Not found and not allowed: what the caller may not read is "not found" (404), so nobody learns
that another provider's HOKS or student exists; what the caller may read but not change in the
asked way is "forbidden" (403), since its existence is known to them anyway. An organisation is
public knowledge, so lacking a role on one is a 403.

Every function names on the audit scope what it touched and through which grant (organisation
and role) access was given: that is what the student later sees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ehoks.access import organisations
from ehoks.access.policy import Ownership, staff_reach, staff_roles, staff_roles_on_organisation
from ehoks.access.subjects import Role, StaffSubject
from ehoks.audit.scope import AuditScope
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks import service as hoks_service
from ehoks.hoks.models import Hoks
from ehoks.hoksmodel import Variant
from ehoks.kit.errors import ApiError, Violation, pointer
from ehoks.people import repository
from ehoks.registry import repository as registry_repository
from ehoks.registry.models import StudyRight


def granting_organisation(subject: StaffSubject, owner: Ownership, role: Role) -> str | None:
    """The organisation of the grant that gives `role` over what `owner` describes.

    A grant on the owning organisation itself is preferred to one inherited from above or given
    by procured training, so the student sees the nearest organisation.
    """
    candidates = [
        grant.organisation_oid
        for grant in subject.grants
        if role in staff_roles(replace(subject, grants=(grant,)), owner)
    ]
    own = {owner.oppilaitos_oid, owner.koulutustoimija_oid}
    candidates.sort(key=lambda oid: (oid not in own, oid))
    return candidates[0] if candidates else None


def _attribute(audit: AuditScope, organisation_oid: str | None, role: Role) -> None:
    audit.actor = replace(audit.actor, organisation_oid=organisation_oid, role=role.value)


def _actor(subject: StaffSubject, role: Role) -> hoks_service.Actor:
    return hoks_service.Actor(
        name=subject.audit_name, reach=staff_reach(subject, role), variant=Variant.STAFF
    )


# --- the student search ----------------------------------------------------------------------


def search_students(
    session: Session,
    subject: StaffSubject,
    organisation_oid: str,
    search: repository.StudentSearch,
    audit: AuditScope,
) -> tuple[list[repository.StudentRow], int]:
    """Students with a HOKS in the organisation or anywhere below it (its whole subtree)."""
    if registry_repository.get_organisation(session, organisation_oid) is None:
        raise ApiError(400, "organisation_unknown", params={"oid": organisation_oid})
    above = organisations.ancestors(session, organisation_oid)
    roles = staff_roles_on_organisation(subject, organisation_oid, above)
    _attribute(audit, organisation_oid, Role.READ)
    if Role.READ not in roles:
        raise ApiError(
            403, "organisation_forbidden", params={"oid": organisation_oid, "role": "read"}
        )
    # A root organisation's subtree is everything: no filter at all beats a list of thousands.
    scope = None if not above else organisations.subtree(session, organisation_oid)
    rows, total = repository.search_students(session, replace(search, organisation_oids=scope))
    audit.about(listed=[row.oppija_oid for row in rows], total=total)
    return rows, total


# --- a student -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudentAccess:
    """What a staff member reaches of one student."""

    oppija_oids: frozenset[str]
    readable: list[Hoks]
    organisation_oid: str | None


def reach_student(
    session: Session, subject: StaffSubject, oppija_oid: str, audit: AuditScope
) -> StudentAccess:
    """The student's HOKS the caller may read; 404 unless they reach a HOKS or a study right.

    Only the caller's own students' HOKS are listed: unlike the national service, an active
    study right elsewhere does not open the other providers' HOKS (109 a §).
    """
    audit.about(oppija_oid=oppija_oid)
    oids = repository.same_person_oids(session, oppija_oid)
    readable: list[Hoks] = []
    via: str | None = None
    for row in repository.hoks_of_persons(session, oids):
        owner = hoks_service.ownership_of_hoks(session, row, procurement=True)
        organisation = granting_organisation(subject, owner, Role.READ)
        if organisation is not None:
            readable.append(row)
            via = via or organisation
    if via is None:
        for study_right in repository.study_rights_of_persons(session, oids):
            owner = hoks_service.ownership_of_study_right(session, study_right, procurement=True)
            via = granting_organisation(subject, owner, Role.READ)
            if via is not None:
                break
    _attribute(audit, via, Role.READ)
    if via is None:
        raise ApiError(404, "staff_student_not_found", params={"oid": oppija_oid})
    return StudentAccess(oids, readable, via)


def student_summary(
    session: Session, subject: StaffSubject, oppija_oid: str, audit: AuditScope
) -> dict[str, str]:
    reach_student(session, subject, oppija_oid, audit)
    person = registry_repository.get_person(session, oppija_oid)
    if person is None:
        raise ApiError(404, "staff_student_not_found", params={"oid": oppija_oid})
    return {"oid": oppija_oid, "nimi": repository.display_name(person)}


def study_rights(
    session: Session, subject: StaffSubject, oppija_oid: str, audit: AuditScope
) -> list[dict[str, Any]]:
    """The student's study rights (raw Koski documents), once the caller reaches the student."""
    access = reach_student(session, subject, oppija_oid, audit)
    return [
        study_right.document
        for study_right in repository.study_rights_of_persons(session, access.oppija_oids)
    ]


def readable_hoks(
    session: Session, subject: StaffSubject, oppija_oid: str, audit: AuditScope
) -> list[hoks_service.StoredHoks]:
    access = reach_student(session, subject, oppija_oid, audit)
    return [_stored(row) for row in access.readable]


# --- one HOKS --------------------------------------------------------------------------------


def _hoks_for(
    session: Session,
    subject: StaffSubject,
    oppija_oid: str,
    hoks_id: int,
    *,
    role: Role,
    audit: AuditScope,
    include_deleted: bool = False,
) -> Hoks:
    """The HOKS, if the caller reaches it with `role` under this student.

    404 if it is missing, under another student or unreadable to the caller; 403 if readable
    but `role` is missing.
    """
    audit.about(hoks_id=hoks_id, oppija_oid=oppija_oid)
    row = hoks_repository.get(session, hoks_id, include_deleted=include_deleted)
    if row is None or row.oppija_oid not in repository.same_person_oids(session, oppija_oid):
        raise ApiError(404, "hoks_not_found")
    owner = hoks_service.ownership_of_hoks(session, row, procurement=True)
    roles = staff_roles(subject, owner)
    reader = granting_organisation(subject, owner, Role.READ)
    _attribute(audit, granting_organisation(subject, owner, role) or reader, role)
    audit.about(oppija_oid=row.oppija_oid)
    if Role.READ not in roles:
        raise ApiError(404, "hoks_not_found")
    if role not in roles:
        raise ApiError(403, "hoks_role_missing", params={"role": role.value})
    return row


def read_hoks(
    session: Session, subject: StaffSubject, oppija_oid: str, hoks_id: int, audit: AuditScope
) -> hoks_service.StoredHoks:
    return _stored(_hoks_for(session, subject, oppija_oid, hoks_id, role=Role.READ, audit=audit))


def create_hoks(
    session: Session,
    subject: StaffSubject,
    oppija_oid: str,
    body: object,
    audit: AuditScope,
    *,
    today: date,
    now: datetime,
) -> hoks_service.StoredHoks:
    """Store a HOKS typed in by staff: `manuaalisyotto` true, missing period ids generated."""
    audit.about(oppija_oid=oppija_oid)
    if isinstance(body, dict):
        named = body.get("oppija-oid")
        if isinstance(named, str) and named != oppija_oid:
            violation = Violation(
                "oppija_oid_mismatch", pointer("oppija-oid"), {"body": named, "path": oppija_oid}
            )
            raise ApiError(400, "validation_failed", params={"count": 1}, violations=[violation])
        study_right_oid = body.get("opiskeluoikeus-oid")
        study_right = (
            session.get(StudyRight, study_right_oid) if isinstance(study_right_oid, str) else None
        )
        if study_right is not None:
            owner = hoks_service.ownership_of_study_right(session, study_right)
            _attribute(audit, granting_organisation(subject, owner, Role.WRITE), Role.WRITE)
    stored = hoks_service.create_hoks(
        session, body, _actor(subject, Role.WRITE), today=today, now=now
    )
    audit.about(hoks_id=stored.id)
    return stored


# hoks_service.replace_hoks (PUT) or hoks_service.patch_hoks (PATCH).
HoksWrite = Callable[..., hoks_service.StoredHoks]


def change_hoks(
    session: Session,
    subject: StaffSubject,
    oppija_oid: str,
    hoks_id: int,
    body: object,
    *,
    write: HoksWrite,
    audit: AuditScope,
    if_match: list[str] | None,
    today: date,
    now: datetime,
) -> hoks_service.StoredHoks:
    """A PUT or PATCH by a staff member with the write role on the HOKS's organisation."""
    _hoks_for(session, subject, oppija_oid, hoks_id, role=Role.WRITE, audit=audit)
    return write(
        session,
        hoks_id,
        body,
        _actor(subject, Role.WRITE),
        if_match=if_match,
        today=today,
        now=now,
    )


def soft_delete_hoks(
    session: Session,
    subject: StaffSubject,
    oppija_oid: str,
    hoks_id: int,
    audit: AuditScope,
    *,
    now: datetime,
) -> None:
    """Hide the HOKS everywhere; it stays stored and can be restored."""
    _hoks_for(session, subject, oppija_oid, hoks_id, role=Role.DELETE, audit=audit)
    hoks_service.soft_delete_hoks(session, hoks_id, _actor(subject, Role.DELETE), now=now)


def restore_hoks(
    session: Session,
    subject: StaffSubject,
    oppija_oid: str,
    hoks_id: int,
    audit: AuditScope,
    *,
    now: datetime,
) -> None:
    """Bring a soft-deleted HOKS back (delete role on the owner; a national admin has it)."""
    _hoks_for(
        session, subject, oppija_oid, hoks_id, role=Role.DELETE, audit=audit, include_deleted=True
    )
    hoks_service.restore_hoks(session, hoks_id, _actor(subject, Role.DELETE), now=now)


def _stored(row: Hoks) -> hoks_service.StoredHoks:
    return hoks_service.StoredHoks(
        id=row.id,
        eid=row.eid,
        revision=row.revision,
        manuaalisyotto=row.manuaalisyotto,
        document=row.document.encode(),
    )


def top_levels(stored: Sequence[hoks_service.StoredHoks]) -> list[dict[str, Any]]:
    return [item.top_level() for item in stored]
