"""One field's value as a person reads it: codes and organisations by name, dates per language.

A koodi-URI is shown by its name from the imported code lists and ePerusteet in the page's
language (Finnish, then any language, then the code itself); an organisation OID by the
organisation's name, or "Unknown organisation (OID)" when the registry has none. Dates are
2.12.2026 in Finnish and Swedish and 2 December 2026 in English.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ehoks.hoksmodel.formats import is_valid_organisation_oid
from ehoks.hoksmodel.spec import Field, Kind
from ehoks.kit.formatting import (
    format_date,
    format_number,
    format_percent,
    localised,
    organisation_name,
)
from ehoks.kit.i18n import Lang
from ehoks.kit.translations import N_, translator

Names = Mapping[str, Mapping[str, str]]

# Shares given in per cent.
_PERCENT_KEYS: Final = frozenset({"osa-aikaisuustieto"})
YES: Final = N_("Yes")
NO: Final = N_("No")


def name_of(code: str, names: Names, lang: Lang) -> str:
    """A koodi-URI's or organisation OID's name in `lang`; the code itself when unknown."""
    return localised(names.get(code), lang, code)


def scalar_text(field: Field, value: object, names: Names, lang: Lang) -> str:
    """A scalar field's value as text ("" for None)."""
    kind = field.type.kind
    text: str
    if value is None:
        text = ""
    elif isinstance(value, str) and kind is Kind.OID and is_valid_organisation_oid(value):
        text = organisation_name(names.get(value), value, lang)
    elif isinstance(value, str) and (
        kind is Kind.PATTERN
        or field.key == "koodi-uri"  # a KoodistoKoodi's code (a demonstration's sub-areas)
    ):
        text = name_of(value, names, lang)
    elif kind in (Kind.DATE, Kind.TIMESTAMP):
        text = format_date(value, lang)
    elif isinstance(value, bool):
        text = translator(lang).gettext(YES if value else NO)
    elif isinstance(value, int | float):
        percent = field.key in _PERCENT_KEYS
        text = format_percent(value, lang) if percent else format_number(value, lang)
    else:
        text = str(value)
    return text


def span_text(start: object, end: object, lang: Lang) -> str:
    """ "2.12.2026 – 9.12.2026"; an open end as "from 2.12.2026"."""
    if start and end:
        return f"{format_date(start, lang)} – {format_date(end, lang)}"
    if start:
        return translator(lang).gettext("from {date}", date=format_date(start, lang))
    if end:
        return translator(lang).gettext("until {date}", date=format_date(end, lang))
    return ""
