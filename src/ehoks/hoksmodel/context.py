"""State shared by one validation run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Final

from ehoks.kit.errors import Violation, Violations

if TYPE_CHECKING:
    from ehoks.hoksmodel.types import Method, StudyRightFacts, Variant

# §5.5: osaamisen-saavuttamisen-pvm must be after this day ...
ACHIEVEMENT_EARLIEST_EXCLUSIVE: Final = date(2018, 1, 1)
# ... and before today plus this many days.
ACHIEVEMENT_DAYS_AHEAD_EXCLUSIVE: Final = 15


class Invalid:
    """Marker returned by a checker for a value that produced a violation."""

    __slots__ = ()


INVALID: Final = Invalid()


@dataclass(slots=True)
class Ctx:
    method: Method
    variant: Variant
    study_right: StudyRightFacts | None
    today: date
    # The first violations found, and how many there were (a hostile body can hold millions).
    errors: Violations

    @property
    def achievement_latest(self) -> date:
        return self.today + timedelta(days=ACHIEVEMENT_DAYS_AHEAD_EXCLUSIVE - 1)

    def add(self, code: str, path: str, params: dict[str, Any] | None = None) -> None:
        self.errors.append(Violation(code, path, params or {}))
