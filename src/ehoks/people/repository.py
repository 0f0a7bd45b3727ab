"""Queries behind the staff and student views: the student search, a person's HOKS and study
rights, and staff grants. Nothing here decides access; the services do."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, select, true
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope, Ownership
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from ehoks.kit.db.counts import memo_of
from ehoks.kit.folding import fold_letters
from ehoks.people.models import StaffGrant, StaffMember
from ehoks.people.search import SearchResult, StudentRow, StudentSearch
from ehoks.registry.models import Person, StudyRight
from ehoks.registry.scoping import in_scope, owned_within, owner_legs, owner_ranges

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


def search_students(session: Session, search: StudentSearch) -> SearchResult:
    """One page of (student, study right, HOKS) rows of non-deleted HOKS, and the number of
    matches counted up to `COUNT_CAP` (or the page's end), in one statement.

    In name order a page is a merge of ordered index range scans, one per organisation and
    owner column (`owner_ranges`); study right and person are joined by primary key to the page's
    rows only. Only a page past the end asks for the count apart.
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
    bound = max(hoks_repository.COUNT_CAP, search.offset + search.limit)
    memo = memo_of(session)
    question = ("staff-search", replace(search, offset=0, order_by="nimi", descending=False), bound)
    known = memo.get(question) if memo is not None else None
    counted = hoks_repository.capped_count(_filter_of(search), _count_legs(search), bound)
    total_column: list[Any] = [] if known is not None else [counted.label("total")]
    if search.order_by == "nimi":
        page = hoks_repository.name_ordered_page(
            _filter_of(search),
            _legs(search),
            descending=search.descending,
            offset=search.offset,
            limit=search.limit,
        )
        keys: list[Any] = [page.c.sort_name, page.c.id]
        if search.descending:
            keys = [key.desc() for key in keys]
        rows = select(*columns, *total_column).select_from(page)
        statement = _joined(rows.join(Hoks, Hoks.id == page.c.id)).order_by(*keys)
    else:
        rows = select(*columns, *total_column).select_from(Hoks)
        statement = _filtered(_joined(rows), search, joined=True)
        if search.within is not None:
            statement = statement.where(
                owned_within(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, search.within)
            )
        statement = statement.order_by(*_order(search)).limit(search.limit).offset(search.offset)
    found = session.execute(statement).all()
    if known is not None:
        return SearchResult([StudentRow(*row) for row in found], min(known, bound), known > bound)
    if found:
        total = int(found[0][-1])
    elif search.offset == 0:
        total = 0
    else:
        total = int(session.scalar(select(counted)) or 0)
    if memo is not None:
        memo.put(question, total)
    return SearchResult([StudentRow(*row[:-1]) for row in found], min(total, bound), total > bound)


def _legs(search: StudentSearch) -> list[ColumnElement[bool]]:
    """The page's legs: one owner column each, overlapping (the page drops repeats)."""
    if search.within is None:
        return [true()]
    return owner_ranges(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, search.within)


def _count_legs(search: StudentSearch) -> list[ColumnElement[bool]]:
    """The count's legs: disjoint, so that each row is counted once."""
    if search.within is None:
        return [true()]
    return owner_legs(Hoks.oppilaitos_oid, Hoks.koulutustoimija_oid, search.within)


def _joined(statement: Select[Any]) -> Select[Any]:
    """The study right and the person of each HOKS row (by primary key)."""
    return statement.outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid).outerjoin(
        Person, Person.oid == Hoks.oppija_oid
    )


def _filter_of(search: StudentSearch) -> hoks_repository.ListFilter:
    def filtered(statement: Select[Any]) -> Select[Any]:
        return _filtered(statement.select_from(Hoks), search, joined=False)

    return filtered


def _filtered(statement: Select[Any], search: StudentSearch, *, joined: bool) -> Select[Any]:
    statement = statement.where(
        Hoks.deleted_at.is_(None), hoks_repository.in_scope_of(search.scope)
    )
    # Names are searched and sorted on the HOKS row's copies of the student's name. Every word
    # must occur in the lower-cased name; the folded name holds it folded too (folding maps a
    # part of a name to a part of the folded name), which a trigram index can find.
    for token in search.name_tokens:
        statement = statement.where(
            Hoks.search_name.contains(fold_letters(token.lower()), autoescape=True),
            Hoks.sort_name.contains(token.lower(), autoescape=True),
        )
    if (search.tutkinto or search.osaamisala) and not joined:
        statement = statement.outerjoin(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
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
