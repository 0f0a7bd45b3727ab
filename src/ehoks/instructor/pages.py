"""What the workplace instructors' pages show, shaped for their templates (`templates/instructor`).

The periods come from the service as the national JSON items; a card holds only what the page
shows, with names in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from ehoks.kit.formatting import format_date, localised
from ehoks.kit.i18n import Lang

BASE: Final = "/tyopaikkaohjaaja"


@dataclass(frozen=True, slots=True)
class Demonstration:
    start: str | None
    end: str | None
    environment: str
    content: list[str]


@dataclass(frozen=True, slots=True)
class PeriodCard:
    student: str
    unit: str
    start: str | None
    end: str | None
    workplace: str
    tasks: list[str]
    note: str | None
    part_time: int | float | None
    pauses: list[str]
    contact: str
    demonstrations: list[Demonstration]
    visible_until: str | None


def period_cards(items: list[dict[str, Any]], lang: Lang) -> list[PeriodCard]:
    return [_card(item, lang) for item in items]


def _card(item: dict[str, Any], lang: Lang) -> PeriodCard:
    workplace = item.get("tyopaikalla-jarjestettava-koulutus") or {}
    contact = item.get("jarjestajan-edustaja") or {}
    place = (workplace.get("tyopaikan-nimi"), workplace.get("tyopaikan-y-tunnus"))
    return PeriodCard(
        student=(item.get("opiskelija") or {}).get("nimi") or "–",
        unit=_unit_name(item.get("tutkinnon-osa") or {}, lang),
        start=item.get("alku"),
        end=item.get("loppu"),
        workplace=", ".join(str(part) for part in place if part),
        tasks=[str(task) for task in workplace.get("keskeiset-tyotehtavat") or []],
        note=item.get("ajanjakson-tarkenne"),
        part_time=item.get("osa-aikaisuustieto"),
        pauses=[
            f"{format_date(pause.get('alku'), lang)} – {format_date(pause.get('loppu'), lang)}"
            for pause in item.get("keskeytymisajanjaksot") or []
        ],
        contact=_contact(contact, lang),
        demonstrations=[_demonstration(shown) for shown in item.get("naytot") or []],
        visible_until=item.get("nakyvissa-asti"),
    )


def _unit_name(unit: dict[str, Any], lang: Lang) -> str:
    label = localised(
        unit.get("tutkinnon-osa-nimi"),
        lang,
        unit.get("nimi") or unit.get("tutkinnon-osa-koodi-uri") or "–",
    )
    area = localised(unit.get("osa-alue-nimi"), lang, unit.get("osa-alue-koodi-uri") or "")
    return f"{label}: {area}" if area else label


def _contact(contact: dict[str, Any], lang: Lang) -> str:
    """ "Name, role, school": the school named in the page's language when the registry knows it."""
    school = localised(contact.get("oppilaitos-nimi"), lang, "")
    parts = [contact.get("nimi"), contact.get("rooli"), school]
    return ", ".join(str(part) for part in parts if part)


def _demonstration(shown: dict[str, Any]) -> Demonstration:
    environment = shown.get("nayttoymparisto") or {}
    place = (environment.get("nimi"), environment.get("kuvaus"))
    return Demonstration(
        start=shown.get("alku"),
        end=shown.get("loppu"),
        environment=": ".join(str(part) for part in place if part),
        content=[str(line) for line in shown.get("sisallon-kuvaus") or []],
    )
