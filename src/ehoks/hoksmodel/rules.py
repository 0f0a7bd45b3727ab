"""Cross-field rules of the national model (§5.1, 5.2, 5.3 and 5.6 of the reference).

They run only on records whose own fields are all valid, so every value they read has already
been type-checked and canonicalised.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import TYPE_CHECKING, Any, Final
from uuid import uuid4

from ehoks.hoksmodel.spec import PART_LISTS, UNIT_LISTS
from ehoks.hoksmodel.types import Method, Variant
from ehoks.kit.errors import pointer

if TYPE_CHECKING:
    from ehoks.hoksmodel.context import Ctx

APPRENTICESHIP: Final = "osaamisenhankkimistapa_oppisopimus"
WORKPLACE_CODES: Final = frozenset({"osaamisenhankkimistapa_koulutussopimus", APPRENTICESHIP})
# Rule dates of §5.1 (each "after" is strict unless noted).
PART_TIME_AFTER: Final = date(2023, 6, 30)
BUSINESS_ID_AFTER: Final = date(2021, 8, 25)
BASIS_FROM: Final = date(2021, 7, 1)  # inclusive
MAX_PERIOD_YEARS: Final = 5
PART_TIME_MIN: Final = 1
PART_TIME_MAX: Final = 100
ALLOWED_STUDY_RIGHT_TYPES: Final = frozenset({"ammatillinenkoulutus", "tuva"})
SUPPORT_TYPE_PREFIX: Final = "ammatillinenkoulutusoppimisentuentyyppi_"
REMEDIAL_TEACHING: Final = "01"
OTHER_SUPPORT: Final = frozenset({"02", "03"})
REMEDIAL_FIELDS: Final = ("alku", "loppu", "tutkinnon-osan-tyyppi-koodi-uri")
OTO_LIST: Final = "opiskeluvalmiuksia-tukevat-opinnot"
TRAINING_PART_LIST: Final = PART_LISTS[8]


def add_years(day: date, years: int) -> date | None:
    """Calendar arithmetic: 29 February plus whole years lands on 28 February. None past 9999."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        try:
            return day.replace(year=day.year + years, day=28)
        except ValueError:
            return None


def check_period(period: dict[str, Any], path: str, ctx: Ctx) -> None:
    """§5.1 rules a-h for one osaamisen hankkimistapa; only the first failure is reported."""
    if ctx.variant is Variant.STAFF and "yksiloiva-tunniste" not in period:
        period["yksiloiva-tunniste"] = str(uuid4())
    failure = _first_period_failure(period, ctx)
    if failure is not None:
        code, where, params = failure
        ctx.add(code, path + where, params)


def _first_period_failure(  # noqa: PLR0911 - one branch per national rule, in order
    period: dict[str, Any], ctx: Ctx
) -> tuple[str, str, dict[str, Any]] | None:
    code = period["osaamisen-hankkimistapa-koodi-uri"]
    workplace = code in WORKPLACE_CODES
    alku = date.fromisoformat(period["alku"])
    loppu = date.fromisoformat(period["loppu"])
    facts = ctx.study_right
    if (
        workplace
        and facts is not None
        and loppu > PART_TIME_AFTER
        and facts.in_feedback_target_group
        and not PART_TIME_MIN <= period.get("osa-aikaisuustieto", 0) <= PART_TIME_MAX
    ):
        return (
            "part_time_required",
            "/osa-aikaisuustieto",
            {"min": PART_TIME_MIN, "max": PART_TIME_MAX},
        )
    if workplace and ctx.variant is Variant.SERVICE and "yksiloiva-tunniste" not in period:
        return "period_identifier_required", "/yksiloiva-tunniste", {}
    workplace_details = period.get("tyopaikalla-jarjestettava-koulutus")
    if (
        workplace
        and loppu > BUSINESS_ID_AFTER
        and workplace_details is not None
        and "tyopaikan-y-tunnus" not in workplace_details
    ):
        where = "/tyopaikalla-jarjestettava-koulutus/tyopaikan-y-tunnus"
        return "workplace_business_id_required", where, {"after": BUSINESS_ID_AFTER.isoformat()}
    if (
        code == APPRENTICESHIP
        and loppu >= BASIS_FROM
        and "oppisopimuksen-perusta-koodi-uri" not in period
    ):
        return (
            "apprenticeship_basis_required",
            "/oppisopimuksen-perusta-koodi-uri",
            {"since": BASIS_FROM.isoformat()},
        )
    if loppu < alku:
        return "period_dates_reversed", "/loppu", {"alku": alku.isoformat()}
    exempt = facts is None or facts.counts_as_resigned
    if (
        not exempt
        and facts is not None
        and facts.alkamispaiva is not None
        and alku < facts.alkamispaiva
    ):
        return (
            "period_starts_before_study_right",
            "/alku",
            {"alkamispaiva": facts.alkamispaiva.isoformat()},
        )
    ends = None if exempt or facts is None else facts.arvioitu_paattymispaiva
    if ends is not None and loppu > ends:
        return (
            "period_ends_after_study_right",
            "/loppu",
            {"arvioitu_paattymispaiva": ends.isoformat()},
        )
    latest = add_years(alku, MAX_PERIOD_YEARS)
    if latest is not None and loppu > latest:
        return (
            "period_too_long",
            "/loppu",
            {"years": MAX_PERIOD_YEARS, "latest": latest.isoformat()},
        )
    return None


def check_interruptions(items: list[Any], path: str, ctx: Ctx) -> None:
    """§5.2: sorted by alku, each interruption must end strictly before the next one starts."""
    ordered = sorted(items, key=lambda item: item["alku"])
    for earlier, later in itertools.pairwise(ordered):
        end = earlier.get("loppu")
        if end is None or end >= later["alku"]:
            ctx.add("interruptions_overlap", path)
            return


def check_learning_support(support: dict[str, Any], path: str, ctx: Ctx) -> None:
    """§5.6: remedial teaching (_01) has dates and unit type; _02 and _03 have none of them."""
    kind = support["oppimisen-tuen-tyyppi-koodi-uri"].removeprefix(SUPPORT_TYPE_PREFIX)
    present = [key in support for key in REMEDIAL_FIELDS]
    if kind == REMEDIAL_TEACHING and all(present):
        return
    if kind in OTHER_SUPPORT and not any(present):
        return
    ctx.add("learning_support_shape", path)


def check_study_right(body: dict[str, Any], ctx: Ctx) -> None:
    """§5.3: study-right type and the TUVA rules, element by element."""
    facts = ctx.study_right
    if facts is None:
        return
    if "opiskeluoikeus-oid" in body and facts.tyyppi not in ALLOWED_STUDY_RIGHT_TYPES:
        ctx.add("study_right_type_not_allowed", "/opiskeluoikeus-oid", {"tyyppi": facts.tyyppi})
    if facts.is_tuva and "tuva-opiskeluoikeus-oid" in body:
        ctx.add("tuva_study_right_not_allowed", "/tuva-opiskeluoikeus-oid")
    if ctx.method is Method.PATCH:
        return  # part lists are not allowed in PATCH at all
    if facts.is_tuva:
        for key in UNIT_LISTS:
            _reject_elements(body, key, "unit_not_allowed_on_tuva", ctx)
        _reject_elements(body, OTO_LIST, "supporting_studies_not_allowed_on_tuva", ctx)
    else:
        _reject_elements(body, TRAINING_PART_LIST, "training_part_requires_tuva", ctx)


def _reject_elements(body: dict[str, Any], key: str, code: str, ctx: Ctx) -> None:
    items = body.get(key)
    if isinstance(items, list):
        for index in range(len(items)):
            ctx.add(code, pointer(key, index))
