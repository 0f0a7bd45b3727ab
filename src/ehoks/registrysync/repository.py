"""Which local registry rows are due for a refresh: the oldest-confirmed first."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ehoks.hoks.models import Hoks
from ehoks.registry.models import Organisation, Person, StudyRight


def stale_planned_study_rights(session: Session, before: datetime, limit: int) -> list[str]:
    """Study rights with a plan (deleted ones too: they may be restored), confirmed before
    `before`, oldest first."""
    confirmed = func.coalesce(StudyRight.checked_at, StudyRight.updated_at)
    statement = (
        select(StudyRight.oid)
        .join(Hoks, Hoks.opiskeluoikeus_oid == StudyRight.oid)
        .where(confirmed < before)
        .order_by(confirmed, StudyRight.oid)
        .limit(limit)
    )
    return list(session.scalars(statement))


def stale_planned_students(session: Session, before: datetime, limit: int) -> list[str]:
    """Students with a plan whose person row was confirmed before `before`, oldest first."""
    confirmed = func.coalesce(Person.checked_at, Person.updated_at)
    statement = (
        select(Person.oid)
        .where(Person.oid.in_(select(Hoks.oppija_oid)), confirmed < before)
        .order_by(confirmed, Person.oid)
        .limit(limit)
    )
    return list(session.scalars(statement))


def stale_organisations(session: Session, before: datetime, limit: int) -> list[str]:
    """Stored organisations (provisional ones too) confirmed before `before`, oldest first."""
    confirmed = func.coalesce(Organisation.checked_at, Organisation.updated_at)
    statement = (
        select(Organisation.oid)
        .where(confirmed < before)
        .order_by(confirmed, Organisation.oid)
        .limit(limit)
    )
    return list(session.scalars(statement))
