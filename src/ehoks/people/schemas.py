"""What the staff and student APIs answer besides HOKS documents (their wire models)."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from ehoks.kit.responses import Wire, omitted_if_none

Names = dict[str, str]


class SearchRow(Wire):
    """A student of the search: one row per HOKS."""

    oid: str
    nimi: str = Field(description="First names and surname.")
    opiskeluoikeus_oid: str
    hoks_id: int
    tutkinto_nimi: Names | None = omitted_if_none("The qualification, fi/sv/en.")
    osaamisala_nimi: Names | None = omitted_if_none("The competence area, fi/sv/en.")


class SearchMeta(Wire):
    total_count: int = Field(
        description="The matches on every page, counted up to 10 000, or 200 when searched "
        "by name (or to the end of the page asked for, if further); with `total-count-capped` "
        "there are more than this."
    )
    total_count_capped: bool = Field(
        default=False, description="True when the count stopped at `total-count`."
    )


class StudentName(Wire):
    oid: str
    nimi: str


class Success(Wire):
    """The national bare answer of a delete or restore."""

    success: int = Field(description="The HOKS id.")


class Grant(Wire):
    organisation_oid: str
    role: str
    source: str = Field(description="`manual` (ehoks users) or `idp` (the identity provider).")
    created_at: str
    created_by: str
    inherited: bool = Field(description="Granted on an organisation above this one.")


class StaffMember(Wire):
    oid: str
    nimi: str
    grants: list[Grant]


class StudyRightNames(Wire):
    tutkinto_nimi: Names | None = omitted_if_none()
    osaamisala_nimi: Names | None = omitted_if_none()


class OwnHoksMeta(Wire):
    opiskeluoikeudet: dict[str, StudyRightNames] = Field(
        description="The qualification and competence area of each HOKS's study right."
    )


class AccessLogEntry(Wire):
    """One read or change of the student's data: never a person's or a system's identity."""

    time: str
    operation: str
    outcome: str
    actor_kind: str
    role: str | None
    organisation_oid: str | None = omitted_if_none()
    organisation_nimi: Names | None = omitted_if_none()


Document = dict[str, Any]
