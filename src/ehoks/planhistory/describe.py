"""Changes in words: each `diff.Change` with the field's label, where it is and both values.

Labels, record names, code and organisation names and dates come from `planview`, so a change
reads as the plan page does: "Vocational unit Ohjelmistokehitys › Learning period 1.2.2026 –
3.4.2026 · Ends: 3.4.2026 → 30.4.2026", in the page's language. The staff pages show a list of
changes with the same lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from ehoks.hoksmodel.spec import RECORDS, STRING, Field, Kind
from ehoks.kit.i18n import Lang
from ehoks.planhistory.diff import Change, ChangeKind, Step
from ehoks.planview.build import Builder
from ehoks.planview.labels import field_label, record_label
from ehoks.planview.values import Names, scalar_text

# Records the plan page shows inside their parent, named here by a field of their own.
_NAMES: Final = {
    "TyopaikallaJarjestettavaKoulutus": "tyopaikan-nimi",
    "Nayttoymparisto": "nimi",
    "MuuOppimisymparisto": "oppimisymparisto-koodi-uri",
}


@dataclass(frozen=True, slots=True)
class Place:
    """One step of where a change is: the record's kind ("Learning period") and which one."""

    kind: str
    title: str


@dataclass(frozen=True, slots=True)
class ChangeLine:
    kind: ChangeKind
    where: list[Place]  # from the plan down to the part that holds the change
    label: str  # the field's label, or the kind of the part added or removed
    old: str | list[str]
    new: str | list[str]
    path: str  # JSON Pointer, for whoever needs the exact place


def describe(
    found: list[Change],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    names: Names,
    lang: Lang,
) -> list[ChangeLine]:
    """Every change as a line in `lang`; `old` and `new` are the two documents compared."""
    builder = Builder(names, lang, prefix="change")
    return [_line(change, old, new, builder) for change in found]


def _line(
    change: Change, old: Mapping[str, Any], new: Mapping[str, Any], builder: Builder
) -> ChangeLine:
    # A removed part, and what leads to it, is found in the older document.
    source = old if change.kind is ChangeKind.REMOVED else new
    where = _places(change.where, source, old, builder)
    lang = builder.lang
    if change.field is None:  # a whole part added or removed: the last step is that part
        part = where.pop() if where else Place(record_label(change.record, lang), "")
        text = part.title if part.title != part.kind else ""
        return ChangeLine(
            change.kind,
            where,
            part.kind,
            text if change.kind is ChangeKind.REMOVED else "",
            text if change.kind is not ChangeKind.REMOVED else "",
            change.path,
        )
    spec = _spec(change.record, change.field)
    return ChangeLine(
        change.kind,
        where,
        field_label(change.record, change.field, lang),
        _text(spec, change.old, builder),
        _text(spec, change.new, builder),
        change.path,
    )


def _places(
    steps: tuple[Step, ...],
    source: Mapping[str, Any],
    fallback: Mapping[str, Any],
    builder: Builder,
) -> list[Place]:
    """Each step's record named as the plan page names it: a unit by its name, a period by its
    dates, a workplace by its name; a record with nothing to name it by, by its kind alone."""
    places: list[Place] = []
    here: Any = source
    for step in steps:
        here = _follow(here, step)
        if here is None and fallback is not source:  # a part added under a removed one
            return _places(steps, fallback, fallback, builder)
        kind = record_label(step.record, builder.lang)
        title = ""
        if isinstance(here, Mapping):
            entry = builder.entry(step.record, here)
            title = " ".join(part for part in (entry.title, entry.dates) if part)
            named = here.get(_NAMES.get(step.record, ""))
            if (not title or title == kind) and isinstance(named, str):
                title = named
        places.append(Place(kind, title if title != kind else ""))
    return places


def _follow(here: Any, step: Step) -> Any:
    if not isinstance(here, Mapping):
        return None
    value = here.get(step.field)
    if step.index is None:
        return value
    if isinstance(value, list) and 0 <= step.index < len(value):
        return value[step.index]
    return None


def _spec(record: str, key: str) -> Field:
    known = RECORDS.get(record)
    found = next((f for f in known.fields if f.key == key), None) if known else None
    return found or Field(key, STRING, "OOOO", "")


def _text(spec: Field, value: Any, builder: Builder) -> str | list[str]:
    """A value as the plan page shows it: names for codes, dates per language, lists as lists."""
    if value is None:
        return ""
    if isinstance(value, list):
        item = spec.type.item
        if item is not None and item.kind is Kind.RECORD and item.record:
            return [builder.inline(item.record, x) for x in value if isinstance(x, Mapping)]
        return [str(x) for x in value]
    if isinstance(value, Mapping):
        nested = spec.type.record
        return builder.inline(nested, value) if nested in RECORDS else str(dict(value))
    return scalar_text(spec, value, builder.names, builder.lang)
