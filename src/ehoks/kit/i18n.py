"""Languages of the service and the choice among them.

Every message a user or an integrator sees exists in Finnish, Swedish and English. Finnish is the
default, as in the national service. The texts themselves live in gettext catalogues
(`ehoks/locale`, see `ehoks.kit.translations`); English is their source language, written in the
code and the templates.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Lang(StrEnum):
    FI = "fi"
    SV = "sv"
    EN = "en"


DEFAULT_LANG: Final = Lang.FI

# Each language named in itself, as the language switch shows it.
LANG_NAMES: Final = {Lang.FI: "Suomeksi", Lang.SV: "På svenska", Lang.EN: "In English"}

# A catalogue entry: the same message in every language, with str.format placeholders.
Translations = dict[Lang, str]


def error_text(code: str, english: str) -> tuple[str, str]:
    """The English text of an error code, marked for extraction into the catalogues.

    The code becomes the entry's context (msgctxt), so translators see it and two codes may share
    an English text yet be translated differently. Placeholders are `{name}` (str.format).
    """
    return code, english


def by_code(*entries: tuple[str, str]) -> dict[str, str]:
    """A package's error texts keyed by code (`MESSAGES = by_code(error_text(...), ...)`)."""
    texts = dict(entries)
    if len(texts) != len(entries):
        raise ValueError("an error code is listed twice")
    return texts


def parse_lang(value: str | None) -> Lang | None:
    """`value` as one of our languages, or None (for ?lang= and the language cookie)."""
    try:
        return Lang(value) if value else None
    except ValueError:
        return None


def negotiate(accept_language: str | None) -> Lang:
    """Pick the best of fi/sv/en from an Accept-Language header (RFC 9110 12.5.4).

    Unknown languages and malformed entries are ignored; with nothing usable, Finnish.
    """
    if not accept_language:
        return DEFAULT_LANG
    best: tuple[float, int, Lang] | None = None
    for position, entry in enumerate(accept_language.split(",")):
        tag, _, params = entry.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        try:
            lang = Lang(primary)
        except ValueError:
            continue
        quality = _quality(params)
        if quality <= 0:
            continue
        # Higher quality wins; among equals the earlier entry wins.
        candidate = (quality, -position, lang)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else DEFAULT_LANG


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return max(0.0, min(1.0, float(value)))
            except ValueError:
                return 0.0
    return 1.0


def render(translations: Translations, lang: Lang, params: dict[str, object] | None = None) -> str:
    """The message in `lang` (falling back to Finnish), with its placeholders filled."""
    return fill(translations.get(lang) or translations[DEFAULT_LANG], params)


def fill(template: str, params: dict[str, object] | None) -> str:
    """`template` with its `{name}` placeholders filled; a catalogue mistake never raises (it
    must never turn a 400 into a 500)."""
    if not params:
        return template
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template
