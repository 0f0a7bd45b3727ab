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
    timezone: str = "Europe/Helsinki"

    @model_validator(mode="after")
    def _refuse_development_secrets_in_production(self) -> Self:
        if self.environment is Environment.PRODUCTION:
            if self.token_signing_key == DEVELOPMENT_SIGNING_KEY:
                raise ValueError("EHOKS_TOKEN_SIGNING_KEY must be set in production")
            if self.database_url.startswith("sqlite"):
                raise ValueError("production needs PostgreSQL (EHOKS_DATABASE_URL)")
        return self


@cache
def get_settings() -> Settings:
    return Settings()
