"""Who is calling: every kind of caller is a typed subject, resolved by one dependency."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class ClientAccess(StrEnum):
    READ = "read"
    WRITE = "write"


class Role(StrEnum):
    """A staff member's role on an organisation; inherited by every organisation below it."""

    READ = "read"
    WRITE = "write"
    DELETE = "delete"
    ADMIN = "admin"


class SubjectKind(StrEnum):
    SYSTEM_CLIENT = "system_client"
    STAFF = "staff"
    STUDENT = "student"
    WORKPLACE_INSTRUCTOR = "workplace_instructor"


@dataclass(frozen=True, slots=True)
class SystemClientSubject:
    """A provider's student information system, authenticated with OAuth2 client credentials."""

    client_id: str
    name: str
    organisation_oid: str
    access: ClientAccess

    kind = SubjectKind.SYSTEM_CLIENT

    @property
    def audit_name(self) -> str:
        return f"client:{self.client_id}"

    @property
    def can_write(self) -> bool:
        return self.access is ClientAccess.WRITE


@dataclass(frozen=True, slots=True)
class Grant:
    organisation_oid: str
    role: Role


@dataclass(frozen=True, slots=True)
class StaffSubject:
    """A provider's staff member (virkailija) or a national administrator, signed in with OIDC.

    `grants` are read from the grants table on every request, so a revoked grant stops working
    at once (what they allow is decided by `ehoks.access.rules.Access`).
    """

    oid: str
    name: str
    grants: tuple[Grant, ...]
    session_id: str = ""
    # The session's CSRF token, for the sign-out form every page of a signed-in person carries.
    csrf_token: str = field(default="", repr=False, compare=False)

    kind = SubjectKind.STAFF

    @property
    def audit_name(self) -> str:
        return f"staff:{self.oid}"


@dataclass(frozen=True, slots=True)
class StudentSubject:
    """A student signed in with OIDC; reaches only their own data."""

    oppija_oid: str
    name: str
    session_id: str = ""
    # The session's CSRF token, for the sign-out form every page of a signed-in person carries.
    csrf_token: str = field(default="", repr=False, compare=False)

    kind = SubjectKind.STUDENT

    @property
    def audit_name(self) -> str:
        return f"student:{self.oppija_oid}"


@dataclass(frozen=True, slots=True)
class WorkplaceInstructorSubject:
    """A responsible workplace instructor who signed in with a single-use e-mail link."""

    email: str
    session_id: str
    signed_in_at: datetime
    # The session's CSRF token, for the sign-out form every page of a signed-in person carries.
    csrf_token: str = field(default="", repr=False, compare=False)

    kind = SubjectKind.WORKPLACE_INSTRUCTOR

    @property
    def audit_name(self) -> str:
        return "workplace-instructor"


Subject = SystemClientSubject | StaffSubject | StudentSubject | WorkplaceInstructorSubject
