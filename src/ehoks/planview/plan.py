"""A whole plan as the sections a person scans: goals, prior competence, study plan, support,
preparatory training, and what is coming in the next 30 days.

`plan_view` is what every page that shows a plan uses (the student's, the staff's, the history
pages); `templates/macros/plan.html` shows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from ehoks.kit.formatting import localised, organisation_name
from ehoks.kit.i18n import Lang
from ehoks.kit.translations import N_, translator
from ehoks.planview.build import Builder, Entry, Group, Row
from ehoks.planview.progress import STATUS_LABELS, Status, coming, unit_status
from ehoks.planview.values import Names, span_text

PRIOR_LISTS: Final = (
    "aiemmin-hankitut-ammat-tutkinnon-osat",
    "aiemmin-hankitut-paikalliset-tutkinnon-osat",
    "aiemmin-hankitut-yhteiset-tutkinnon-osat",
)
STUDY_LISTS: Final = (
    "hankittavat-ammat-tutkinnon-osat",
    "hankittavat-paikalliset-tutkinnon-osat",
    "hankittavat-yhteiset-tutkinnon-osat",
)
SUPPORT_LISTS: Final = ("oppimisen-tuki", "opiskeluvalmiuksia-tukevat-opinnot")
TUVA_LISTS: Final = ("hankittavat-koulutuksen-osat",)
GOAL_KEYS: Final = (
    "urasuunnitelma-koodi-uri",
    "ensikertainen-hyvaksyminen",
    "hyvaksytty",
    "paivitetty",
    "osaamisen-saavuttamisen-pvm",
    "osaamisen-hankkimisen-tarve",
)
CONTACT_KEYS: Final = ("sahkoposti", "puhelinnumero")

SECTION_TITLES: Final = {
    "goals": N_("Goals and basic details"),
    "prior": N_("Prior competence"),
    "study": N_("Study plan"),
    "support": N_("Learning support"),
    "tuva": N_("Preparatory training (TUVA)"),
    "coming": N_("Coming in the next 30 days"),
}
SECTION_EMPTY: Final = {
    "prior": N_("No earlier competence has been recognised in this plan."),
    "study": N_("No units to study have been entered in this plan yet."),
    "support": N_("No learning support or supporting studies are recorded in this plan."),
    "tuva": N_("No preparatory training parts are recorded in this plan."),
    "coming": N_("Nothing starts in the next 30 days."),
}


@dataclass(frozen=True, slots=True)
class StudyRightFacts:
    """What the registry knows of the plan's study right, for the plan's heading and cards."""

    qualification: Mapping[str, str] | None = None
    competence_area: Mapping[str, str] | None = None
    institution_oid: str | None = None
    started: date | None = None
    ended: date | None = None


@dataclass(frozen=True, slots=True)
class ComingItem:
    kind: str
    unit: str
    title: str
    dates: str
    start: date
    anchor: str


@dataclass(frozen=True, slots=True)
class Progress:
    counts: dict[str, int]  # status value -> units
    total: int
    summary: str  # "1 of 5 units completed, 3 scheduled, 1 planned"


@dataclass(slots=True)
class Section:
    id: str
    title: str
    rows: list[Row] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    empty: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.rows and not any(g.entries for g in self.groups)


@dataclass(slots=True)
class PlanView:
    title: str
    institution: str
    competence_area: str
    sections: list[Section]
    progress: Progress
    coming: list[ComingItem]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)


def plan_view(
    document: Mapping[str, Any],
    names: Names,
    lang: Lang,
    today: date,
    facts: StudyRightFacts | None = None,
) -> PlanView:
    """Every non-empty part of `document` (a stored HOKS) labelled in `lang`."""
    texts = translator(lang)
    facts = facts or StudyRightFacts()
    builder = Builder(names, lang)
    qualification = localised(facts.qualification, lang, "")
    area = localised(facts.competence_area, lang, "")
    oid = facts.institution_oid or ""
    institution = organisation_name(names.get(oid), oid, lang)

    def section(section_id: str, lists: tuple[str, ...]) -> Section:
        groups = [builder.group("HOKS", key, document.get(key)) for key in lists]
        found = Section(
            section_id,
            texts.gettext(SECTION_TITLES[section_id]),
            groups=[g for g in groups if g is not None],
        )
        found.empty = texts.gettext(SECTION_EMPTY[section_id])
        return found

    goals = Section("goals", texts.gettext(SECTION_TITLES["goals"]))
    own = [(N_("Qualification"), qualification), (N_("Competence area"), area)]
    goals.rows = [Row(key, texts.gettext(label), value) for key, label, value in _facts_rows(own)]
    goals.rows += builder.rows("HOKS", document, GOAL_KEYS)
    goals.rows += builder.rows("HOKS", document, CONTACT_KEYS)
    prior = section("prior", PRIOR_LISTS)
    study = section("study", STUDY_LISTS)
    progress = _progress(study, document, today, lang)
    sections = [goals, prior, study, section("support", SUPPORT_LISTS)]
    tuva = section("tuva", TUVA_LISTS)
    if not tuva.is_empty:
        sections.append(tuva)
    units = [u for key in STUDY_LISTS for u in document.get(key) or [] if isinstance(u, Mapping)]
    upcoming = [_coming(builder, unit, kind, record) for unit, kind, record in coming(units, today)]
    sections.append(Section("coming", texts.gettext(SECTION_TITLES["coming"])))
    sections[-1].empty = "" if upcoming else texts.gettext(SECTION_EMPTY["coming"])
    return PlanView(
        title=qualification or texts.gettext("Personal competence development plan"),
        institution=institution,
        competence_area=area,
        sections=sections,
        progress=progress,
        coming=upcoming,
    )


def _facts_rows(rows: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    keys = ("qualification", "competence-area")
    return [(key, label, value) for key, (label, value) in zip(keys, rows, strict=True) if value]


def _progress(study: Section, document: Mapping[str, Any], today: date, lang: Lang) -> Progress:
    texts = translator(lang)
    counts = {status.value: 0 for status in Status}
    for group in study.groups:
        units = [u for u in document.get(group.key) or [] if isinstance(u, Mapping)]
        for entry, unit in zip(group.entries, units, strict=False):
            status = unit_status(unit, today)
            entry.status = (status.value, texts.gettext(STATUS_LABELS[status]))
            counts[status.value] += 1
    total = sum(counts.values())
    summary = texts.ngettext(
        "{completed} of {n} unit completed, {scheduled} scheduled, {planned} planned",
        "{completed} of {n} units completed, {scheduled} scheduled, {planned} planned",
        total,
        completed=counts[Status.COMPLETED.value],
        scheduled=counts[Status.SCHEDULED.value],
        planned=counts[Status.PLANNED.value],
    )
    return Progress(counts, total, summary)


def _coming(
    builder: Builder, unit: Mapping[str, Any], kind: str, record: Mapping[str, Any]
) -> ComingItem:
    texts = translator(builder.lang)
    unit_name = str(unit.get("nimi") or "") or builder.code_name(
        str(unit.get("tutkinnon-osa-koodi-uri") or "")
    )
    if kind == "period":
        label = texts.gettext("Learning period")
        title = builder.code_name(str(record.get("osaamisen-hankkimistapa-koodi-uri") or ""))
        place = (record.get("tyopaikalla-jarjestettava-koulutus") or {}).get("tyopaikan-nimi")
        title = f"{title}: {place}" if place else title
    else:
        label = texts.gettext("Demonstration")
        title = str((record.get("nayttoymparisto") or {}).get("nimi") or label)
    start = record.get("alku")
    return ComingItem(
        kind=label,
        unit=unit_name,
        title=title,
        dates=span_text(start, record.get("loppu"), builder.lang),
        start=date.fromisoformat(str(start)[:10]),
        anchor=builder.anchors.get(id(record), ""),
    )


__all__ = ["ComingItem", "Entry", "PlanView", "Progress", "Section", "StudyRightFacts", "plan_view"]
