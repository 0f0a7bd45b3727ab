"""Provider systems (student information systems) calling the API with client credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime, utcnow


class SystemClient(Base):
    __tablename__ = "system_client"

    client_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_oid: Mapped[str] = mapped_column(String(64), index=True)
    access: Mapped[str] = mapped_column(String(16))  # "read" or "write"
    # scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>; the secret itself is shown once and never stored.
    secret_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
