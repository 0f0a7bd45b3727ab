"""The staff pages' work: who may see what is decided by `ehoks.access` exactly as for the staff
JSON API (`ehoks.people.staff_service`), and every read is audited with what it showed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from ehoks.access.rules import Access
from ehoks.access.subjects import Role
from ehoks.audit.scope import AuditScope
from ehoks.people import staff_service
from ehoks.registry import repository as registry_repository
from ehoks.registry.models import StudyRight
from ehoks.staffpages import repository
from ehoks.staffpages.listing import ENDED_STATES, StudentListRow, StudentPage, StudentQuery


def _enforce_organisation(access: Access, audit: AuditScope, oid: str, role: Role) -> None:
    decision = access.organisation(oid, role)
    audit.decided(decision)
    decision.enforce()


def students(
    session: Session, access: Access, organisation_oid: str, query: StudentQuery, audit: AuditScope
) -> StudentPage:
    """A page of the students with a plan in the organisation or below it (read role there).

    The rows are those of the caller's list scope within the organisation: exactly the plans a
    single read would show them (procured training is opened from the student, not listed).
    """
    _enforce_organisation(access, audit, organisation_oid, Role.READ)
    scoped = replace(
        query, scope=access.hoks_scope(procured=False), within=access.within(organisation_oid)
    )
    page = repository.student_page(session, scoped)
    audit.about(organisation=organisation_oid, listed=[row.oppija_oid for row in page.rows])
    return page


@dataclass(frozen=True, slots=True)
class PlanCard:
    hoks_id: int
    opiskeluoikeus_oid: str
    qualification: dict[str, object] | None
    competence_area: dict[str, object] | None
    started: date | None
    ended: date | None
    approved: date | None
    updated: date
    manual: bool


@dataclass(frozen=True, slots=True)
class Neighbours:
    previous: StudentListRow | None
    next: StudentListRow | None
    position: int  # 0-based place of this student in the list


@dataclass(frozen=True, slots=True)
class StudentView:
    oppija_oid: str
    name: str
    active: list[PlanCard]
    ended: list[PlanCard]
    neighbours: Neighbours | None


def student(
    session: Session,
    access: Access,
    oppija_oid: str,
    audit: AuditScope,
    *,
    today: date,
    listed: tuple[str, StudentQuery, int] | None,
) -> StudentView:
    """The student's plans the caller may read, as active and ended cards; 404 as in the API.

    `listed` (organisation, list query, position) gives the previous and next student of the
    list the member came from, read with the list's own query (three rows around the position).
    """
    found = staff_service.reach_student(session, access, oppija_oid, audit)
    person = registry_repository.get_person(session, oppija_oid)
    name = " ".join(p for p in (person.first_names, person.last_name) if p) if person else ""
    active: list[PlanCard] = []
    ended: list[PlanCard] = []
    for hoks, study_right in repository.plans_of(session, [h.id for h in found.hoks]):
        card = PlanCard(
            hoks_id=hoks.id,
            opiskeluoikeus_oid=hoks.opiskeluoikeus_oid,
            qualification=study_right.tutkinto_nimi if study_right else None,
            competence_area=study_right.osaamisala_nimi if study_right else None,
            started=study_right.alkamispaiva if study_right else None,
            ended=study_right.paattymispaiva if study_right else None,
            approved=hoks.ensikertainen_hyvaksyminen,
            updated=hoks.updated_at.date(),
            manual=hoks.manuaalisyotto,
        )
        (ended if _has_ended(study_right, today) else active).append(card)
    neighbours = None
    if listed is not None:
        neighbours = _neighbours(session, access, oppija_oid, listed)
    return StudentView(oppija_oid, name or oppija_oid, active, ended, neighbours)


def _has_ended(study_right: StudyRight | None, today: date) -> bool:
    """A plan without its study right counts as ended: nothing can be done on it any more."""
    if study_right is None:
        return True
    reached = study_right.paattymispaiva is not None and study_right.paattymispaiva <= today
    return reached or study_right.latest_tila in ENDED_STATES


def _neighbours(
    session: Session, access: Access, oppija_oid: str, listed: tuple[str, StudentQuery, int]
) -> Neighbours | None:
    """The students before and after this one in the list, if it still holds them there."""
    organisation_oid, query, position = listed
    if not access.organisation(organisation_oid, Role.READ).allowed:
        return None
    start = max(0, position - 1)
    scoped = replace(
        query,
        scope=access.hoks_scope(procured=False),
        within=access.within(organisation_oid),
        page=1,
    )
    window = repository.student_window(session, scoped, offset=start, limit=3)
    here = position - start
    if here >= len(window) or window[here].oppija_oid != oppija_oid:
        return None
    previous = window[here - 1] if here > 0 else None
    following = window[here + 1] if here + 1 < len(window) else None
    return Neighbours(previous, following, position)
