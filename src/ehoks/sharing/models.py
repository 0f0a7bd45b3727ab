"""Share links: what a student chose to show of one plan, to whom, and for how long."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, and_, column
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime

_KEPT = column("hoks_id").is_not(None)  # not stripped by the retention yet


class ShareLink(Base):
    """One share link. The link's secret is stored only as its SHA-256 (`secret_hash`); `id` is
    the national service's `share-id`, a name for the link that opens nothing by itself."""

    __tablename__ = "share_link"
    __table_args__ = (
        # The purge's rows: links not yet stripped, by their last day, and the withdrawn ones
        # by when (sharing.retention). Stripped links are left out of both.
        Index(
            "ix_share_link_valid_to_kept",
            "valid_to",
            postgresql_where=_KEPT,
            sqlite_where=_KEPT,
        ),
        Index(
            "ix_share_link_revoked_kept",
            "revoked_at",
            postgresql_where=and_(column("revoked_at").is_not(None), _KEPT),
            sqlite_where=and_(column("revoked_at").is_not(None), _KEPT),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # NULL (with `oppija_oid`, `label` emptied and the unit's ids) once the link has ended and
    # its retention (`share_link_retention_days`) has passed: the row then only answers that
    # the link has ended, and names the `share_id` the audit log's records of it name.
    hoks_id: Mapped[int | None] = mapped_column(
        ForeignKey("hoks.id", ondelete="CASCADE"), index=True
    )
    # The student who made it (their OID at the time), for listing their links.
    oppija_oid: Mapped[str | None] = mapped_column(String(64), index=True)
    # What is shown: "unit" (one unit with its periods and demonstrations), "prior" (the
    # recognised prior competence) or "summary" (the plan at a glance).
    content: Mapped[str] = mapped_column(String(16))
    # For a unit: the unit's module-id and its national type; a single period or demonstration
    # of it when the link was made through the national API (`shared-module-*`).
    unit_module_id: Mapped[str | None] = mapped_column(String(36), index=True)
    unit_type: Mapped[str | None] = mapped_column(String(64))
    shared_module_id: Mapped[str | None] = mapped_column(String(36), index=True)
    shared_module_type: Mapped[str | None] = mapped_column(String(32))
    with_contacts: Mapped[bool] = mapped_column(Boolean, default=False)
    label: Mapped[str] = mapped_column(String(200))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)  # the last day it opens (Finnish date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why it was withdrawn: NULL by its student, `plan_deleted` with its plan (the link stays
    # withdrawn when the plan is restored: the student shares again if they want to).
    revoked_because: Mapped[str | None] = mapped_column(String(16))
    open_count: Mapped[int] = mapped_column(Integer, default=0)
    first_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
