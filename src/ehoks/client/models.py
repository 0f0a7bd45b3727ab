"""Provider systems (student information systems) calling the API with client credentials."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
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
    # The CAS user name of a client that may also sign in as the national service's systems do
    # (`ehoks clients create --cas`); its password is the client secret. None: OAuth2 only.
    cas_username: Mapped[str | None] = mapped_column(String(100), unique=True)


class CasTicket(Base):
    """A CAS ticket-granting or service ticket (the national provider systems' sign-in).

    Only the ticket's SHA-256 is stored, like a password: a copy of the table grants nothing.
    """

    __tablename__ = "cas_ticket"

    ticket_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(3))  # "TGT" or "ST"
    client_id: Mapped[str] = mapped_column(
        String(64), ForeignKey("system_client.client_id", ondelete="CASCADE"), index=True
    )
    # A service ticket: the ticket-granting ticket it came from and the service it is for.
    granting_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    service: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
