"""The session documents (ehoks-api.md 3.3, 3.9).

Kebab-case keys and the camelCase ones (`oidHenkilo`, `isSuperuser`, `usingValtuudet`) are the
national service's own; the UI code written for it reads exactly these.
"""

from __future__ import annotations

from pydantic import Field

from ehoks.kit.responses import Wire


class OrganisationPrivileges(Wire):
    oid: str
    privileges: list[str] = Field(description="read, write, update, hoks_delete")
    roles: list[str] = Field(description="read, write, delete, admin")
    child_organisations: list[str]


class StaffSession(Wire):
    oid_henkilo: str = Field(alias="oidHenkilo")
    nimi: str
    organisation_privileges: list[OrganisationPrivileges]
    is_superuser: bool = Field(alias="isSuperuser")
    csrf_token: str


class StudentPerson(Wire):
    oid: str
    first_name: str | None
    surname: str | None
    common_name: str | None


class StudentSession(StudentPerson):
    using_valtuudet: bool = Field(alias="usingValtuudet")
    csrf_token: str


class UserInfo(StudentPerson):
    contact_values_group: list[object]


class SignedOut(Wire):
    signed_out_sessions: int
