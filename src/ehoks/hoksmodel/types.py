"""The public value types of the HOKS model package."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from ehoks.kit.errors import Violation, Violations


class Method(StrEnum):
    """The request method whose field presence applies."""

    POST = "post"
    PUT = "put"
    PATCH = "patch"


class Variant(StrEnum):
    """Which API the document came through.

    The staff ("virkailija") variant does not require `yksiloiva-tunniste` on a workplace period;
    it fills a random UUID string into every osaamisen hankkimistapa that lacks one.
    """

    SERVICE = "service"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class StudyRightFacts:
    """What the validator needs to know of the Koski study right (opiskeluoikeus)."""

    oid: str
    tyyppi: str
    alkamispaiva: date | None
    arvioitu_paattymispaiva: date | None
    latest_tila: str | None
    suoritus_tyypit: frozenset[str] = frozenset()

    @property
    def is_tuva(self) -> bool:
        return self.tyyppi == "tuva"

    @property
    def counts_as_resigned(self) -> bool:
        """True when the latest tila is set and is not an active or finished one.

        National rule: such study rights skip the period-within-study-right date checks.
        """
        return self.latest_tila is not None and self.latest_tila not in _ACTIVE_OR_DONE

    @property
    def in_feedback_target_group(self) -> bool:
        """TELMA study rights are outside the workplace-feedback target group."""
        return not (self.suoritus_tyypit & _TELMA)


_ACTIVE_OR_DONE = frozenset({"valmistunut", "lasna", "valiaikaisestikeskeytynyt"})
_TELMA = frozenset({"telma", "telmakoulutuksenosa"})


@dataclass(slots=True)
class ValidationResult:
    """The canonical document when valid (else None), the first violations found (at most
    `MAX_VIOLATIONS`), and how many there were."""

    document: dict[str, Any] | None
    violations: list[Violation] = field(default_factory=list)
    violation_count: int = 0

    def found(self) -> Violations:
        """The violations, to add more to."""
        return Violations(self.violations, total=self.violation_count)

    @property
    def ok(self) -> bool:
        return not self.violations
