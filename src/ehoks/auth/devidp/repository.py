"""Queries of the development identity provider: its codes, its signing keys, its personas."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ehoks.auth.models import DevIdpCode, DevIdpKey
from ehoks.people.models import StaffGrant, StaffMember
from ehoks.registry.models import Person, StudyRight


def persons_with_study_rights(db: Session) -> Sequence[Person]:
    """Every person with a study right, by name."""
    return db.scalars(
        select(Person)
        .where(Person.oid.in_(select(StudyRight.oppija_oid)))
        .order_by(Person.last_name, Person.first_names, Person.oid)
    ).all()


def staff_names(db: Session) -> dict[str, str]:
    """OID -> name of every staff member we know, and of everyone holding a grant ("")."""
    names: dict[str, str] = dict(db.execute(select(StaffMember.oid, StaffMember.name)).all())
    for oid in db.scalars(select(StaffGrant.staff_oid).distinct()):
        names.setdefault(oid, "")
    return names


def add_code(db: Session, row: DevIdpCode) -> None:
    db.add(row)
    db.flush()


def code(db: Session, code_hash: str) -> DevIdpCode | None:
    return db.get(DevIdpCode, code_hash)


def use_code(db: Session, code_hash: str, now: datetime) -> bool:
    """Mark an unused code used; False if another request used it first."""
    used = db.execute(
        update(DevIdpCode)
        .where(DevIdpCode.code_hash == code_hash, DevIdpCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(used.rowcount) == 1  # type: ignore[attr-defined]


def add_key(db: Session, row: DevIdpKey) -> None:
    db.add(row)
    db.flush()


def keys(db: Session) -> list[DevIdpKey]:
    """Every signing key, oldest first."""
    return list(db.scalars(select(DevIdpKey).order_by(DevIdpKey.created_at, DevIdpKey.kid)))
