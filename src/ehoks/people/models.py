"""Staff members and their grants: a role on an organisation, inherited downward in the tree."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Identity, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime


class StaffMember(Base):
    __tablename__ = "staff_member"

    oid: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str | None] = mapped_column(String(320))
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffGrant(Base):
    """One role of one staff member on one organisation.

    `source` is "manual" for grants made with `ehoks users grant`, and "idp" for grants read from
    the identity provider's claims at sign-in (replaced at every sign-in).
    """

    __tablename__ = "staff_grant"
    __table_args__ = (
        UniqueConstraint("staff_oid", "organisation_oid", "role", "source", name="uq_staff_grant"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    staff_oid: Mapped[str] = mapped_column(String(64), index=True)
    organisation_oid: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[str] = mapped_column(String(200))
