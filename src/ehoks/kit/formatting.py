"""Dates, numbers and names written the way each language writes them (Babel's CLDR data).

2.12.2026 in Finnish and Swedish (as Finland writes dates in both), 2 December 2026 in English.
Values from documents arrive as ISO strings; what cannot be read as a date is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.numbers import format_decimal

from ehoks.kit.i18n import DEFAULT_LANG, Lang
from ehoks.kit.translations import N_, translator

LOCALES: Final = {Lang.FI: "fi_FI", Lang.SV: "sv_FI", Lang.EN: "en_GB"}
_DATE_PATTERNS: Final = {Lang.FI: "d.M.y", Lang.SV: "d.M.y", Lang.EN: "d MMMM y"}
_DATETIME_PATTERNS: Final = {
    Lang.FI: "d.M.y 'klo' H.mm",
    Lang.SV: "d.M.y 'kl.' H.mm",
    Lang.EN: "d MMMM y 'at' HH:mm",
}
HELSINKI: Final = ZoneInfo("Europe/Helsinki")
Number = int | float | Decimal


def as_date(value: object) -> date | None:
    """A date from a date, a datetime or an ISO 8601 string; None otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def format_date(value: object, lang: Lang) -> str:
    """`value` as a date in `lang`; an unreadable value as it is, None as an empty string."""
    parsed = as_date(value)
    if parsed is None:
        return "" if value is None else str(value)
    return _written_date(parsed, lang)


# A list page writes tens of dates, most of them alike; Babel reads its pattern and locale anew
# for each one.
@lru_cache(maxsize=4096)
def _written_date(day: date, lang: Lang) -> str:
    return babel_date(day, _DATE_PATTERNS[lang], locale=LOCALES[lang])


def format_datetime(value: datetime, lang: Lang, zone: ZoneInfo = HELSINKI) -> str:
    """A moment in Finnish time (stored moments are UTC)."""
    return babel_datetime(value, _DATETIME_PATTERNS[lang], tzinfo=zone, locale=LOCALES[lang])


def format_number(value: Number, lang: Lang) -> str:
    """1 234,5 in Finnish and Swedish, 1,234.5 in English."""
    return format_decimal(value, locale=LOCALES[lang])


def format_percent(value: Number, lang: Lang) -> str:
    """A share given in per cent (50 → "50 %" in Finnish and Swedish, "50%" in English)."""
    number = format_decimal(value, locale=LOCALES[lang])
    return f"{number}%" if lang is Lang.EN else f"{number}\N{NO-BREAK SPACE}%"


# The keys `localised` tries, per language (a list page asks for tens of names).
_NAME_ORDER: Final = {
    lang: tuple(dict.fromkeys((lang.value, DEFAULT_LANG.value, *(other.value for other in Lang))))
    for lang in Lang
}


def localised(names: object, lang: Lang, fallback: str = "") -> str:
    """A name from a registry's {fi, sv, en} object: the page's language, then Finnish, then
    any language it has, then `fallback` (the code itself, typically)."""
    if not isinstance(names, Mapping):
        return fallback
    for key in _NAME_ORDER[lang]:
        value = names.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return fallback


# A registry without the organisation (not imported yet, or closed and gone): a readable label,
# the OID after it for whoever looks it up. Never the bare OID alone.
UNKNOWN_ORGANISATION: Final = N_("Unknown organisation ({oid})")


def organisation_name(names: object, oid: str, lang: Lang) -> str:
    """An organisation's name in `lang` from its registry {fi, sv, en} names; "Unknown
    organisation (OID)" in `lang` when the registry has no name for it, "" without an OID."""
    if not oid:
        return localised(names, lang, "")
    return localised(names, lang, "") or translator(lang).gettext(UNKNOWN_ORGANISATION, oid=oid)
