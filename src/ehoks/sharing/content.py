"""What a share link shows, taken out of the plan's current document.

A link shows one of three things the student chose, and nothing else:

* `unit`: one unit to study (a vocational or local unit, or one sub-area of a common unit) with
  its learning periods and demonstrations, or through the national API one period or one
  demonstration of it;
* `prior`: the recognised prior competence;
* `summary`: the plan at a glance (the qualification, each unit with its progress, the units
  recognised earlier).

Never shown, whatever was chosen: identity codes and OIDs (the plan view hides them anyway),
anyone's e-mail address or phone number (the student's own only when the student chose them),
and the parts that tell of a need for special support (`vaatimuksista-tai-tavoitteista-
poikkeaminen`, a demonstration's `yksilolliset-kriteerit`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, Final

from ehoks.kit.formatting import localised, organisation_name
from ehoks.kit.i18n import Lang
from ehoks.kit.translations import translator
from ehoks.planview.build import Builder, Entry, Row
from ehoks.planview.plan import CONTACT_KEYS, PlanView, Section, StudyRightFacts, plan_view
from ehoks.planview.values import Names


class Content(StrEnum):
    UNIT = "unit"
    PRIOR = "prior"
    SUMMARY = "summary"


# Keys left out of every shared part, at any depth.
WITHHELD_KEYS: Final = frozenset(
    {
        "sahkoposti",
        "puhelinnumero",
        "vaatimuksista-tai-tavoitteista-poikkeaminen",
        "yksilolliset-kriteerit",
    }
)
PERIODS: Final = "osaamisen-hankkimistavat"
DEMONSTRATIONS: Final = "osaamisen-osoittaminen"
# The national `shared-module-tyyppi` and the list of a unit it names a part of.
SHARED_MODULE_LISTS: Final = {
    "osaamisenhankkiminen": PERIODS,
    "osaamisenosoittaminen": DEMONSTRATIONS,
}
# The units to study that can be shared: list key -> (record type, national tutkinnonosa-tyyppi).
UNIT_LISTS: Final = {
    "hankittavat-ammat-tutkinnon-osat": (
        "HankittavaAmmatillinenTutkinnonOsa",
        "HankittavaAmmatillinenTutkinnonOsa",
    ),
    "hankittavat-paikalliset-tutkinnon-osat": (
        "HankittavaPaikallinenTutkinnonOsa",
        "HankittavaPaikallinenTutkinnonOsa",
    ),
}
COMMON_UNITS: Final = "hankittavat-yhteiset-tutkinnon-osat"
SUB_AREA_RECORD: Final = "HankittavanYTOnOsaAlue"
SUB_AREA_TYPE: Final = "HankittavaYTOOsaAlue"
UNIT_TYPES: Final = frozenset({*(t for _, t in UNIT_LISTS.values()), SUB_AREA_TYPE})


@dataclass(frozen=True, slots=True)
class ShareableUnit:
    """A unit to study that a link can show: its module-id, national type and record."""

    module_id: str
    national_type: str
    record_type: str
    record: Mapping[str, Any]
    # For a sub-area of a common unit: the common unit it belongs to.
    parent: Mapping[str, Any] | None = None


@dataclass(slots=True)
class SharedView:
    """The page of an open link: whose plan, and the chosen part as the plan view shows it."""

    content: Content
    student_name: str
    qualification: str
    institution: str
    open_until: date | None = None
    contacts: list[Row] = field(default_factory=list)
    # `unit`: the unit (and, for a sub-area, the common unit's name in `context`).
    unit: Entry | None = None
    context: str = ""
    # `prior`: the section; `summary`: the plan's view (its progress and units at a glance).
    section: Section | None = None
    summary: PlanView | None = None


def withheld(value: Any) -> Any:
    """A copy of `value` without `WITHHELD_KEYS` at any depth."""
    if isinstance(value, Mapping):
        return {k: withheld(v) for k, v in value.items() if k not in WITHHELD_KEYS}
    if isinstance(value, list):
        return [withheld(item) for item in value]
    return value


def shareable_units(document: Mapping[str, Any]) -> Iterator[ShareableUnit]:
    """Every unit to study that has a module-id, in the plan's order."""
    for key, (record_type, national_type) in UNIT_LISTS.items():
        for unit in _records(document.get(key)):
            if unit.get("module-id"):
                yield ShareableUnit(str(unit["module-id"]), national_type, record_type, unit)
    for common in _records(document.get(COMMON_UNITS)):
        for area in _records(common.get("osa-alueet")):
            if area.get("module-id"):
                yield ShareableUnit(
                    str(area["module-id"]), SUB_AREA_TYPE, SUB_AREA_RECORD, area, common
                )


def find_unit(document: Mapping[str, Any], module_id: str) -> ShareableUnit | None:
    return next((u for u in shareable_units(document) if u.module_id == module_id), None)


def unit_part(
    unit: ShareableUnit, shared_module_id: str | None, shared_module_type: str | None
) -> dict[str, Any] | None:
    """The unit as shown: without withheld keys; with one period or demonstration only when the
    link names one (None when that part is no longer in the unit)."""
    shown: dict[str, Any] = withheld(unit.record)
    if shared_module_id is None:
        return shown
    kept_list = SHARED_MODULE_LISTS.get(shared_module_type or "")
    if kept_list is None:
        return None
    kept = [r for r in _records(shown.get(kept_list)) if r.get("module-id") == shared_module_id]
    if not kept:
        return None
    for key in SHARED_MODULE_LISTS.values():
        shown.pop(key, None)
    shown[kept_list] = kept
    return shown


@dataclass(frozen=True, slots=True)
class Chosen:
    """What a link names: its content and, for a unit, which one."""

    content: Content
    unit_module_id: str | None = None
    shared_module_id: str | None = None
    shared_module_type: str | None = None
    with_contacts: bool = False


def shared_view(  # noqa: PLR0917 - what the page shows comes from these seven sources
    chosen: Chosen,
    document: Mapping[str, Any],
    names: Names,
    lang: Lang,
    today: date,
    facts: StudyRightFacts,
    student_name: str,
) -> SharedView | None:
    """The page of an open link; None when the chosen part is no longer in the plan.

    A unit is built alone: the rest of the plan is neither shown nor worked through."""
    texts = translator(lang)
    title = localised(facts.qualification, lang, "") or texts.gettext(
        "Personal competence development plan"
    )
    oid = facts.institution_oid or ""
    institution = organisation_name(names.get(oid), oid, lang)
    view = SharedView(chosen.content, student_name, title, institution)
    if chosen.with_contacts:
        view.contacts = Builder(names, lang).rows("HOKS", document, CONTACT_KEYS)
    if chosen.content is not Content.UNIT:
        plan = plan_view(withheld(document), names, lang, today, facts)
        if chosen.content is Content.PRIOR:
            view.section = plan.section("prior")
        else:
            view.summary = plan
        return view
    unit = find_unit(document, chosen.unit_module_id or "")
    part = (
        unit_part(unit, chosen.shared_module_id, chosen.shared_module_type)
        if unit is not None
        else None
    )
    if unit is None or part is None:
        return None
    view.unit = Builder(names, lang, prefix="shared").entry(unit.record_type, part)
    if unit.parent is not None:
        view.context = _common_unit_title(unit.parent, names, lang)
    return view


def unit_title(unit: ShareableUnit, names: Names, lang: Lang) -> str:
    """A unit's name as a choice on the sharing form ("Common unit: sub-area" for a sub-area)."""
    builder = Builder(names, lang)
    title = builder.entry(unit.record_type, {k: v for k, v in unit.record.items() if k in _TITLED})
    if unit.parent is None:
        return title.title
    return f"{_common_unit_title(unit.parent, names, lang)}: {title.title}"


def _common_unit_title(common: Mapping[str, Any], names: Names, lang: Lang) -> str:
    titled = {"tutkinnon-osa-koodi-uri": common.get("tutkinnon-osa-koodi-uri")}
    return Builder(names, lang).entry("HankittavaYhteinenTutkinnonOsa", titled).title


_TITLED: Final = frozenset({"tutkinnon-osa-koodi-uri", "nimi", "osa-alue-koodi-uri"})


def _records(items: object) -> list[Mapping[str, Any]]:
    return [item for item in items if isinstance(item, Mapping)] if isinstance(items, list) else []
