"""Queries of the signing keys and of the credentials issued."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ehoks.credentials.models import CredentialKey, IssuedCredential


def keys(session: Session) -> Sequence[CredentialKey]:
    """Every key, oldest first (the published ones: retired keys included)."""
    return session.scalars(select(CredentialKey).order_by(CredentialKey.created_at)).all()


def newest_active_key(session: Session) -> CredentialKey | None:
    return session.scalar(
        select(CredentialKey)
        .where(CredentialKey.retired_at.is_(None))
        .order_by(CredentialKey.created_at.desc(), CredentialKey.kid)
        .limit(1)
    )


def add_key(session: Session, key: CredentialKey) -> None:
    session.add(key)
    session.flush()


def retire_keys(session: Session, now: datetime, *, keep: str) -> None:
    session.execute(
        update(CredentialKey)
        .where(CredentialKey.retired_at.is_(None), CredentialKey.kid != keep)
        .values(retired_at=now)
    )


def add_credential(session: Session, issued: IssuedCredential) -> None:
    session.add(issued)
    session.flush()


def issued_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(IssuedCredential)) or 0


def index_taken(session: Session, status_list: int, index: int) -> bool:
    found = session.scalar(
        select(IssuedCredential.id).where(
            IssuedCredential.status_list == status_list, IssuedCredential.status_index == index
        )
    )
    return found is not None


def revoked_indexes(session: Session, status_list: int) -> Sequence[int]:
    return session.scalars(
        select(IssuedCredential.status_index).where(
            IssuedCredential.status_list == status_list, IssuedCredential.revoked_at.is_not(None)
        )
    ).all()


def credentials_of_plan(
    session: Session, hoks_id: int, oppija_oid: str
) -> Sequence[IssuedCredential]:
    return session.scalars(
        select(IssuedCredential)
        .where(IssuedCredential.hoks_id == hoks_id, IssuedCredential.oppija_oid == oppija_oid)
        .order_by(IssuedCredential.issued_at.desc(), IssuedCredential.id.desc())
    ).all()


def credential(session: Session, credential_id: str) -> IssuedCredential | None:
    return session.scalar(
        select(IssuedCredential).where(IssuedCredential.credential_id == credential_id)
    )


def revoke(session: Session, issued: IssuedCredential, now: datetime) -> None:
    if issued.revoked_at is None:
        issued.revoked_at = now
        session.flush()


def revoke_plan(session: Session, hoks_id: int, now: datetime) -> None:
    """Revoke every credential of one plan not revoked yet."""
    session.execute(
        update(IssuedCredential)
        .where(IssuedCredential.hoks_id == hoks_id, IssuedCredential.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def revoked_kept(
    session: Session, revoked_before: datetime, limit: int
) -> Sequence[IssuedCredential]:
    """Revoked credentials still holding their token, revoked before the moment; a batch, the
    oldest first. Rows another purge holds are skipped (PostgreSQL), not waited for."""
    return session.scalars(
        select(IssuedCredential)
        .where(
            IssuedCredential.revoked_at.is_not(None),
            IssuedCredential.token.is_not(None),
            IssuedCredential.revoked_at < revoked_before,
        )
        .order_by(IssuedCredential.revoked_at, IssuedCredential.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()


def strip(session: Session, ids: Sequence[int]) -> int:
    """Leave these revoked credentials only what their status bit needs; how many changed."""
    result = session.execute(
        update(IssuedCredential)
        .where(
            IssuedCredential.id.in_(ids),
            IssuedCredential.revoked_at.is_not(None),
            IssuedCredential.token.is_not(None),
        )
        .values(token=None, oppija_oid=None, hoks_id=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
