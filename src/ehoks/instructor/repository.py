"""Queries of the instructor package: workplace periods, sign-in links, names to show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from ehoks.access.decision import PeriodScope
from ehoks.hoks.models import Hoks
from ehoks.instructor.models import SignInLink, WorkplacePeriod
from ehoks.kit.db.rows import insert_rows
from ehoks.registry.models import CodeName, Person


@dataclass(frozen=True, slots=True)
class Student:
    oppija_oid: str
    name: str | None


def delete_periods(session: Session, hoks_id: int) -> None:
    session.execute(delete(WorkplacePeriod).where(WorkplacePeriod.hoks_id == hoks_id))


def insert_periods(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert projected periods (column values) with one statement of one array per column
    (`ehoks.kit.db.rows`): a batch create's periods without a round of parameters per row."""
    insert_rows(session, WorkplacePeriod, rows)


def _visible(email: str, starts_by: date, ends_from: date) -> list[ColumnElement[bool]]:
    """Periods of `email` that start on/before `starts_by` and end on/after `ends_from`."""
    return [
        WorkplacePeriod.instructor_email == email,
        WorkplacePeriod.alku <= starts_by,
        WorkplacePeriod.loppu >= ends_from,
    ]


def periods_in_scope(session: Session, scope: PeriodScope) -> list[WorkplacePeriod]:
    """The periods an instructor's access scope holds, by start date."""
    statement = (
        select(WorkplacePeriod)
        .where(*_visible(scope.instructor_email, scope.starts_by, scope.ends_from))
        .order_by(WorkplacePeriod.alku, WorkplacePeriod.id)
    )
    return list(session.scalars(statement))


def has_visible_period(session: Session, email: str, *, starts_by: date, ends_from: date) -> bool:
    statement = select(WorkplacePeriod.id).where(*_visible(email, starts_by, ends_from)).limit(1)
    return session.scalar(statement) is not None


def links_since(session: Session, email: str, since: datetime) -> int:
    statement = select(func.count()).where(
        SignInLink.email == email, SignInLink.created_at >= since
    )
    return int(session.scalar(statement) or 0)


def add_link(session: Session, link: SignInLink) -> None:
    session.add(link)
    session.flush()


def delete_link(session: Session, token_hash: str) -> None:
    link = session.get(SignInLink, token_hash)
    if link is not None:
        session.delete(link)
        session.flush()


def usable_link(session: Session, token_hash: str, now: datetime) -> SignInLink | None:
    link = session.get(SignInLink, token_hash)
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    return link


def consume_link(session: Session, token_hash: str, now: datetime) -> str | None:
    """Mark a link used if it is still usable, atomically; its e-mail address, else None.

    The UPDATE is a compare-and-set on `used_at IS NULL`: of two concurrent uses only one
    changes a row (the other waits for the row lock and then matches nothing).
    """
    result = session.execute(
        update(SignInLink)
        .where(
            SignInLink.token_hash == token_hash,
            SignInLink.used_at.is_(None),
            SignInLink.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if int(result.rowcount) != 1:  # type: ignore[attr-defined]
        return None
    return session.scalar(select(SignInLink.email).where(SignInLink.token_hash == token_hash))


def students(session: Session, hoks_ids: Iterable[int]) -> dict[int, Student]:
    """The student of each live HOKS, with the name the person registry has for them."""
    ids = sorted(set(hoks_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Hoks.id, Hoks.oppija_oid, Person.calling_name, Person.first_names, Person.last_name)
        .outerjoin(Person, Person.oid == Hoks.oppija_oid)
        .where(Hoks.id.in_(ids), Hoks.deleted_at.is_(None))
    ).all()
    return {
        hoks_id: Student(oid, _name(calling, first, last))
        for hoks_id, oid, calling, first, last in rows
    }


def _name(calling: str | None, first: str | None, last: str | None) -> str | None:
    given = calling or (first.split()[0] if first and first.split() else None)
    name = " ".join(part for part in (given, last) if part)
    return name or None


def code_names(session: Session, uris: Iterable[str]) -> dict[str, dict[str, str]]:
    wanted = sorted(set(uris))
    if not wanted:
        return {}
    rows = session.execute(select(CodeName.uri, CodeName.names).where(CodeName.uri.in_(wanted)))
    return {uri: dict(names) for uri, names in rows if isinstance(names, dict)}
