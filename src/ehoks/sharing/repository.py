"""Queries of the share links. Nothing here decides who may do what; the service does."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ehoks.hoks.models import Hoks
from ehoks.sharing.models import ShareLink


def add(session: Session, link: ShareLink) -> None:
    session.add(link)
    session.flush()


def by_secret_hash(session: Session, secret_hash: str) -> ShareLink | None:
    return session.scalar(select(ShareLink).where(ShareLink.secret_hash == secret_hash))


def by_id(session: Session, share_id: str) -> ShareLink | None:
    return session.get(ShareLink, share_id)


def of_plan(session: Session, hoks_id: int) -> Sequence[ShareLink]:
    """Every link of a plan, the newest first (revoked and expired ones included)."""
    return session.scalars(
        select(ShareLink)
        .where(ShareLink.hoks_id == hoks_id)
        .order_by(ShareLink.created_at.desc(), ShareLink.id)
    ).all()


def live_of_module(
    session: Session, module_id: str, oppija_oids: Collection[str]
) -> Sequence[ShareLink]:
    """The unrevoked links of these students that show the part `module_id` (a unit, or one of
    its periods or demonstrations), oldest first."""
    return session.scalars(
        select(ShareLink)
        .where(
            or_(ShareLink.unit_module_id == module_id, ShareLink.shared_module_id == module_id),
            ShareLink.oppija_oid.in_(sorted(oppija_oids)),
            ShareLink.revoked_at.is_(None),
        )
        .order_by(ShareLink.created_at, ShareLink.id)
    ).all()


def hoks_id_by_eid(session: Session, eid: str) -> int | None:
    """The live HOKS with this external id."""
    return session.scalar(select(Hoks.id).where(Hoks.eid == eid, Hoks.deleted_at.is_(None)))


def revoke(session: Session, share_id: str, now: datetime) -> None:
    """Revoke once: a second revoke keeps the first time."""
    session.execute(
        update(ShareLink)
        .where(ShareLink.id == share_id, ShareLink.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoke_plan(session: Session, hoks_id: int, now: datetime, because: str) -> list[str]:
    """Revoke every link of a plan not revoked yet; the ids of those revoked now."""
    result = session.execute(
        update(ShareLink)
        .where(ShareLink.hoks_id == hoks_id, ShareLink.revoked_at.is_(None))
        .values(revoked_at=now, revoked_because=because)
        .returning(ShareLink.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(result.scalars().all())


def count_open(session: Session, share_id: str, now: datetime) -> None:
    """One more open of the link, counted in the database (two opens at once both count)."""
    session.execute(
        update(ShareLink)
        .where(ShareLink.id == share_id)
        .values(open_count=ShareLink.open_count + 1, last_opened_at=now)
    )
    session.execute(
        update(ShareLink)
        .where(ShareLink.id == share_id, ShareLink.first_opened_at.is_(None))
        .values(first_opened_at=now)
    )


def ended_kept(
    session: Session, *, withdrawn_before: datetime, last_day_before: date, limit: int
) -> Sequence[ShareLink]:
    """Links not stripped yet whose last day is before the day or that were withdrawn before
    the moment; a batch. Rows another purge holds are skipped (PostgreSQL), not waited for.

    Two queries, each along its own partial index in that index's order: one query with OR is
    planned as a walk of the whole table (docs/operations.md, the purge)."""
    ended = session.scalars(
        select(ShareLink)
        .where(ShareLink.hoks_id.is_not(None), ShareLink.valid_to < last_day_before)
        .order_by(ShareLink.valid_to)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if len(ended) >= limit:
        return ended
    withdrawn = session.scalars(
        select(ShareLink)
        .where(
            ShareLink.hoks_id.is_not(None),
            ShareLink.revoked_at.is_not(None),
            ShareLink.revoked_at < withdrawn_before,
            ShareLink.valid_to >= last_day_before,  # the others came above
        )
        .order_by(ShareLink.revoked_at)
        .limit(limit - len(ended))
        .with_for_update(skip_locked=True)
    ).all()
    return [*ended, *withdrawn]


def strip(session: Session, ids: Sequence[str]) -> int:
    """Leave these links only what answers their holder and names them in the audit log: their
    id, secret hash, days, counts and withdrawal. How many changed."""
    result = session.execute(
        update(ShareLink)
        .where(ShareLink.id.in_(ids), ShareLink.hoks_id.is_not(None))
        .values(
            hoks_id=None,
            oppija_oid=None,
            label="",
            unit_module_id=None,
            unit_type=None,
            shared_module_id=None,
            shared_module_type=None,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
