"""Names compared the way people type them: case and accents do not matter.

A member looking for "Lindén" types "linden"; one without Finnish letters on the keyboard types
"makinen" for "Mäkinen". The HOKS row keeps the student's name lower-cased (`Hoks.sort_name`);
`fold_sql` folds that column in SQL with the same table `fold` applies to what was typed, so the
two always agree, on SQLite and PostgreSQL alike (neither needs an extension).
"""

from __future__ import annotations

import unicodedata
from typing import Any, Final

from sqlalchemy import ColumnElement, func

# Letters of Finnish and Swedish names (and of names common in Finland) with their base letter;
# a hyphen separates the parts of a double name like a space does. Each pair nests one more
# replace() in SQL, and SQLite's parser refuses deep nesting: keep the table short.
FOLDS: Final = (
    ("ä", "a"), ("å", "a"), ("á", "a"), ("à", "a"), ("æ", "ae"),
    ("ö", "o"), ("ø", "o"), ("ó", "o"),
    ("é", "e"), ("è", "e"), ("ü", "u"), ("š", "s"), ("ž", "z"),
    ("-", " "),
)  # fmt: skip


def fold(text: str) -> str:
    """`text` lower-cased and folded as `fold_sql` folds the stored names (which are NFC)."""
    folded = unicodedata.normalize("NFC", text).lower()
    for letter, base in FOLDS:
        folded = folded.replace(letter, base)
    return folded


def fold_sql(column: Any) -> ColumnElement[str]:
    """The SQL expression folding an already lower-cased text column."""
    folded: ColumnElement[str] = column
    for letter, base in FOLDS:
        folded = func.replace(folded, letter, base)
    return folded


def name_words(text: str) -> tuple[str, ...]:
    """The folded words of a name search (separated by spaces, commas or hyphens)."""
    return tuple(word for word in fold(text.replace(",", " ")).split() if word)
