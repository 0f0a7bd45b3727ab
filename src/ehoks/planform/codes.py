"""Code fields as choices: the imported code lists (koodisto, ePerusteet) in the page's language.

Every code field of the model (`Kind.PATTERN`, a koodi-URI with its anchored pattern) names its
code list by the URI's prefix: `tutkinnonosat_\\d+` is the list `tutkinnonosat_`. The choices are
the imported codes that match the field's pattern, named in the page's language and sorted by
that name; a list with nothing imported leaves the field a text input.

The units (`tutkinnonosat_`) are those of the plan's qualification when its ePerusteet peruste has
been imported (the study right names the peruste by its diaarinumero), named as above or by their
URI; for a study right whose peruste is not known, every imported unit is offered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.hoksmodel.spec import RECORDS, FieldType, Kind
from ehoks.kit.i18n import Lang
from ehoks.registry import repository as registry_repository
from ehoks.registry.names import pick

# A code list's choices: (koodi-URI, name in the page's language), sorted by name.
Choices = list[tuple[str, str]]
_PREFIX: Final = re.compile(r"[a-z0-9]+_")
UNITS: Final = "tutkinnonosat_"


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


def choices(session: Session, lang: Lang, study_right_oid: str | None = None) -> dict[str, Choices]:
    """Each code list's choices in `lang` (one query for all of them); the units those of the
    qualification of `study_right_oid` when its peruste is known."""
    patterns = code_patterns()
    found: dict[str, Choices] = {prefix: [] for prefix in patterns}
    for row in registry_repository.code_names_in_lists(session, patterns):
        prefix = code_list(FieldType(Kind.PATTERN, pattern=row.uri))
        if prefix in found and any(p.fullmatch(row.uri) for p in patterns[prefix]):
            found[prefix].append((row.uri, pick(row.names, lang.value, row.uri)))
    units = _units_of_qualification(session, study_right_oid)
    if units and UNITS in found:
        named = dict(found[UNITS])
        accepted = patterns[UNITS]
        found[UNITS] = [
            (uri, named.get(uri, uri))
            for uri in units
            if any(pattern.fullmatch(uri) for pattern in accepted)
        ]
    for listed in found.values():
        listed.sort(key=lambda choice: (choice[1].casefold(), choice[0]))
    return found


def _units_of_qualification(session: Session, study_right_oid: str | None) -> frozenset[str]:
    """The units of the study right's qualification; empty when the study right or the peruste
    of its qualification is not known."""
    study_right = registry_repository.get_study_right(session, study_right_oid or "")
    if study_right is None:
        return frozenset()
    return registry_repository.units_of_qualifications(session, diaarinumerot(study_right.document))


def diaarinumerot(study_right: dict[str, Any]) -> set[str]:
    """The diaarinumerot of the perusteet a Koski study right's suoritukset follow."""
    found: set[str] = set()
    for suoritus in study_right.get("suoritukset") or []:
        moduuli = suoritus.get("koulutusmoduuli") if isinstance(suoritus, dict) else None
        number = moduuli.get("perusteenDiaarinumero") if isinstance(moduuli, dict) else None
        if isinstance(number, str) and number.strip():
            found.add(number.strip())
    return found
