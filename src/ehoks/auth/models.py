"""Web sessions and OpenID Connect sign-ins in progress (our client and the development IdP)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime


class WebSession(Base):
    """A signed-in person. The cookie holds a random token; only its SHA-256 is stored here."""

    __tablename__ = "web_session"
    __table_args__ = (Index("ix_web_session_principal", "kind", "principal"),)

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256(token) hex
    kind: Mapped[str] = mapped_column(String(32))  # staff | student | workplace_instructor
    principal: Mapped[str] = mapped_column(String(320))  # staff OID, oppija OID or e-mail
    display_name: Mapped[str] = mapped_column(String(200), default="")
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)  # absolute expiry
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OidcSignIn(Base):
    """A sign-in in progress: what the callback must find again (state, nonce, PKCE verifier)."""

    __tablename__ = "oidc_sign_in"

    state: Mapped[str] = mapped_column(String(64), primary_key=True)
    audience: Mapped[str] = mapped_column(String(16))  # staff | student
    nonce: Mapped[str] = mapped_column(String(64))
    code_verifier: Mapped[str] = mapped_column(String(128))
    return_to: Mapped[str] = mapped_column(Text, default="/")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DevIdpKey(Base):
    """The development identity provider's signing key (shared by every web process)."""

    __tablename__ = "dev_idp_key"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    private_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DevIdpCode(Base):
    """An authorization code of the development identity provider (single use, short-lived)."""

    __tablename__ = "dev_idp_code"

    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(200))
    redirect_uri: Mapped[str] = mapped_column(Text)
    nonce: Mapped[str | None] = mapped_column(String(200))
    code_challenge: Mapped[str | None] = mapped_column(String(200))
    claims: Mapped[dict[str, Any]] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
