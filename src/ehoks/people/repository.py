"""Queries behind the staff and student views: the student search, a person's HOKS and study
rights, and staff grants. Nothing here decides access; the services do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, select
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope, Ownership
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from ehoks.people.models import StaffGrant, StaffMember
from ehoks.people.search import StudentRow, StudentSearch
from ehoks.registry.models import Person, StudyRight
from ehoks.registry.scoping import in_scope, owned_within

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


# --- the student search ----------------------------------------------------------------------


def search_students(session: Session, search: StudentSearch) -> tuple[list[StudentRow], int]:
    """One page of (student, study right, HOKS) rows of non-deleted HOKS, and the total count.

    Index-backed: the organisation filter uses the HOKS table's oppilaitos and koulutustoimija
    indexes, study right and person are joined by primary key; the remaining filters and the
    sort run over one organisation's rows only.
    """
    columns = (
        Hoks.oppija_oid,
        Person.first_names,
        Person.last_name,
        Hoks.opiskeluoikeus_oid,
        Hoks.id,
        StudyRight.tutkinto_nimi,
        StudyRight.osaamisala_nimi,
    )
    statement = _filtered(select(*columns), search)
    count_statement = _filtered(select(func.count(Hoks.id)), search)
    total = int(session.scalar(count_statement) or 0)
    page = session.execute(
        statement.order_by(*_order(search)).limit(search.limit).offset(search.offset)
    ).all()
    return [StudentRow(*row) for row in page], total


def _filtered(statement: Select[Any], search: StudentSearch) -> Select[Any]:
    statement = (
        statement.select_from(Hoks)
        .outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
        .outerjoin(Person, Person.oid == Hoks.oppija_oid)
        .where(Hoks.deleted_at.is_(None), hoks_repository.in_scope_of(search.scope))
    )
    if search.within is not None:
        statement = statement.where(
            owned_within(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, search.within)
        )
    # Names are searched and sorted on the HOKS row's copy of the student's name, so a page of
    # one organisation's list is read from one table (and its index) before any join.
    for token in search.name_tokens:
        statement = statement.where(Hoks.sort_name.contains(token.lower(), autoescape=True))
    if search.tutkinto:
        statement = statement.where(
            func.lower(_localised(StudyRight.tutkinto_nimi, search.locale)).contains(
                search.tutkinto.lower(), autoescape=True
            )
        )
    if search.osaamisala:
        statement = statement.where(
            func.lower(_localised(StudyRight.osaamisala_nimi, search.locale)).contains(
                search.osaamisala.lower(), autoescape=True
            )
        )
    if search.hoks_id is not None:
        statement = statement.where(Hoks.id == search.hoks_id)
    return statement


def _localised(column: Any, locale: str) -> ColumnElement[str]:
    value: ColumnElement[str] = column[locale].as_string()
    return value


def _order(search: StudentSearch) -> list[ColumnElement[Any]]:
    if search.order_by == "tutkinto":
        keys: list[ColumnElement[Any]] = [_localised(StudyRight.tutkinto_nimi, search.locale)]
    elif search.order_by == "osaamisala":
        keys = [_localised(StudyRight.osaamisala_nimi, search.locale)]
    else:
        # Surname first: how people look a student up in a list.
        keys = [Hoks.sort_name.expression]
    keys = [k.desc() if search.descending else k.asc() for k in keys]
    return [*keys, Hoks.id.desc() if search.descending else Hoks.id.asc()]


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
