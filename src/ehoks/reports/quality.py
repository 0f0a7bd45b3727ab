"""Data-quality rules: what feedback and funding need of workplace periods before it is too late,
and what a plan itself lacks. The one list of rule codes and their texts: the staff reports and
the provider systems' alerts (`ehoks.reports.alerts`) both read it.

A workplace period's feedback (TEP) survey goes to the responsible instructor's e-mail address
and names the workplace by its Y-tunnus; funding counts its days weighted by the part-time share;
and the provider's system and eHOKS match a period by its identifier (`yksiloiva-tunniste`). A
period lacking one of these when it ends is lost to feedback or funding, so each lack is a rule
with a stable code, checked on the workplace-period projection's row (`WorkplacePeriod`).

The validator refuses most of these lacks in new writes; the rules find plans stored before those
checks existed, or sent before the period's data was known. The codes are part of the service's
contract (the staff report shows them, and alerts reuse them): add rules, never rename one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from ehoks.kit.translations import N_


class PeriodFacts(Protocol):
    """What a rule reads of a period: the projection row's columns it needs."""

    @property
    def instructor_email(self) -> str | None: ...
    @property
    def yksiloiva_tunniste(self) -> str | None: ...
    @property
    def summary(self) -> dict[str, Any]: ...


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    description: str  # English; the catalogues translate it
    broken: Callable[[PeriodFacts], bool]


_Y_TUNNUS: Final = re.compile(r"^(\d{7})-(\d)$")
_Y_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2)


def valid_y_tunnus(value: str) -> bool:
    """A Finnish business ID (1234567-8) whose check digit is right."""
    match = _Y_TUNNUS.match(value.strip())
    if match is None:
        return False
    remainder = sum(int(d) * w for d, w in zip(match.group(1), _Y_WEIGHTS, strict=True)) % 11
    if remainder == 1:
        return False
    return int(match.group(2)) == (0 if remainder == 0 else 11 - remainder)


def _workplace(facts: PeriodFacts) -> Mapping[str, Any]:
    workplace = (facts.summary or {}).get("tyopaikalla-jarjestettava-koulutus")
    return workplace if isinstance(workplace, Mapping) else {}


def _y_tunnus(facts: PeriodFacts) -> str:
    value = _workplace(facts).get("tyopaikan-y-tunnus")
    return value.strip() if isinstance(value, str) else ""


RULES: Final = (
    Rule(
        "instructor_email_missing",
        N_("The responsible workplace instructor has no e-mail address."),
        lambda facts: not facts.instructor_email,
    ),
    Rule(
        "y_tunnus_missing",
        N_("The workplace has no Y-tunnus (business ID)."),
        lambda facts: not _y_tunnus(facts),
    ),
    Rule(
        "y_tunnus_invalid",
        N_("The workplace's Y-tunnus is not a valid business ID."),
        lambda facts: bool(_y_tunnus(facts)) and not valid_y_tunnus(_y_tunnus(facts)),
    ),
    Rule(
        "part_time_missing",
        N_("The period has no part-time share."),
        lambda facts: (facts.summary or {}).get("osa-aikaisuustieto") is None,
    ),
    Rule(
        "period_identifier_missing",
        N_("The period has no identifier (yksiloiva-tunniste)."),
        lambda facts: not (facts.yksiloiva_tunniste or "").strip(),
    ),
)
RULES_BY_CODE: Final = {rule.code: rule for rule in RULES}


@dataclass(frozen=True, slots=True)
class PlanRule:
    """A rule about a plan as a whole, checked by a query (`ehoks.reports.repository`)."""

    code: str
    description: str  # English; the catalogues translate it


APPROVAL_DATE_MISSING: Final = PlanRule(
    "approval_date_missing",
    N_("The plan has no date of first approval (ensikertainen-hyvaksyminen)."),
)
STUDY_RIGHT_ENDED_PLAN_OPEN: Final = PlanRule(
    "study_right_ended_plan_open",
    N_(
        "The study right has ended, but the plan has no date when the competence was reached "
        "(osaamisen-saavuttamisen-pvm)."
    ),
)
PLAN_RULES: Final = (APPROVAL_DATE_MISSING, STUDY_RIGHT_ENDED_PLAN_OPEN)
# Every rule's English text by its code: periods' and plans' alike.
DESCRIPTIONS: Final = {rule.code: rule.description for rule in (*RULES, *PLAN_RULES)}


def problems(facts: PeriodFacts) -> list[str]:
    """The codes of the rules the period breaks, in the order of `RULES`."""
    return [rule.code for rule in RULES if rule.broken(facts)]
