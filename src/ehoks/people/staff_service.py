"""What a staff member (virkailija) may see and change, and doing it.

The rule (docs/people.md, laki ammatillisesta koulutuksesta 109 a §): a provider gets the HOKS of
its own students. `ehoks.access` decides; this module asks it about the organisation, the
student or the HOKS at hand, and records each decision on the audit scope: which organisation's
grant gave access, and in which role, is what the student later sees.

Not found and not allowed: what the caller may not read is "not found" (404), so nobody learns
that another provider's HOKS or student exists; what the caller may read but not change in the
asked way is "forbidden" (403). An organisation is public knowledge, so lacking a role on one is
a 403.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ehoks.access.decision import Action, Decision, Ownership
from ehoks.access.rules import Access
from ehoks.access.subjects import Role
from ehoks.audit.scope import AuditScope
from ehoks.hoks import service as hoks_service
from ehoks.hoks import writes as hoks_writes
from ehoks.hoks.models import Hoks
from ehoks.hoks.stored import StoredHoks, ownership
from ehoks.hoksmodel import Variant
from ehoks.kit.errors import ApiError, Violation, pointer
from ehoks.people import repository
from ehoks.people.search import SearchResult, StudentSearch
from ehoks.people.search import repository as search_repository
from ehoks.registry import repository as registry_repository
from ehoks.registry.directory import organisation_known

# --- the student search ----------------------------------------------------------------------


def search_students(
    session: Session,
    access: Access,
    organisation_oid: str,
    search: StudentSearch,
    audit: AuditScope,
) -> SearchResult:
    """Students with a HOKS in the organisation or anywhere below it (its whole subtree).

    The rows are those of the organisation that the caller's list scope holds: exactly the HOKS
    a single read would give them (procured training is opened from the student, not listed).
    """
    if not organisation_known(session, organisation_oid):
        raise ApiError(400, "organisation_unknown", params={"oid": organisation_oid})
    _enforce(audit, access.organisation(organisation_oid, Role.READ))
    scoped = replace(
        search, scope=access.hoks_scope(procured=False), within=access.within(organisation_oid)
    )
    found = search_repository.search_students(session, scoped)
    audit.about(listed=[row.oppija_oid for row in found.rows], total=found.total)
    return found


# --- a student -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudentAccess:
    """What a staff member reaches of one student: their HOKS and study rights in the caller's
    list scope (procured training included)."""

    oppija_oids: frozenset[str]
    hoks: Sequence[Hoks]
    study_rights: Sequence[Ownership]


def reach_student(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope
) -> StudentAccess:
    """The student as far as the caller may see them; 404 unless that is a HOKS or a study right.

    Only the caller's own students' HOKS and study rights count: unlike the national service, an
    active study right elsewhere does not open the other providers' data (109 a §). A student
    who studies only elsewhere and one who does not exist take the same queries and get the same
    answer.
    """
    audit.about(oppija_oid=oppija_oid)
    oids = registry_repository.same_person_oids(session, oppija_oid)
    scope = access.hoks_scope()
    found = StudentAccess(
        oids,
        repository.hoks_of_persons(session, oids, scope),
        repository.study_right_owners_of_persons(session, oids, scope),
    )
    owners = [ownership(row) for row in found.hoks] + list(found.study_rights)
    if not owners:
        audit.decided(Decision.refuse(404, "staff_student_not_found", role=Role.READ.value))
        raise ApiError(404, "staff_student_not_found", params={"oid": oppija_oid})
    audit.decided(access.hoks(owners[0], Action.READ))
    return found


def student_summary(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope
) -> dict[str, str]:
    reach_student(session, access, oppija_oid, audit)
    person = registry_repository.get_person(session, oppija_oid)
    if person is None:
        raise ApiError(404, "staff_student_not_found", params={"oid": oppija_oid})
    return {"oid": oppija_oid, "nimi": repository.display_name(person)}


def study_rights(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope
) -> list[dict[str, Any]]:
    """The student's study rights that the caller may read (raw Koski documents): their own
    organisations' and those with procured training the caller carries out, no others."""
    found = reach_student(session, access, oppija_oid, audit)
    rows = repository.study_rights_of_persons(session, found.oppija_oids, access.hoks_scope())
    return [study_right.document for study_right in rows]


def readable_hoks(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope
) -> list[StoredHoks]:
    return [StoredHoks.of(row) for row in reach_student(session, access, oppija_oid, audit).hoks]


# --- one HOKS --------------------------------------------------------------------------------


def _actor(
    session: Session, access: Access, oppija_oid: str | None, audit: AuditScope
) -> hoks_service.Actor:
    """The staff member acting on HOKS under the student named in the address."""
    student = registry_repository.same_person_oids(session, oppija_oid) if oppija_oid else None
    return hoks_service.Actor(
        access=access, audit=audit, variant=Variant.STAFF, student_oids=student
    )


def read_hoks(
    session: Session, access: Access, oppija_oid: str, hoks_id: int, audit: AuditScope
) -> StoredHoks:
    """The HOKS, if it is this student's and the caller may read it (ownership or procurement)."""
    audit.about(hoks_id=hoks_id, oppija_oid=oppija_oid)
    return hoks_service.get_hoks(session, hoks_id, _actor(session, access, oppija_oid, audit))


def create_hoks(
    session: Session,
    access: Access,
    oppija_oid: str,
    body: object,
    audit: AuditScope,
    *,
    today: date,
    now: datetime,
) -> StoredHoks:
    """Store a HOKS typed in by staff: `manuaalisyotto` true, missing period ids generated."""
    audit.about(oppija_oid=oppija_oid)
    named = body.get("oppija-oid") if isinstance(body, dict) else None
    if isinstance(named, str) and named != oppija_oid:
        violation = Violation(
            "oppija_oid_mismatch", pointer("oppija-oid"), {"body": named, "path": oppija_oid}
        )
        raise ApiError(400, "validation_failed", params={"count": 1}, violations=[violation])
    actor = _actor(session, access, None, audit)
    stored = hoks_writes.create_hoks(session, body, actor, today=today, now=now)
    audit.about(hoks_id=stored.id)
    return stored


def change_hoks(
    session: Session,
    access: Access,
    oppija_oid: str,
    change: hoks_writes.Change,
    *,
    write: hoks_writes.Write,
    audit: AuditScope,
) -> StoredHoks:
    """A PUT or PATCH by a staff member with the write role on the HOKS's organisation."""
    audit.about(hoks_id=change.hoks_id, oppija_oid=oppija_oid)
    return write(session, change, _actor(session, access, oppija_oid, audit))


def set_deleted(
    session: Session,
    access: Access,
    oppija_oid: str,
    hoks_id: int,
    audit: AuditScope,
    *,
    deleted: bool,
    now: datetime,
) -> None:
    """Hide the HOKS everywhere (it stays stored), or bring it back: the delete role on its
    owner either way (a national administrator has it everywhere)."""
    audit.about(hoks_id=hoks_id, oppija_oid=oppija_oid)
    actor = _actor(session, access, oppija_oid, audit)
    hoks_writes.set_deleted(session, hoks_id, actor, deleted=deleted, now=now)


def top_levels(stored: Sequence[StoredHoks]) -> list[dict[str, Any]]:
    return [item.top_level() for item in stored]


def _enforce(audit: AuditScope, decision: Decision) -> None:
    audit.decided(decision)
    decision.enforce()
