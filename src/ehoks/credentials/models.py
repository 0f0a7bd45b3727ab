"""The signing keys of the credentials and the credentials issued (for their revocation)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint, and_, column
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime

_REVOKED_KEPT = and_(column("revoked_at").is_not(None), column("token").is_not(None))


class CredentialKey(Base):
    """An Ed25519 key pair. The newest key not retired signs; every key stays published, so a
    credential signed before a rotation still verifies. The private half is here, or in a file
    of the key directory when one is set (`credential_key_dir`), then `private_pem` is empty."""

    __tablename__ = "credential_key"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)  # RFC 7638 thumbprint
    public_jwk: Mapped[str] = mapped_column(Text)
    private_pem: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class IssuedCredential(Base):
    """A credential the service signed: its place in a status list, and the token itself so
    that its student can download it again.

    Once revoked and past its retention (`credential_retention_days`), the row keeps only what
    its status bit needs: `token`, `oppija_oid` and `hoks_id` become NULL (credentials.retention).
    """

    __tablename__ = "issued_credential"
    __table_args__ = (
        UniqueConstraint("status_list", "status_index"),
        # The purge's rows: revoked, not yet stripped (a few; the stripped ones are left out).
        Index(
            "ix_issued_credential_revoked_kept",
            "revoked_at",
            postgresql_where=_REVOKED_KEPT,
            sqlite_where=_REVOKED_KEPT,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    credential_id: Mapped[str] = mapped_column(String(64), unique=True)  # urn:uuid:...
    hoks_id: Mapped[int | None] = mapped_column(Integer, index=True)
    oppija_oid: Mapped[str | None] = mapped_column(String(64), index=True)
    lang: Mapped[str] = mapped_column(String(2))
    kid: Mapped[str] = mapped_column(String(64))
    status_list: Mapped[int] = mapped_column(Integer)
    status_index: Mapped[int] = mapped_column(Integer)
    token: Mapped[str | None] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
