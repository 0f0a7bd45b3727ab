"""Workplace periods (a projection of the HOKS documents) and instructors' sign-in links."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    column,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime


class WorkplacePeriod(Base):
    """One workplace period (koulutussopimus or oppisopimus) of a live HOKS.

    Rewritten from the document in the same transaction as every change of the HOKS, so it is
    never out of step with it. Instructor access, feedback and deadline checks query it.
    """

    __tablename__ = "workplace_period"
    __table_args__ = (
        # The contact-data removal's candidates: periods whose instructor still has an address
        # or a phone, read in HOKS id order (keyset paging) with the end date beside each entry,
        # so a batch is a range of the index alone and scrubbed periods are not in it at all.
        # The condition is written as each database's query states it, so that SQLite, which
        # uses a partial index only for a matching term, uses it too.
        Index(
            "ix_workplace_period_contact_hoks_loppu",
            "hoks_id",
            "loppu",
            postgresql_where=column("has_instructor_contact", Boolean),
            sqlite_where=column("has_instructor_contact", Boolean) == 1,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    hoks_id: Mapped[int] = mapped_column(ForeignKey("hoks.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(36), index=True)
    unit_module_id: Mapped[str] = mapped_column(String(36))
    yksiloiva_tunniste: Mapped[str | None] = mapped_column(String(256))
    alku: Mapped[date] = mapped_column(Date)
    loppu: Mapped[date] = mapped_column(Date)
    instructor_email: Mapped[str | None] = mapped_column(String(320), index=True)  # lower-case
    instructor_name: Mapped[str | None] = mapped_column(Text)
    # The instructor has a `sahkoposti` or a `puhelinnumero` in the document: contact data the
    # removal job clears three months after the period's end (ehoks-api.md 5.10). A phone alone
    # leaves `instructor_email` empty, so this, not the address, says what is left to clear.
    has_instructor_contact: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    workplace_name: Mapped[str | None] = mapped_column(Text)
    # What the instructor may see of it, copied out of the document: the period, the unit it
    # belongs to, the school's contact person and the work tasks.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class SignInLink(Base):
    """A single-use sign-in link sent to a workplace instructor; only its hash is stored."""

    __tablename__ = "sign_in_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
