"""The answer to "may this caller do this?", and the facts a question is asked about.

A `Decision` is used twice: to enforce (`enforce()` raises the refusal) and to audit (the role the
caller acted in and the organisation whose grant allowed it). A refusal says whether the caller may
know that the thing exists: 404 when not, 403 when they know it anyway but may not do this.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from ehoks.access.directory import OrganisationSet, Owners
from ehoks.kit.errors import ApiError

NOT_FOUND = 404
FORBIDDEN = 403


class Action(StrEnum):
    """What a caller wants to do to a HOKS; each needs the staff role of the same name."""

    READ = "read"
    WRITE = "write"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    role: str | None = None
    organisation_oid: str | None = None
    status: int = 200
    code: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def allow(cls, role: str | None, organisation_oid: str | None = None) -> Decision:
        return cls(allowed=True, role=role, organisation_oid=organisation_oid)

    @classmethod
    def refuse(
        cls,
        status: int,
        code: str,
        *,
        role: str | None = None,
        organisation_oid: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> Decision:
        return cls(
            allowed=False,
            role=role,
            organisation_oid=organisation_oid,
            status=status,
            code=code,
            params=dict(params or {}),
        )

    def enforce(self) -> None:
        """Raise the refusal as the service's error (nothing when allowed)."""
        if not self.allowed:
            raise ApiError(self.status, self.code, params=dict(self.params))


@dataclass(frozen=True, slots=True)
class Ownership:
    """Whose a HOKS is: its study right, the organisations that own it, and its student."""

    study_right_oid: str
    owners: Owners
    oppija_oid: str

    @classmethod
    def of(
        cls,
        study_right_oid: str,
        oppilaitos_oid: str | None,
        koulutustoimija_oid: str | None,
        oppija_oid: str,
    ) -> Ownership:
        return cls(study_right_oid, Owners(oppilaitos_oid, koulutustoimija_oid), oppija_oid)


@dataclass(frozen=True, slots=True)
class HoksScope:
    """The HOKS (or study rights) a caller may list, as a filter any query can apply.

    A row is in scope when its owners fall in `owned_by`, when it contains procured training
    owned in `procured_by`, or when its student is one of `oppija_oids`. An empty scope (all None)
    lists nothing. The single-read decisions of `Access` apply exactly the same sets.
    """

    owned_by: OrganisationSet | None = None
    procured_by: OrganisationSet | None = None
    oppija_oids: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """A workplace period as its responsible instructor's access sees it."""

    instructor_email: str | None
    alku: date
    loppu: date


@dataclass(frozen=True, slots=True)
class PeriodScope:
    """The workplace periods an instructor may list: theirs, visible in the window."""

    instructor_email: str
    starts_by: date
    ends_from: date


@dataclass(frozen=True, slots=True)
class VisibilityWindow:
    """Which periods an instructor sees on `today`: from `days_before` days before a period starts
    until `days_after` days after it ends (Finnish dates, both ends included)."""

    today: date
    days_before: int
    days_after: int

    @property
    def starts_by(self) -> date:
        return date.fromordinal(self.today.toordinal() + self.days_before)

    @property
    def ends_from(self) -> date:
        return date.fromordinal(self.today.toordinal() - self.days_after)

    def shows(self, alku: date, loppu: date) -> bool:
        return alku <= self.starts_by and loppu >= self.ends_from

    def visible_until(self, loppu: date) -> date:
        """The last day the instructor sees a period ending on `loppu`."""
        return date.fromordinal(loppu.toordinal() + self.days_after)
