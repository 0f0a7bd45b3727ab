"""The national feedback rules (ehoks-api.md 5.7) as plain functions of dates and documents.

Nothing here reads the database: the decision (`initiation`) and the worker (`handling`) give
these functions what they found, so each rule is tested on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final


class Kind(StrEnum):
    """kyselytyyppi, as the national service names them."""

    START = "aloittaneet"
    COMPLETED = "valmistuneet"
    UNITS_COMPLETED = "osia_suorittaneet"
    WORKPLACE = "tyopaikkajakson_suorittaneet"


class State(StrEnum):
    """palautetila, as the national service names them."""

    PENDING = "odottaa_kasittelya"
    NOT_SENT = "ei_laheteta"
    SURVEY_CREATED = "kysely_muodostettu"
    TUNNUS_CREATED = "vastaajatunnus_muodostettu"
    SENT = "lahetetty"
    SENDING_FAILED = "lahetys_epaonnistunut"
    ANSWERED = "vastattu"
    EXPIRED = "vastausaika_loppunut"


# States a new plan write may still change; anything later is the worker's.
OPEN_TO_DECISION: Final = frozenset({State.PENDING, State.NOT_SENT})
# Herätepalvelu's names of the student kinds (resend-palaute speaks them).
HERATEPALVELU_NAMES: Final = {
    "aloittaneet": Kind.START,
    "tutkinnon_suorittaneet": Kind.COMPLETED,
    "tutkinnon_osia_suorittaneet": Kind.UNITS_COMPLETED,
}
VOCATIONAL_SUORITUS: Final = {
    "ammatillinentutkinto": Kind.COMPLETED,
    "ammatillinentutkintoosittainen": Kind.UNITS_COMPLETED,
    "ammatillinentutkintoosittainenuseastatutkinnosta": Kind.UNITS_COMPLETED,
}
TERMINAL_TILAT: Final = frozenset(
    {"eronnut", "katsotaaneronneeksi", "mitatoity", "peruutettu", "valiaikaisestikeskeytynyt"}
)
# opintojenRahoitus codes whose students are outside the surveys' target group.
EXCLUDED_FUNDING: Final = frozenset({"6", "14", "15"})
WORKPLACE_CODES: Final = frozenset(
    {"osaamisenhankkimistapa_koulutussopimus", "osaamisenhankkimistapa_oppisopimus"}
)
# Periods ending after this date must say their part-time share (osa-aikaisuustieto, 1-100).
PART_TIME_REQUIRED_AFTER: Final = date(2023, 6, 30)


FUNDING_PERIOD_FIRST_MONTH: Final = 7
FULL_TIME: Final = 100
# Made once: making a timedelta costs a microsecond or two, and these rules run for every
# survey a catch-up decides (about a tenth of its deciding time).
_ANSWER_DAYS: Final = timedelta(days=29)
_ANSWER_DAYS_FROM_HERATE: Final = timedelta(days=59)
_INTO_NEXT_MONTH: Final = timedelta(days=32)


def funding_period(day: date) -> int:
    """The funding period (rahoituskausi, 1.7.-30.6.) of `day`, as the year it starts in."""
    return day.year if day.month >= FUNDING_PERIOD_FIRST_MONTH else day.year - 1


def funding_period_start(day: date) -> date:
    return date(funding_period(day), 7, 1)


def answer_window_end(herate: date, start: date) -> date:
    """The last day to answer: 30 days from the start, never past 60 days from the heräte date."""
    return min(start + _ANSWER_DAYS, herate + _ANSWER_DAYS_FROM_HERATE)


def student_window(herate: date, today: date) -> tuple[date, date]:
    start = max(herate, today)
    return start, answer_window_end(herate, start)


def next_first_of_month(day: date) -> date:
    """The next "niputus" date: the 1st of the month after `day` (monthly since 1.7.2025)."""
    first = day.replace(day=1)
    return (first + _INTO_NEXT_MONTH).replace(day=1)


def workplace_window(herate: date) -> tuple[date, date]:
    start = next_first_of_month(herate)
    return start, answer_window_end(herate, start)


@dataclass(frozen=True, slots=True)
class StudyRightFacts:
    """What the target-group rules need of a study right (the local Koski copy)."""

    tyyppi: str
    suoritus_tyypit: list[str]
    contained_in_oid: str | None
    document: dict[str, Any]


def end_survey_kind(study_right: StudyRightFacts | None) -> Kind:
    """valmistuneet or osia_suorittaneet, from the first vocational suoritus (default the first)."""
    for tyyppi in study_right.suoritus_tyypit if study_right else []:
        if tyyppi in VOCATIONAL_SUORITUS:
            return VOCATIONAL_SUORITUS[tyyppi]
    return Kind.COMPLETED


def plan_exclusion(document: dict[str, Any], herate: date, today: date) -> str | None:
    """The rules known from the plan alone (checked when it is saved and again when due)."""
    if document.get("osaamisen-hankkimisen-tarve") is False:
        return "ei_osaamisen_hankkimisen_tarvetta"
    if herate < funding_period_start(today):
        return "rahoituskausi_paattynyt"
    if document.get("hankittavat-koulutuksen-osat") or document.get("tuva-opiskeluoikeus-oid"):
        return "tuva"
    return None


def study_right_exclusion(study_right: StudyRightFacts | None, herate: date) -> str | None:  # noqa: PLR0911 - one return per national rule, in its order
    """The rules about the study right, checked when the survey is due (5.7 rules 4-9)."""
    if study_right is None:
        return "opiskeluoikeus_puuttuu"
    if study_right.tyyppi == "tuva":
        return "tuva"
    if "telma" in study_right.suoritus_tyypit:
        return "telma"
    if not any(t in VOCATIONAL_SUORITUS for t in study_right.suoritus_tyypit):
        return "ei_ammatillista_suoritusta"
    if study_right.contained_in_oid:
        return "sisaltyy_toiseen_opiskeluoikeuteen"
    periods = _tila_periods(study_right.document)
    day_before = herate - timedelta(days=1)
    if all(_tila_on(periods, day)[0] in TERMINAL_TILAT for day in (herate, day_before)):
        return "opiskeluoikeus_paattynyt"
    if _tila_on(periods, herate)[1] in EXCLUDED_FUNDING:
        return "rahoitus"
    return None


def _tila_periods(document: dict[str, Any]) -> list[tuple[date, str, str | None]]:
    tila = document.get("tila")
    found = tila.get("opiskeluoikeusjaksot") if isinstance(tila, dict) else None
    periods = []
    for period in found if isinstance(found, list) else []:
        try:
            start = date.fromisoformat(period["alku"])
            code = str(period["tila"]["koodiarvo"])
        except (KeyError, TypeError, ValueError):
            continue
        funding = period.get("opintojenRahoitus")
        periods.append((start, code, str(funding["koodiarvo"]) if funding else None))
    return sorted(periods)


def _tila_on(
    periods: list[tuple[date, str, str | None]], day: date
) -> tuple[str | None, str | None]:
    """(tila, funding code) in force on `day`."""
    current: tuple[str | None, str | None] = (None, None)
    for start, code, funding in periods:
        if start <= day:
            current = (code, funding)
    return current


def workplace_exclusion(period: dict[str, Any]) -> str | None:
    """The national exclusions of a workplace period, in the national order."""
    workplace = period.get("tyopaikalla-jarjestettava-koulutus") or {}
    instructor = workplace.get("vastuullinen-tyopaikka-ohjaaja") or {}
    # The national rule asks for the instructor; we ask for their address too, which the
    # invitation cannot do without.
    if not instructor.get("nimi") or not instructor.get("sahkoposti"):
        return "ohjaaja_puuttuu"
    if not workplace.get("tyopaikan-nimi"):
        return "tyopaikan_nimi_puuttuu"
    if not workplace.get("tyopaikan-y-tunnus"):
        return "y_tunnus_puuttuu"
    loppu = _date(period.get("loppu"))
    share = period.get("osa-aikaisuustieto")
    if (
        loppu is not None
        and loppu > PART_TIME_REQUIRED_AFTER
        and not (isinstance(share, int) and 1 <= share <= FULL_TIME)
    ):
        return "osa_aikaisuus_puuttuu"
    for pause in period.get("keskeytymisajanjaksot") or []:
        start, end = _date(pause.get("alku")), _date(pause.get("loppu"))
        if loppu and start and start <= loppu and (end is None or end >= loppu):
            return "keskeytynyt"
    return None


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def mail_group_digest(group: str) -> str:
    """The unkeyed form of a workplace e-mail group, as the rows and jobs made before the
    groups were keyed hold it (`feedback.mailgroups`); new rows get `keyed_digest`."""
    return hashlib.sha256(group.encode()).hexdigest()
