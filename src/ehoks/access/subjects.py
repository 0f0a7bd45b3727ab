"""Who is calling: every kind of caller is a typed subject, resolved by one dependency."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ClientAccess(StrEnum):
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class SystemClientSubject:
    """A provider's student information system, authenticated with OAuth2 client credentials."""

    client_id: str
    name: str
    organisation_oid: str
    access: ClientAccess

    @property
    def audit_name(self) -> str:
        return f"client:{self.client_id}"

    @property
    def can_write(self) -> bool:
        return self.access is ClientAccess.WRITE
