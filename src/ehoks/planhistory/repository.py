"""Queries of the plan history: a live HOKS, its earlier revisions, its audit records."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from ehoks.audit.models import AuditEvent
from ehoks.hoks.models import Hoks, HoksRevision


@dataclass(frozen=True, slots=True)
class RevisionRow:
    """One revision of a HOKS without its document: what a list of versions needs."""

    revision: int
    valid_from: datetime
    valid_to: datetime | None  # None: the current one
    deleted: bool


def live(session: Session, hoks_id: int) -> Hoks | None:
    return session.scalar(select(Hoks).where(Hoks.id == hoks_id, Hoks.deleted_at.is_(None)))


def earlier_revisions(session: Session, hoks_id: int) -> list[RevisionRow]:
    """The superseded revisions of a HOKS, oldest first."""
    rows = session.execute(
        select(
            HoksRevision.revision,
            HoksRevision.valid_from,
            HoksRevision.valid_to,
            HoksRevision.deleted_at,
        )
        .where(HoksRevision.hoks_id == hoks_id)
        .order_by(HoksRevision.revision)
    ).all()
    return [RevisionRow(r, start, end, deleted is not None) for r, start, end, deleted in rows]


def revision_document(session: Session, hoks_id: int, revision: int) -> str | None:
    return session.scalar(
        select(HoksRevision.document).where(
            HoksRevision.hoks_id == hoks_id, HoksRevision.revision == revision
        )
    )


def _about_plan(
    hoks_id: int, student_oids: Collection[str], *, with_student: bool
) -> list[ColumnElement[bool]]:
    """Successful records about this HOKS, or about its student without naming a HOKS (their
    name, study rights, lists of their plans); the student's own ones only if asked."""
    about = AuditEvent.hoks_id == hoks_id
    if student_oids:
        about = or_(
            about,
            and_(AuditEvent.hoks_id.is_(None), AuditEvent.oppija_oid.in_(sorted(student_oids))),
        )
    wanted = [about, AuditEvent.outcome == "success"]
    if not with_student:
        wanted.append(AuditEvent.subject_kind != "student")
    return wanted


def events_about_plan(
    session: Session,
    hoks_id: int,
    student_oids: Collection[str],
    *,
    with_student: bool,
    offset: int,
    limit: int,
) -> tuple[Sequence[AuditEvent], int]:
    """One page of those records, newest first, and how many there are in all."""
    wanted = _about_plan(hoks_id, student_oids, with_student=with_student)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*wanted)) or 0
    rows = session.scalars(
        select(AuditEvent)
        .where(*wanted)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return rows, int(total)
