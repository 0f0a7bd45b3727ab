"""The audit log: append-only, hash-chained records of every read and change of personal data.

Records are spread over a fixed number of chains so that concurrent requests rarely wait for one
another: each chain has a head row that a writer locks for the rest of its transaction. Within a
chain, every record holds the hash of the previous one, so an edited, removed or reordered record
breaks the chain (`ehoks audit verify`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Identity, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime

CHAIN_COUNT = 16
GENESIS_HASH = "0" * 64


class AuditChain(Base):
    __tablename__ = "audit_chain"

    chain: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    length: Mapped[int] = mapped_column(BigInteger, default=0)
    head_hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("chain", "position", name="uq_audit_event_position"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), Identity(), primary_key=True
    )
    chain: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    request_id: Mapped[str] = mapped_column(String(64))
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(200))
    organisation_oid: Mapped[str | None] = mapped_column(String(64))
    # The role the subject acted in (e.g. "read", "write", "student"): shown to students.
    role: Mapped[str | None] = mapped_column(String(32))
    operation: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    hoks_id: Mapped[int | None] = mapped_column(Integer, index=True)
    oppija_oid: Mapped[str | None] = mapped_column(String(64), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
