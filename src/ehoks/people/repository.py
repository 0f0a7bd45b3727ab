"""Queries behind the staff and student views: the student search, a person's HOKS and study
rights, and staff grants. Nothing here decides access; the services do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope, Ownership
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from ehoks.people.models import StaffGrant, StaffMember
from ehoks.registry.models import Person, StudyRight
from ehoks.registry.scoping import (
    in_scope,
)

SORT_COLUMNS = ("nimi", "tutkinto", "osaamisala")


# --- persons ---------------------------------------------------------------------------------


def display_name(person: Person) -> str:
    """ "Etunimet Sukunimi", as the national oppijaindex spells `nimi`."""
    return " ".join(part for part in (person.first_names, person.last_name) if part)


def hoks_of_persons(
    session: Session, oppija_oids: Iterable[str], scope: HoksScope
) -> Sequence[Hoks]:
    """The non-deleted HOKS of these OIDs that `scope` holds, oldest first."""
    return session.scalars(
        select(Hoks)
        .where(
            Hoks.oppija_oid.in_(sorted(oppija_oids)),
            Hoks.deleted_at.is_(None),
            hoks_repository.in_scope_of(scope),
        )
        .order_by(Hoks.id)
    ).all()


def study_right_owners_of_persons(
    session: Session, oppija_oids: Iterable[str], scope: HoksScope
) -> list[Ownership]:
    """Whose the study rights of these OIDs that `scope` holds are (no documents loaded)."""
    rows = session.execute(
        select(
            StudyRight.oid,
            StudyRight.oppilaitos_oid,
            StudyRight.koulutustoimija_oid,
            StudyRight.oppija_oid,
        )
        .where(StudyRight.oppija_oid.in_(sorted(oppija_oids)), _study_right_in(scope))
        .order_by(StudyRight.alkamispaiva, StudyRight.oid)
    ).all()
    return [Ownership.of(oid, school, provider, oppija) for oid, school, provider, oppija in rows]


def study_rights_of_persons(
    session: Session, oppija_oids: Iterable[str], scope: HoksScope
) -> Sequence[StudyRight]:
    """The study rights of these OIDs that `scope` holds, by start date."""
    return session.scalars(
        select(StudyRight)
        .where(StudyRight.oppija_oid.in_(sorted(oppija_oids)), _study_right_in(scope))
        .order_by(StudyRight.alkamispaiva, StudyRight.oid)
    ).all()


def _study_right_in(scope: HoksScope) -> ColumnElement[bool]:
    return in_scope(
        scope,
        study_right_oid=StudyRight.oid,
        oppilaitos=StudyRight.oppilaitos_oid,
        koulutustoimija=StudyRight.koulutustoimija_oid,
        oppija_oid=StudyRight.oppija_oid,
    )


# --- staff grants ----------------------------------------------------------------------------


def sign_in_staff_member(
    session: Session, oid: str, *, name: str, email: str | None, now: datetime
) -> None:
    """Create or update the staff member who signs in (an e-mail the claims lack stays)."""
    member = session.get(StaffMember, oid)
    if member is None:
        member = StaffMember(oid=oid, name=name, email=None)
        session.add(member)
    member.name = name
    if email:
        member.email = email
    member.last_signed_in_at = now
    session.flush()


def replace_grants(
    session: Session,
    staff_oid: str,
    grants: set[tuple[str, str]],
    *,
    source: str,
    created_by: str,
    now: datetime,
) -> None:
    """Replace every grant of one source of a staff member by `grants` ((organisation, role))."""
    session.execute(
        delete(StaffGrant)
        .where(StaffGrant.staff_oid == staff_oid, StaffGrant.source == source)
        .execution_options(synchronize_session=False)
    )
    for organisation_oid, role in sorted(grants):
        session.add(
            StaffGrant(
                staff_oid=staff_oid,
                organisation_oid=organisation_oid,
                role=role,
                source=source,
                created_at=now,
                created_by=created_by,
            )
        )
    session.flush()


def grants_of(session: Session, staff_oid: str) -> list[tuple[str, str]]:
    """(organisation OID, role) of every grant of one staff member."""
    rows = session.execute(
        select(StaffGrant.organisation_oid, StaffGrant.role).where(
            StaffGrant.staff_oid == staff_oid
        )
    ).all()
    return [(organisation, role) for organisation, role in rows]


def grants_on(session: Session, organisation_oids: Iterable[str]) -> Sequence[StaffGrant]:
    wanted = sorted(set(organisation_oids))
    return session.scalars(
        select(StaffGrant)
        .where(StaffGrant.organisation_oid.in_(wanted))
        .order_by(StaffGrant.staff_oid, StaffGrant.organisation_oid, StaffGrant.role)
    ).all()


def all_grants(session: Session) -> Sequence[StaffGrant]:
    return session.scalars(
        select(StaffGrant).order_by(
            StaffGrant.staff_oid, StaffGrant.organisation_oid, StaffGrant.role
        )
    ).all()


def staff_members(session: Session, oids: Iterable[str]) -> dict[str, StaffMember]:
    wanted = sorted(set(oids))
    if not wanted:
        return {}
    rows = session.scalars(select(StaffMember).where(StaffMember.oid.in_(wanted))).all()
    return {row.oid: row for row in rows}


def ensure_staff_member(session: Session, oid: str, name: str | None) -> None:
    """The staff member, created if new; a given name replaces the stored one."""
    member = session.get(StaffMember, oid)
    if member is None:
        session.add(StaffMember(oid=oid, name=name or ""))
    elif name:
        member.name = name
    session.flush()


def add_grant(session: Session, grant: StaffGrant) -> None:
    session.add(grant)
    session.flush()


def find_grant(
    session: Session, staff_oid: str, organisation_oid: str, role: str, source: str
) -> StaffGrant | None:
    return session.scalars(
        select(StaffGrant).where(
            StaffGrant.staff_oid == staff_oid,
            StaffGrant.organisation_oid == organisation_oid,
            StaffGrant.role == role,
            StaffGrant.source == source,
        )
    ).first()


def delete_grant(session: Session, grant_id: int) -> None:
    session.execute(delete(StaffGrant).where(StaffGrant.id == grant_id))
