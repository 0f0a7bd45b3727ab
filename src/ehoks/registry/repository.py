"""Queries on the local copies of the national registries, and the importer's writes."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, TypeVar

from sqlalchemy import delete, or_, select

from ehoks.kit.db.base import utcnow
from ehoks.registry.models import (
    CodeName,
    Organisation,
    Person,
    QualificationUnit,
    StudyRight,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

# Bind-parameter lists stay well below SQLite's and PostgreSQL's limits.
_CHUNK: Final = 500
_MAX_MERGE_DEPTH: Final = 20

Row = TypeVar("Row", Organisation, Person, StudyRight)
# Bookkeeping columns, not what the registry said: never part of a row's content hash.
_NOT_CONTENT: Final = frozenset({"content_hash", "updated_at", "checked_at"})


class Outcome(StrEnum):
    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def get_study_right(session: Session, oid: str) -> StudyRight | None:
    """The study right with this OID, or None."""
    return session.get(StudyRight, oid)


def get_person(session: Session, oid: str) -> Person | None:
    """The person with this OID (a master or a merged duplicate), or None."""
    return session.get(Person, oid)


def get_organisation(session: Session, oid: str) -> Organisation | None:
    """The organisation with this OID (maybe provisional), or None."""
    return session.get(Organisation, oid)


def organisation_ancestors(session: Session, oid: str) -> list[str]:
    """Every ancestor of the organisation, root first and the parent last; [] if unknown."""
    path = session.scalar(select(Organisation.parent_oid_path).where(Organisation.oid == oid))
    return split_path(path or "")


def organisations_below(session: Session, oid: str) -> frozenset[str]:
    """`oid` and every organisation whose ancestors (path or parent) include it."""
    below = session.scalars(
        select(Organisation.oid).where(
            or_(
                Organisation.parent_oid_path.contains(f"|{oid}|", autoescape=True),
                Organisation.parent_oid == oid,
            )
        )
    ).all()
    return frozenset({oid, *below})


def organisations_above(session: Session, oid: str) -> frozenset[str]:
    """Every ancestor of the organisation (its path and its parent); empty if unknown.

    The same two columns as `organisations_below`, read from the other end: `a` is above `b`
    exactly when `b` is below `a`.
    """
    row = session.execute(
        select(Organisation.parent_oid_path, Organisation.parent_oid).where(Organisation.oid == oid)
    ).first()
    if row is None:
        return frozenset()
    path, parent = row
    return frozenset({*split_path(path or ""), *([parent] if parent else [])})


def study_rights_of_person(session: Session, oppija_oid: str) -> list[StudyRight]:
    """The study rights recorded under exactly this oppija OID, oldest first."""
    statement = (
        select(StudyRight)
        .where(StudyRight.oppija_oid == oppija_oid)
        .order_by(StudyRight.alkamispaiva, StudyRight.oid)
    )
    return list(session.scalars(statement))


def study_rights_contained_in(session: Session, oid: str) -> list[StudyRight]:
    """Study rights that are part of `oid` (sisältyyOpiskeluoikeuteen): procured training."""
    statement = (
        select(StudyRight).where(StudyRight.contained_in_oid == oid).order_by(StudyRight.oid)
    )
    return list(session.scalars(statement))


def study_right_oids_contained_in(session: Session, oid: str) -> list[str]:
    """The OIDs of `study_rights_contained_in`."""
    statement = (
        select(StudyRight.oid).where(StudyRight.contained_in_oid == oid).order_by(StudyRight.oid)
    )
    return list(session.scalars(statement))


def master_oid_of(session: Session, oid: str) -> str | None:
    """The master OID of a person: itself unless merged into another; None if unknown.

    Merges may chain (A into B, later B into C); the chain is followed to its end.
    """
    person = get_person(session, oid)
    if person is None:
        return None
    seen = {oid}
    while person.master_oid is not None and len(seen) < _MAX_MERGE_DEPTH:
        master_oid = person.master_oid
        if master_oid in seen:  # a loop in the register's data: stop where it closes
            break
        seen.add(master_oid)
        master = get_person(session, master_oid)
        if master is None:  # the master itself is not imported yet; the register still said so
            return master_oid
        person = master
    return person.oid


def same_person_oids(session: Session, oid: str) -> frozenset[str]:
    """The OID, its master and every duplicate merged into that master: one human being.

    The person register merges duplicates; HOKS and study rights may still sit under an old OID.
    """
    master = master_oid_of(session, oid) or oid
    duplicates = session.scalars(select(Person.oid).where(Person.master_oid == master)).all()
    return frozenset({oid, master, *duplicates})


def split_path(path: str) -> list[str]:
    """The OIDs of a "|root|...|parent|" path, nearest last."""
    return [part for part in path.split("|") if part]


def join_path(oids: Iterable[str]) -> str:
    """The "|root|...|parent|" form of a list of ancestors; "" for none."""
    parts = list(oids)
    return f"|{'|'.join(parts)}|" if parts else ""


def rows_by_oid(session: Session, model: type[Row], oids: Iterable[str]) -> dict[str, Row]:
    """The stored rows among these OIDs, by OID."""
    wanted = sorted(set(oids))
    found: dict[str, Row] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(
            (row.oid, row) for row in session.scalars(select(model).where(model.oid.in_(chunk)))
        )
    return found


def persons_by_hetu(session: Session, hetus: Iterable[str]) -> dict[str, Person]:
    """The stored persons holding these henkilötunnus values, by hetu."""
    wanted = sorted(set(hetus))
    found: dict[str, Person] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for person in session.scalars(select(Person).where(Person.hetu.in_(chunk))):
            if person.hetu is not None:
                found[person.hetu] = person
    return found


def column_values(row: Organisation | Person | StudyRight) -> dict[str, Any]:
    """The fields a row holds, i.e. everything but its hash and timestamp."""
    return {
        column.key: getattr(row, column.key)
        for column in row.__table__.columns
        if column.key not in _NOT_CONTENT
    }


def content_hash(values: dict[str, Any]) -> str:
    """sha256 of the canonical JSON of a row's fields (sorted keys, no spaces, ISO dates)."""
    canonical = json.dumps(
        values, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _json_default(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def save_row(
    session: Session, model: type[Row], existing: Row | None, values: dict[str, Any]
) -> Outcome:
    """Insert, update or leave a row; identical content is never written (no UPDATE at all)."""
    digest = content_hash(values)
    if existing is None:
        session.add(model(**values, content_hash=digest, updated_at=utcnow()))
        return Outcome.INSERTED
    if existing.content_hash == digest:
        return Outcome.UNCHANGED
    for key, value in values.items():
        setattr(existing, key, value)
    existing.content_hash = digest
    existing.updated_at = utcnow()
    return Outcome.UPDATED


def code_names_by_uri(session: Session, uris: Iterable[str]) -> dict[str, CodeName]:
    """The stored code names among these koodi-URIs, by URI."""
    wanted = sorted(set(uris))
    found: dict[str, CodeName] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        found.update(
            (row.uri, row)
            for row in session.scalars(select(CodeName).where(CodeName.uri.in_(chunk)))
        )
    return found


def code_names_in_lists(session: Session, prefixes: Iterable[str]) -> list[CodeName]:
    """The stored code names whose URI starts with one of `prefixes` (`tutkinnonosat_`, ...)."""
    wanted = sorted(set(prefixes))
    if not wanted:
        return []
    condition = or_(*(CodeName.uri.startswith(prefix, autoescape=True) for prefix in wanted))
    return list(session.scalars(select(CodeName).where(condition).order_by(CodeName.uri)))


def organisation_names_by_oid(session: Session, oids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The stored names of these organisations, by OID (only the name column is read)."""
    wanted = sorted(set(oids))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        statement = select(Organisation.oid, Organisation.names).where(Organisation.oid.in_(chunk))
        found.update((oid, names or {}) for oid, names in session.execute(statement))
    return found


def save_code_name(
    session: Session, uri: str, existing: CodeName | None, names: dict[str, str]
) -> Outcome:
    """Insert, update or leave a code name; identical names are never written (no UPDATE)."""
    digest = content_hash({"uri": uri, "names": names})
    if existing is None:
        session.add(CodeName(uri=uri, names=names, content_hash=digest, updated_at=utcnow()))
        return Outcome.INSERTED
    if existing.content_hash == digest:
        return Outcome.UNCHANGED
    existing.names = names
    existing.content_hash = digest
    existing.updated_at = utcnow()
    return Outcome.UPDATED


def mark_checked(rows: Iterable[Organisation | Person | StudyRight], at: datetime) -> None:
    """Record that the national registry confirmed these rows at `at`."""
    for row in rows:
        row.checked_at = at


def checked_or_changed_at(row: Organisation | Person | StudyRight) -> datetime:
    """Since when the row is known to hold what the registry says."""
    return row.checked_at or row.updated_at


def clear_hetu(person: Person) -> None:
    """Free a henkilötunnus before another row takes it (the column is unique)."""
    person.hetu = None


def save_qualification_units(session: Session, diaarinumero: str, units: frozenset[str]) -> Outcome:
    """Make the stored units of a qualification these; an unchanged list is not written."""
    where = QualificationUnit.diaarinumero == diaarinumero
    stored = frozenset(session.scalars(select(QualificationUnit.unit_uri).where(where)))
    if stored == units:
        return Outcome.UNCHANGED
    gone = stored - units
    if gone:
        session.execute(
            delete(QualificationUnit).where(where, QualificationUnit.unit_uri.in_(gone))
        )
    session.add_all(
        QualificationUnit(diaarinumero=diaarinumero, unit_uri=uri) for uri in sorted(units - stored)
    )
    return Outcome.UPDATED if stored else Outcome.INSERTED


def units_of_qualifications(session: Session, diaarinumerot: Iterable[str]) -> frozenset[str]:
    """The units (koodi-URIs) of these qualifications' perusteet; empty when none is known."""
    wanted = sorted(set(diaarinumerot))
    if not wanted:
        return frozenset()
    statement = select(QualificationUnit.unit_uri).where(QualificationUnit.diaarinumero.in_(wanted))
    return frozenset(session.scalars(statement))


def child_organisations(session: Session, parent_oids: Iterable[str]) -> dict[str, str]:
    """{child OID: parent OID} of the organisations directly below the given ones."""
    wanted = sorted(set(parent_oids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Organisation.oid, Organisation.parent_oid).where(Organisation.parent_oid.in_(wanted))
    ).all()
    return {oid: parent for oid, parent in rows if parent is not None}
