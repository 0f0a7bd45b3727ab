"""What the student's sharing page shows: the plan's links in words, and the form's choices."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

import orjson

from ehoks.config import Settings
from ehoks.kit.errors import ApiError, Violation
from ehoks.kit.formatting import localised
from ehoks.kit.i18n import Lang
from ehoks.kit.translations import N_, translator
from ehoks.planview.names import plan_names
from ehoks.planview.values import Names, span_text
from ehoks.sharing import retention, service
from ehoks.sharing.content import (
    PERIODS,
    Chosen,
    Content,
    ShareableUnit,
    find_unit,
    shareable_units,
    unit_title,
)
from ehoks.sharing.models import ShareLink

CONTENT_WORDS: Final = {
    Content.PRIOR: N_("The recognised prior competence"),
    Content.SUMMARY: N_("A summary of the whole plan"),
}
_DAY: Final = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_ISO_DAY: Final = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


@dataclass(frozen=True, slots=True)
class Choice:
    value: str  # "unit:<module-id>", "prior", "summary"
    label: str


@dataclass(frozen=True, slots=True)
class LinkItem:
    id: str
    label: str
    what: str
    valid_from: date
    valid_to: date
    state: str
    open_count: int
    first_opened_at: datetime | None
    last_opened_at: datetime | None
    with_contacts: bool
    removed_on: date | None = None  # withdrawn or ended: the day the row lets go of the plan


@dataclass(frozen=True, slots=True)
class SharingPage:
    hoks_id: int
    title: str
    choices: list[Choice]
    links: list[LinkItem]
    # The workplace periods, each to its own page: (module-id, "unit: workplace, dates").
    periods: list[tuple[str, str]]

    @property
    def options(self) -> list[tuple[str, str, None]]:
        """The choices as the form's radio buttons take them."""
        return [(choice.value, choice.label, None) for choice in self.choices]


def sharing_page(unit: service.StudentUnit, hoks_id: int, lang: Lang) -> SharingPage:
    """The plan's links and what can be shared of it (404 for another's plan)."""
    plan = service.own_plan(unit, hoks_id)
    document: dict[str, Any] = orjson.loads(plan.document)
    facts, names = plan_names(unit.session, document)
    texts = translator(lang)
    choices = [
        Choice(f"unit:{u.module_id}", unit_title(u, names, lang)) for u in shareable_units(document)
    ]
    choices += [Choice(c.value, texts.gettext(words)) for c, words in CONTENT_WORDS.items()]
    links = [
        _item(link, document, names, lang, unit.today, settings=unit.settings)
        for link in service.links_of(unit, hoks_id)
    ]
    title = localised(facts.qualification, lang, "") or texts.gettext(
        "Personal competence development plan"
    )
    periods = [
        (str(period["module-id"]), _period_title(u, period, names, lang))
        for u in shareable_units(document)
        for period in u.record.get(PERIODS) or []
        if isinstance(period, dict)
        and period.get("module-id")
        and period.get("tyopaikalla-jarjestettava-koulutus")
    ]
    return SharingPage(plan.id, title, choices, links, periods)


def _period_title(unit: ShareableUnit, period: dict[str, Any], names: Names, lang: Lang) -> str:
    workplace = period["tyopaikalla-jarjestettava-koulutus"].get("tyopaikan-nimi") or ""
    dates = span_text(period.get("alku"), period.get("loppu"), lang)
    return f"{unit_title(unit, names, lang)}: {', '.join(p for p in (workplace, dates) if p)}"


def _item(
    link: ShareLink,
    document: dict[str, Any],
    names: Any,
    lang: Lang,
    today: date,
    *,
    settings: Settings,
) -> LinkItem:
    texts = translator(lang)
    content = Content(link.content)
    if content is Content.UNIT:
        found = find_unit(document, link.unit_module_id or "")
        what = (
            unit_title(found, names, lang)
            if found is not None
            else texts.gettext("A unit no longer in the plan")
        )
    else:
        what = texts.gettext(CONTENT_WORDS[content])
    state = service.state_of(link, today)
    ended = state in (service.State.EXPIRED, service.State.REVOKED)
    return LinkItem(
        id=link.id,
        label=link.label,
        what=what,
        valid_from=link.valid_from,
        valid_to=link.valid_to,
        state=state.value,
        open_count=link.open_count,
        first_opened_at=link.first_opened_at,
        last_opened_at=link.last_opened_at,
        with_contacts=link.with_contacts,
        removed_on=retention.removed_on(link, settings) if ended else None,
    )


def parse_day(text: str, field: str) -> date | None:
    """A date as people write it (31.12.2026) or as a date input sends it (2026-12-31);
    None when empty; 400 `share_invalid_date` at `field` otherwise."""
    if not text.strip():
        return None
    found = _DAY.match(text)
    try:
        if found:
            return date(int(found[3]), int(found[2]), int(found[1]))
        iso = _ISO_DAY.match(text)
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    raise invalid("share_invalid_date", field)


def chosen_from(value: str, *, with_contacts: bool) -> Chosen:
    """The form's choice ("unit:<module-id>", "prior", "summary")."""
    if value.startswith("unit:") and len(value) <= 5 + 36:
        return Chosen(Content.UNIT, value[5:], with_contacts=with_contacts)
    if value in (Content.PRIOR.value, Content.SUMMARY.value):
        return Chosen(Content(value), with_contacts=with_contacts)
    raise invalid("share_invalid_content", "sisalto")


def invalid(code: str, field: str) -> ApiError:
    """A 400 of one problem at one field."""
    return ApiError(
        400, "validation_failed", params={"count": 1}, violations=[Violation(code, field)]
    )
