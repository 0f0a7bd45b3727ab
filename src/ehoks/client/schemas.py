"""What the token endpoint answers (RFC 6749 §5.1: snake_case keys, as OAuth2 clients expect)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class TokenAnswer(BaseModel):
    access_token: str = Field(description="Send as `Authorization: Bearer <access_token>`.")
    token_type: str = Field(description="Always `Bearer`.")
    expires_in: int = Field(description="Seconds until the token expires.")
