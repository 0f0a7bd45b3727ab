"""The students page's question and answer: filters, order and page, and one row per plan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet

PAGE_SIZE: Final = 20
MAX_PAGE_SIZE: Final = 100
MAX_PAGE: Final = 100_000


class StudyRightState(StrEnum):
    ANY = ""
    ACTIVE = "active"
    ENDED = "ended"


class Approval(StrEnum):
    ANY = ""
    APPROVED = "yes"
    NOT_APPROVED = "no"


class Order(StrEnum):
    NAME = "name"
    NAME_DESC = "name-desc"
    START = "start"
    START_DESC = "start-desc"


# Koski's final states of a study right (opiskeluoikeudentila): the study right has ended.
ENDED_STATES: Final = frozenset(
    {"valmistunut", "eronnut", "katsotaaneronneeksi", "peruutettu", "mitatoity"}
)


@dataclass(frozen=True, slots=True)
class StudentQuery:
    """What the member asked for; `within` and `scope` are added by the service."""

    name: str = ""
    qualification: str = ""
    state: StudyRightState = StudyRightState.ANY
    approval: Approval = Approval.ANY
    order: Order = Order.NAME
    page: int = 1  # 1-based
    size: int = PAGE_SIZE
    lang: str = "fi"
    today: date | None = None
    within: OrganisationSet | None = None
    scope: HoksScope = field(default_factory=HoksScope)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def params(self) -> dict[str, str]:
        """The query string of this search (what the member chose; defaults left out)."""
        given = {
            "nimi": self.name,
            "tutkinto": self.qualification,
            "opiskeluoikeus": self.state.value,
            "hyvaksytty": self.approval.value,
            "jarjestys": "" if self.order is Order.NAME else self.order.value,
            "koko": "" if self.size == PAGE_SIZE else str(self.size),
        }
        return {key: value for key, value in given.items() if value}


@dataclass(frozen=True, slots=True)
class StudentListRow:
    oppija_oid: str
    first_names: str | None
    last_name: str | None
    hoks_id: int
    opiskeluoikeus_oid: str
    tutkinto_nimi: dict[str, Any] | None
    osaamisala_nimi: dict[str, Any] | None
    started: date | None
    ended: date | None
    state: str | None
    approved: date | None

    @property
    def name(self) -> str:
        """ "Surname, First names", as a list sorted by surname reads best."""
        return ", ".join(part for part in (self.last_name, self.first_names) if part) or "–"

    def has_ended(self, today: date) -> bool:
        return (self.ended is not None and self.ended <= today) or self.state in ENDED_STATES


@dataclass(frozen=True, slots=True)
class StudentPage:
    rows: list[StudentListRow]
    total: int  # with `more`: the count stopped here, and there are more matches than this
    query: StudentQuery
    more: bool = False

    @property
    def pages(self) -> int:
        """The pages the count reaches (with `more`, there are pages beyond them)."""
        return max(1, -(-self.total // self.query.size))

    @property
    def has_next(self) -> bool:
        return self.more or self.query.page < self.pages


@dataclass(frozen=True, slots=True)
class DeletedPlan:
    hoks_id: int
    oppija_oid: str
    student: str
    qualification: dict[str, Any] | None
    deleted: datetime
