"""The rows of the reports, as pages show them and CSV files hold them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Generic, TypeVar

PAGE_SIZE: Final = 50
Row = TypeVar("Row")


@dataclass(frozen=True, slots=True)
class Student:
    oppija_oid: str
    first_names: str | None
    last_name: str | None

    @property
    def name(self) -> str:
        return ", ".join(part for part in (self.last_name, self.first_names) if part) or "–"


@dataclass(frozen=True, slots=True)
class StudyRightRow:
    """A plan whose study right is missing from the registry or has ended."""

    hoks_id: int
    student: Student
    opiskeluoikeus_oid: str
    oppilaitos_oid: str | None
    missing: bool
    ended: date | None
    state: str | None


@dataclass(frozen=True, slots=True)
class WithoutPlanRow:
    """An active study right with no live plan."""

    student: Student
    opiskeluoikeus_oid: str
    started: date | None
    qualification: dict[str, Any]
    oppilaitos_oid: str | None
    deleted_plan: int | None  # its plan, deleted: to be restored, since it keeps the study right

    def days_waited(self, today: date) -> int | None:
        """Days since the study right began (None before it begins)."""
        if self.started is None or self.started > today:
            return None
        return (today - self.started).days


@dataclass(frozen=True, slots=True)
class PeriodRow:
    """A workplace period with what the reports show of it."""

    hoks_id: int
    student: Student
    alku: date
    loppu: date
    workplace: str | None
    y_tunnus: str | None
    instructor_name: str | None
    instructor_email: str | None
    part_time: Any
    yksiloiva_tunniste: str | None
    summary: dict[str, Any]
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Report(Generic[Row]):
    rows: list[Row]
    total: int
    page: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))
