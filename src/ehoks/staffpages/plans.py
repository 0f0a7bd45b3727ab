"""One plan for staff: the student's own view of it (`ehoks.planview`) with the identifiers staff
need, and deleting and restoring it. Access is decided as in the staff JSON API: reading needs
the read role on the plan's owner (or procured training it includes), deleting and restoring
the delete role on the owner; a plan the member may not read is "not found"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from ehoks.access.decision import Action
from ehoks.access.rules import Access
from ehoks.access.subjects import Role
from ehoks.audit.scope import AuditScope
from ehoks.hoks.models import Hoks
from ehoks.hoks.stored import ownership
from ehoks.kit.errors import ApiError
from ehoks.kit.i18n import Lang
from ehoks.people import staff_service
from ehoks.planview.names import facts_of, names_for
from ehoks.planview.plan import PlanView, plan_view
from ehoks.registry import repository as registry_repository
from ehoks.staffpages import repository
from ehoks.staffpages.listing import DeletedPlan


@dataclass(frozen=True, slots=True)
class Identifiers:
    hoks_id: int
    eid: str
    oppija_oid: str
    opiskeluoikeus_oid: str
    oppilaitos_oid: str | None
    koulutustoimija_oid: str | None
    revision: int
    manual: bool
    created: datetime
    updated: datetime


@dataclass(frozen=True, slots=True)
class PlanPage:
    student: str
    view: PlanView
    ids: Identifiers
    names: Mapping[str, Any]
    can_write: bool
    can_delete: bool


def check_student(session: Session, oppija_oid: str, hoks_id: int) -> None:
    """404 unless the live plan is this student's (under any of their OIDs): a plan asked for
    under another student's address is not found, as in the staff JSON API."""
    row = repository.plan_row(session, hoks_id)
    if row is None or row.oppija_oid not in registry_repository.same_person_oids(
        session, oppija_oid
    ):
        raise ApiError(404, "hoks_not_found")


def _student_name(session: Session, oppija_oid: str) -> str:
    person = registry_repository.get_person(session, oppija_oid)
    if person is None:
        return oppija_oid
    return " ".join(p for p in (person.first_names, person.last_name) if p) or oppija_oid


def _identifiers(row: Hoks) -> Identifiers:
    return Identifiers(
        hoks_id=row.id,
        eid=row.eid,
        oppija_oid=row.oppija_oid,
        opiskeluoikeus_oid=row.opiskeluoikeus_oid,
        oppilaitos_oid=row.oppilaitos_oid,
        koulutustoimija_oid=row.koulutustoimija_oid,
        revision=row.revision,
        manual=row.manuaalisyotto,
        created=row.created_at,
        updated=row.updated_at,
    )


def plan_page(
    session: Session,
    access: Access,
    oppija_oid: str,
    hoks_id: int,
    audit: AuditScope,
    *,
    lang: Lang,
    today: date,
) -> PlanPage:
    """The plan in sections, its identifiers, and which controls the member's roles allow."""
    stored = staff_service.read_hoks(session, access, oppija_oid, hoks_id, audit)
    row = repository.plan_row(session, stored.id)
    if row is None:  # deleted in between: as if never found
        raise ApiError(404, "hoks_not_found")
    document = orjson.loads(stored.document)
    study_right = registry_repository.get_study_right(session, row.opiskeluoikeus_oid)
    facts = facts_of(study_right)
    organisations = {oid for oid in (row.oppilaitos_oid, row.koulutustoimija_oid) if oid}
    names = names_for(session, [document], organisations)
    owner = ownership(row)
    return PlanPage(
        student=_student_name(session, row.oppija_oid),
        view=plan_view(document, names, lang, today, facts),
        ids=_identifiers(row),
        names=names,
        can_write=access.hoks(owner, Action.WRITE).allowed,
        can_delete=access.hoks(owner, Action.DELETE).allowed,
    )


@dataclass(frozen=True, slots=True)
class DeleteSummary:
    """What the confirmation names, so that nobody deletes the wrong plan."""

    student: str
    ids: Identifiers
    qualification: dict[str, Any] | None
    institution: Mapping[str, Any] | None


def delete_summary(
    session: Session, access: Access, oppija_oid: str, hoks_id: int, audit: AuditScope
) -> DeleteSummary:
    """The plan to delete, if the member may delete it (403 if they may only read it)."""
    staff_service.read_hoks(session, access, oppija_oid, hoks_id, audit)
    row = repository.plan_row(session, hoks_id)
    if row is None:
        raise ApiError(404, "hoks_not_found")
    decision = access.hoks(ownership(row), Action.DELETE)
    audit.decided(decision)
    decision.enforce()
    study_right = registry_repository.get_study_right(session, row.opiskeluoikeus_oid)
    institution = None
    if row.oppilaitos_oid:
        institution = names_for(session, [], {row.oppilaitos_oid}).get(row.oppilaitos_oid)
    return DeleteSummary(
        student=_student_name(session, row.oppija_oid),
        ids=_identifiers(row),
        qualification=study_right.tutkinto_nimi if study_right else None,
        institution=institution,
    )


def deleted_plans(
    session: Session, access: Access, organisation_oid: str, audit: AuditScope
) -> list[DeletedPlan]:
    """The organisation's deleted plans (delete role on it), latest first."""
    decision = access.organisation(organisation_oid, Role.DELETE)
    audit.decided(decision)
    decision.enforce()
    rows = repository.deleted_plans(
        session, access.hoks_scope(procured=False), access.within(organisation_oid)
    )
    audit.about(organisation=organisation_oid, listed=sorted({row.oppija_oid for row in rows}))
    return rows
