"""Code fields as choices: the imported code lists (koodisto, ePerusteet) in the page's language.

Every code field of the model (`Kind.PATTERN`, a koodi-URI with its anchored pattern) names its
code list by the URI's prefix: `tutkinnonosat_\\d+` is the list `tutkinnonosat_`. The choices are
the imported codes that match the field's pattern, named in the page's language and sorted by
that name; a list with nothing imported leaves the field a text input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Final

from sqlalchemy.orm import Session

from ehoks.hoksmodel.spec import RECORDS, FieldType, Kind
from ehoks.kit.i18n import Lang
from ehoks.registry import repository as registry_repository
from ehoks.registry.names import pick

# A code list's choices: (koodi-URI, name in the page's language), sorted by name.
Choices = list[tuple[str, str]]
_PREFIX: Final = re.compile(r"[a-z0-9]+_")


def code_list(ftype: FieldType) -> str | None:
    """The code list (URI prefix) of a code field; None for any other field."""
    if ftype.kind is not Kind.PATTERN or ftype.pattern is None:
        return None
    match = _PREFIX.match(ftype.pattern)
    return match.group(0) if match else None


@cache
def code_patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    """Every code list of the model, with the patterns its fields accept."""
    found: dict[str, set[str]] = {}
    for ftype in _field_types():
        prefix = code_list(ftype)
        if prefix is not None and ftype.pattern is not None:
            found.setdefault(prefix, set()).add(ftype.pattern)
    return {
        prefix: tuple(re.compile(p, re.ASCII) for p in sorted(patterns))
        for prefix, patterns in found.items()
    }


def _field_types() -> Iterator[FieldType]:
    for record in RECORDS.values():
        for field in record.fields:
            yield field.type
            if field.type.item is not None:
                yield field.type.item


def choices(session: Session, lang: Lang) -> dict[str, Choices]:
    """Each code list's choices in `lang` (one query for all of them)."""
    patterns = code_patterns()
    found: dict[str, Choices] = {prefix: [] for prefix in patterns}
    for row in registry_repository.code_names_in_lists(session, patterns):
        prefix = code_list(FieldType(Kind.PATTERN, pattern=row.uri))
        if prefix in found and any(p.fullmatch(row.uri) for p in patterns[prefix]):
            found[prefix].append((row.uri, pick(row.names, lang.value, row.uri)))
    for listed in found.values():
        listed.sort(key=lambda choice: (choice[1].casefold(), choice[0]))
    return found
