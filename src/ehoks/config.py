"""Typed settings, read from the environment (prefix `EHOKS_`).

The defaults run the embedded mode: a SQLite file in the working directory, development sign-in
and a development signing key. Production refuses the development key.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SIGNING_KEY = "development-only-signing-key-change-me-0123456789abcdef"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EHOKS_", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    database_url: str = Field(
        default="sqlite:///ehoks.db",
        description="SQLAlchemy URL; sqlite:///FILE or postgresql+psycopg://user@host/db",
    )
    database_pool_size: int = Field(default=10, ge=1, le=200)
    token_signing_key: str = Field(default=DEVELOPMENT_SIGNING_KEY, min_length=32)
    token_ttl_seconds: int = Field(default=300, ge=30, le=3600)
    token_issuer: str = "ehoks"  # noqa: S105 - an issuer name, not a secret
    max_body_bytes: int = Field(default=2_000_000, ge=10_000)
    max_batch_bytes: int = Field(default=50_000_000, ge=10_000)
    timezone: str = "Europe/Helsinki"

    # Where people reach the service; used in sign-in redirects and e-mailed links.
    public_base_url: str = "http://127.0.0.1:8000"

    # Web sessions (staff, students, workplace instructors).
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_absolute_minutes: int = Field(default=8 * 60, ge=5, le=7 * 24 * 60)
    instructor_session_minutes: int = Field(default=60, ge=5, le=24 * 60)
    cookie_secure: bool = True

    # OpenID Connect. Empty issuers mean the built-in development identity provider at
    # <public_base_url>/dev-idp, which exists only outside production.
    oidc_staff_issuer: str = ""
    oidc_staff_client_id: str = "ehoks-staff"
    oidc_staff_client_secret: str = "development-staff-client-secret"  # noqa: S105 - dev default, refused in production
    oidc_student_issuer: str = ""
    oidc_student_client_id: str = "ehoks-student"
    oidc_student_client_secret: str = "development-student-client-secret"  # noqa: S105 - dev default, refused in production
    # Staff grants from an identity-provider claim: the claim's name, holding strings of the form
    # "<role>:<organisation OID>" (e.g. "write:1.2.246.562.10.53642770753"); empty disables it.
    oidc_staff_grants_claim: str = "ehoks_grants"

    # E-mail (workplace instructors' sign-in links).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "eHOKS <noreply@ehoks.invalid>"
    instructor_link_minutes: int = Field(default=30, ge=5, le=24 * 60)
    # An instructor sees a workplace period from this many days before it starts until this many
    # days after it ends (docs/workplace-instructors.md explains the choice).
    instructor_days_before: int = Field(default=14, ge=0, le=365)
    instructor_days_after: int = Field(default=30, ge=0, le=365)

    @property
    def dev_idp_enabled(self) -> bool:
        return self.environment is not Environment.PRODUCTION and not (
            self.oidc_staff_issuer and self.oidc_student_issuer
        )

    def staff_issuer(self) -> str:
        return self.oidc_staff_issuer or f"{self.public_base_url.rstrip('/')}/dev-idp"

    def student_issuer(self) -> str:
        return self.oidc_student_issuer or f"{self.public_base_url.rstrip('/')}/dev-idp"

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            if self.token_signing_key == DEVELOPMENT_SIGNING_KEY:
                raise ValueError("EHOKS_TOKEN_SIGNING_KEY must be set in production")
            if self.database_url.startswith("sqlite"):
                raise ValueError("production needs PostgreSQL (EHOKS_DATABASE_URL)")
            if not (self.oidc_staff_issuer and self.oidc_student_issuer):
                raise ValueError(
                    "production needs real identity providers (EHOKS_OIDC_STAFF_ISSUER and "
                    "EHOKS_OIDC_STUDENT_ISSUER); the development sign-in is refused"
                )
            if "development" in self.oidc_staff_client_secret + self.oidc_student_client_secret:
                raise ValueError("production needs the OIDC client secrets set")
            if not self.cookie_secure:
                raise ValueError("production cookies must be Secure")
        return self


@cache
def get_settings() -> Settings:
    return Settings()
