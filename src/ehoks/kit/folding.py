"""Names compared the way people type them: case and accents do not matter.

A member looking for "Lindén" types "linden"; one without Finnish letters on the keyboard types
"makinen" for "Mäkinen". Each HOKS row keeps the student's name lower-cased (`Hoks.sort_name`)
and, folded with the table below, as `Hoks.search_name`; what is typed is folded with the same
table, so the two always agree, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# Letters of Finnish and Swedish names (and of names common in Finland) with their base letter;
# a hyphen separates the parts of a double name like a space does.
FOLDS: Final = (
    ("ä", "a"), ("å", "a"), ("á", "a"), ("à", "a"), ("æ", "ae"),
    ("ö", "o"), ("ø", "o"), ("ó", "o"),
    ("é", "e"), ("è", "e"), ("ü", "u"), ("š", "s"), ("ž", "z"),
    ("-", " "),
)  # fmt: skip


def fold_letters(text: str) -> str:
    """`text` with each letter of the table replaced by its base (nothing else changes, so a
    part of a name folds to a part of the folded name)."""
    for letter, base in FOLDS:
        text = text.replace(letter, base)
    return text


def fold(text: str) -> str:
    """`text` in NFC, lower-cased and folded, as the stored names are (`search_name`)."""
    return fold_letters(unicodedata.normalize("NFC", text).lower())


def search_name(sort_name: str) -> str:
    """The stored search form of a sort name: folded, with a space before every word (the name
    starts with one), so that "a word begins with w" is `LIKE '% w%'` and a trigram index holds
    each word's beginning."""
    return " " + fold_letters(sort_name)


def name_words(text: str) -> tuple[str, ...]:
    """The folded words of a name search (separated by spaces, commas or hyphens)."""
    return tuple(word for word in fold(text.replace(",", " ")).split() if word)
