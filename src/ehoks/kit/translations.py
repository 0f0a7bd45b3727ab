"""The gettext catalogues at run time: every word a person reads, in Finnish, Swedish and English.

English is the source language: it is written in the code (error texts, `ehoks.kit.i18n.message`)
and in the templates (`_("…")`). `make messages` extracts it into `ehoks/locale/messages.pot` and
merges that into `ehoks/locale/{fi,sv}/LC_MESSAGES/messages.po`, which translators edit.

The `.po` files are read as they are, once per process, with Babel: there is no compiled `.mo`
file that could fall out of date, and a plain install of the package carries the catalogues as
package data. A fuzzy or empty translation is not used (the English text shows instead), and the
catalogue test fails on it, so an untranslated text never ships unnoticed.
"""

from __future__ import annotations

import gettext
import string
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Final

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ehoks.kit.i18n import Lang, fill

LOCALE_DIR: Final = Path(__file__).resolve().parent.parent / "locale"
DOMAIN: Final = "messages"
TRANSLATED: Final = (Lang.FI, Lang.SV)


def N_(text: str) -> str:  # noqa: N802 - the name gettext extraction knows
    """Mark an English text for the catalogues, to be translated where it is shown."""
    return text


def po_path(lang: Lang) -> Path:
    return LOCALE_DIR / lang.value / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue_for(lang: Lang) -> gettext.NullTranslations:
    """The language's translations; English (the source language) is the identity."""
    if lang not in TRANSLATED:
        return gettext.NullTranslations()
    with po_path(lang).open("rb") as source:
        catalog = read_po(source, locale=lang.value, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def placeholders(template: str) -> set[str]:
    """The `{name}` placeholders of a text (for the catalogue test and the docs)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return {"<unbalanced braces>"}


class Translator:
    """Texts in one language, for one page or one message: `_`, `ngettext` and `pgettext`.

    Every function takes the placeholders' values as keyword arguments (`{name}` in the text).
    """

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self._catalogue = catalogue_for(lang)

    def gettext(self, text: str, **params: object) -> str:
        return fill(self._catalogue.gettext(text), params)

    def ngettext(self, singular: str, plural: str, n: int, **params: object) -> str:
        return fill(self._catalogue.ngettext(singular, plural, n), {"n": n, **params})

    def pgettext(self, context: str, text: str, **params: object) -> str:
        return fill(self._catalogue.pgettext(context, text), params)


@cache
def translator(lang: Lang) -> Translator:
    return Translator(lang)
