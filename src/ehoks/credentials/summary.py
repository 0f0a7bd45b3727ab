"""The competence summary: what a plan shows of competence already reached, in one language.

It holds the qualification, the units completed (by the plan's own rule, `planview.progress`)
or recognised as prior competence, each with its date and how it was shown, and the workplace
periods (employer, key tasks, dates). The PDF and the signed credential are both made from it,
so the two never say different things. It names the student but holds no identity code and no
contact details: it is made to be handed to an employer or another school.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from ehoks.kit.formatting import as_date, format_date, localised, organisation_name
from ehoks.kit.i18n import Lang
from ehoks.kit.translations import N_, translator
from ehoks.planview.plan import PRIOR_LISTS, STUDY_LISTS, StudyRightFacts
from ehoks.planview.progress import DEMONSTRATIONS, PERIODS, Status, unit_status
from ehoks.planview.values import Names, name_of, span_text

RECOGNISED_DEMONSTRATIONS: Final = "tarkentavat-tiedot-naytto"
WORKPLACE: Final = "tyopaikalla-jarjestettava-koulutus"
UNIT_CODE_KEYS: Final = ("tutkinnon-osa-koodi-uri", "osa-alue-koodi-uri")
COMPLETED: Final = N_("Completed")
RECOGNISED: Final = N_("Recognised prior competence")


@dataclass(frozen=True, slots=True)
class ShownBy:
    """One way a unit's competence was shown: a demonstration, or the recognition process."""

    text: str  # "Demonstration: Testiympäristö 2, 10.3.2019 – 19.3.2019"


@dataclass(frozen=True, slots=True)
class UnitReached:
    name: str
    code: str  # the unit's koodi-URI; "" for a local unit
    how: str  # "Completed" or "Recognised prior competence", in the summary's language
    recognised: bool
    reached_on: date | None
    reached_text: str
    shown: list[str]


@dataclass(frozen=True, slots=True)
class WorkplacePeriod:
    employer: str
    unit: str
    tasks: list[str]
    start: date | None
    end: date | None
    dates: str


@dataclass(frozen=True, slots=True)
class CompetenceSummary:
    lang: Lang
    student: str
    qualification: str
    competence_area: str
    institution: str
    institution_oid: str = ""
    units: list[UnitReached] = field(default_factory=list)
    periods: list[WorkplacePeriod] = field(default_factory=list)
    made_on: date | None = None


def competence_summary(
    document: Mapping[str, Any],
    names: Names,
    facts: StudyRightFacts,
    *,
    student: str,
    lang: Lang,
    today: date,
) -> CompetenceSummary:
    """The summary of `document` (a stored HOKS) in `lang`, as it stands on `today`."""
    units = [
        _completed(unit, names, lang)
        for unit in _units(document, STUDY_LISTS)
        if unit_status(unit, today) is Status.COMPLETED
    ]
    units += [_recognised(unit, names, lang) for unit in _units(document, PRIOR_LISTS)]
    periods = [
        _workplace_period(unit, period, names, lang)
        for unit in _units(document, STUDY_LISTS)
        for period in _records(unit, PERIODS)
        if isinstance(period.get(WORKPLACE), Mapping)
    ]
    periods.sort(key=lambda period: (period.start or date.max, period.employer))
    return CompetenceSummary(
        lang=lang,
        student=student,
        qualification=localised(facts.qualification, lang, ""),
        competence_area=localised(facts.competence_area, lang, ""),
        institution=organisation_name(
            names.get(facts.institution_oid or ""), facts.institution_oid or "", lang
        ),
        institution_oid=facts.institution_oid or "",
        units=units,
        periods=periods,
        made_on=today,
    )


def unit_name(unit: Mapping[str, Any], names: Names, lang: Lang) -> str:
    """A unit's name: a local unit's own, else its code's name in `lang`."""
    own = str(unit.get("nimi") or "").strip()
    return own or name_of(_code(unit), names, lang)


def _code(unit: Mapping[str, Any]) -> str:
    return next((str(unit[key]) for key in UNIT_CODE_KEYS if unit.get(key)), "")


def _units(document: Mapping[str, Any], lists: tuple[str, ...]) -> Iterator[Mapping[str, Any]]:
    for key in lists:
        yield from (unit for unit in document.get(key) or [] if isinstance(unit, Mapping))


def _records(unit: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    """`key` records of the unit and of its sub-areas (a common unit keeps them there)."""
    parts = [unit, *(a for a in unit.get("osa-alueet") or [] if isinstance(a, Mapping))]
    return [r for part in parts for r in part.get(key) or [] if isinstance(r, Mapping)]


def _completed(unit: Mapping[str, Any], names: Names, lang: Lang) -> UnitReached:
    demonstrations = _records(unit, DEMONSTRATIONS)
    reached = _latest(as_date(d.get("loppu")) for d in demonstrations)
    return UnitReached(
        name=unit_name(unit, names, lang),
        code=_code(unit),
        how=translator(lang).gettext(COMPLETED),
        recognised=False,
        reached_on=reached,
        reached_text=format_date(reached, lang) if reached else "",
        shown=[_demonstration(d, lang) for d in demonstrations],
    )


def _recognised(unit: Mapping[str, Any], names: Names, lang: Lang) -> UnitReached:
    texts = translator(lang)
    demonstrations = _records(unit, RECOGNISED_DEMONSTRATIONS)
    assessment = unit.get("tarkentavat-tiedot-osaamisen-arvioija")
    sent = (
        as_date(assessment.get("lahetetty-arvioitavaksi"))
        if isinstance(assessment, Mapping)
        else None
    )
    reached = _latest([sent, *(as_date(d.get("loppu")) for d in demonstrations)])
    shown = []
    process = str(unit.get("valittu-todentamisen-prosessi-koodi-uri") or "")
    if process:
        shown.append(
            texts.gettext("Recognised by: {process}", process=name_of(process, names, lang))
        )
    shown += [_demonstration(d, lang) for d in demonstrations]
    return UnitReached(
        name=unit_name(unit, names, lang),
        code=_code(unit),
        how=texts.gettext(RECOGNISED),
        recognised=True,
        reached_on=reached,
        reached_text=format_date(reached, lang) if reached else "",
        shown=shown,
    )


def _demonstration(record: Mapping[str, Any], lang: Lang) -> str:
    texts = translator(lang)
    place = record.get("nayttoymparisto")
    where = str(place.get("nimi") or "") if isinstance(place, Mapping) else ""
    dates = span_text(record.get("alku"), record.get("loppu"), lang)
    details = ", ".join(part for part in (where, dates) if part)
    label = texts.gettext("Demonstration")
    return f"{label}: {details}" if details else label


def _workplace_period(
    unit: Mapping[str, Any], period: Mapping[str, Any], names: Names, lang: Lang
) -> WorkplacePeriod:
    workplace: Mapping[str, Any] = period[WORKPLACE]
    tasks = [str(t) for t in workplace.get("keskeiset-tyotehtavat") or [] if str(t).strip()]
    return WorkplacePeriod(
        employer=str(workplace.get("tyopaikan-nimi") or ""),
        unit=unit_name(unit, names, lang),
        tasks=tasks,
        start=as_date(period.get("alku")),
        end=as_date(period.get("loppu")),
        dates=span_text(period.get("alku"), period.get("loppu"), lang),
    )


def _latest(dates: Any) -> date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None
