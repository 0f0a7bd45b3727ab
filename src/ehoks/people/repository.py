"""Queries behind the staff and student views: the student search, a person's HOKS and study
rights, and staff grants. Nothing here decides access; the services do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.orm import Session

from ehoks.hoks.models import Hoks
from ehoks.people.models import StaffGrant, StaffMember
from ehoks.registry import repository as registry_repository
from ehoks.registry.models import Person, StudyRight

SORT_COLUMNS = ("nimi", "tutkinto", "osaamisala")


# --- persons ---------------------------------------------------------------------------------


def same_person_oids(session: Session, oid: str) -> frozenset[str]:
    """The OID, its master and every duplicate merged into that master: one human being.

    The person register merges duplicates; HOKS and study rights may still sit under an old OID.
    """
    master = registry_repository.master_oid_of(session, oid) or oid
    duplicates = session.scalars(select(Person.oid).where(Person.master_oid == master)).all()
    return frozenset({oid, master, *duplicates})


def display_name(person: Person) -> str:
    """ "Etunimet Sukunimi", as the national oppijaindex spells `nimi`."""
    return " ".join(part for part in (person.first_names, person.last_name) if part)


def hoks_of_persons(
    session: Session, oppija_oids: Iterable[str], *, include_deleted: bool = False
) -> Sequence[Hoks]:
    statement = select(Hoks).where(Hoks.oppija_oid.in_(sorted(oppija_oids))).order_by(Hoks.id)
    if not include_deleted:
        statement = statement.where(Hoks.deleted_at.is_(None))
    return session.scalars(statement).all()


def study_rights_of_persons(session: Session, oppija_oids: Iterable[str]) -> Sequence[StudyRight]:
    return session.scalars(
        select(StudyRight)
        .where(StudyRight.oppija_oid.in_(sorted(oppija_oids)))
        .order_by(StudyRight.alkamispaiva, StudyRight.oid)
    ).all()


# --- the student search ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StudentSearch:
    """GET /virkailija/oppijat. `organisation_oids` None means every organisation (the root)."""

    organisation_oids: Sequence[str] | None
    name_tokens: tuple[str, ...] = ()
    tutkinto: str | None = None
    osaamisala: str | None = None
    hoks_id: int | None = None
    order_by: str = "nimi"
    descending: bool = False
    limit: int = 10
    offset: int = 0
    locale: str = "fi"


@dataclass(frozen=True, slots=True)
class StudentRow:
    oppija_oid: str
    first_names: str | None
    last_name: str | None
    opiskeluoikeus_oid: str
    hoks_id: int
    tutkinto_nimi: dict[str, Any] | None
    osaamisala_nimi: dict[str, Any] | None


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
        .where(Hoks.deleted_at.is_(None))
    )
    if search.organisation_oids is not None:
        oids = list(search.organisation_oids)
        statement = statement.where(
            or_(Hoks.oppilaitos_oid.in_(oids), Hoks.koulutustoimija_oid.in_(oids))
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
