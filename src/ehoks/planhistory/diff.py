"""What changed between two revisions of a HOKS, field by field, walked along the data model.

The walk follows `hoksmodel`'s record table, so every change knows the record type and the
field it is in: a page names it with the field's label (`planview`), not a JSON path. Parts of
a list are matched by `module-id` first (a part keeps its id while it is not replaced), then
the unmatched ones by their order: a part sent again without its id is new to storage, but to
a reader it is the same part with some fields changed. A whole part that appears or goes is one
change, not one per field.

`module-id`s and the national leftover ids are identifiers, not content: never a change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from ehoks.hoksmodel.spec import RECORDS, STRING, Field, Kind

ROOT: Final = "HOKS"
MODULE_ID: Final = "module-id"
# Not content: identifiers, and the server-owned top-level keys kept in columns.
_SKIPPED: Final = frozenset({MODULE_ID, "id", "eid", "manuaalisyotto"})


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True)
class Step:
    """One step from the document down to a part: the field holding it, the part's record
    type and, in a list, its position (in the newer revision; in the older if removed)."""

    field: str
    record: str
    index: int | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One difference. `where` leads to the part that holds it (empty: the HOKS itself).

    With `field` None a whole part of type `record` was added or removed (`old`/`new` is the
    part); otherwise `field` of the `record` at `where` changed from `old` to `new` (None for
    absent).
    """

    kind: ChangeKind
    where: tuple[Step, ...]
    record: str
    field: str | None
    old: Any = None
    new: Any = None

    @property
    def path(self) -> str:
        """A JSON Pointer to the change in the newer revision (the older one if removed)."""
        parts: list[str] = []
        for step in self.where:
            parts.append(step.field)
            if step.index is not None:
                parts.append(str(step.index))
        if self.field is not None:
            parts.append(self.field)
        return "/" + "/".join(parts)


def changes(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[Change]:
    """Every difference from `old` to `new` (two stored HOKS documents), in document order."""
    return list(_record(ROOT, old or {}, new or {}, ()))


def _record(
    name: str, old: dict[str, Any], new: dict[str, Any], where: tuple[Step, ...]
) -> Iterator[Change]:
    for field in _fields(name, old, new):
        before, after = _present(old.get(field.key)), _present(new.get(field.key))
        if before is None and after is None:
            continue
        kind = field.type.kind
        item = field.type.item
        if kind is Kind.RECORD and field.type.record:
            yield from _single(field, field.type.record, before, after, where)
        elif kind is Kind.LIST and item is not None and item.kind is Kind.RECORD and item.record:
            yield from _list(field.key, item.record, before or [], after or [], where)
        elif before != after:
            yield _leaf(name, field.key, before, after, where)


def _single(
    field: Field, record: str, old: Any, new: Any, where: tuple[Step, ...]
) -> Iterator[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        yield from _record(record, old, new, (*where, Step(field.key, record)))
    elif old != new:
        step = (*where, Step(field.key, record))
        if old is None:
            yield Change(ChangeKind.ADDED, step, record, None, None, new)
        elif new is None:
            yield Change(ChangeKind.REMOVED, step, record, None, old, None)
        else:  # not records after all (only in documents from before validation): a value
            yield Change(ChangeKind.CHANGED, where, record, field.key, old, new)


def _list(
    key: str, record: str, old: list[Any], new: list[Any], where: tuple[Step, ...]
) -> Iterator[Change]:
    pairs = _pairs(old, new)
    paired_old = {i for i, _ in pairs.values()}
    for j, part in enumerate(new):
        step = Step(key, record, j)
        if j in pairs:
            i, _ = pairs[j]
            if isinstance(old[i], dict) and isinstance(part, dict):
                yield from _record(record, old[i], part, (*where, step))
            elif old[i] != part:
                yield Change(ChangeKind.CHANGED, (*where, step), record, None, old[i], part)
        else:
            yield Change(ChangeKind.ADDED, (*where, step), record, None, None, part)
    for i, part in enumerate(old):
        if i not in paired_old:
            yield Change(ChangeKind.REMOVED, (*where, Step(key, record, i)), record, None, part)


def _pairs(old: list[Any], new: list[Any]) -> dict[int, tuple[int, Any]]:
    """{new index: (old index, old part)}: the same module-id first, then the rest in order."""
    by_id = {_id(part): i for i, part in enumerate(old) if _id(part) is not None}
    pairs: dict[int, tuple[int, Any]] = {}
    for j, part in enumerate(new):
        i = by_id.get(_id(part))
        if i is not None:
            pairs[j] = (i, old[i])
    taken = {i for i, _ in pairs.values()}
    rest_old = [i for i in range(len(old)) if i not in taken]
    rest_new = [j for j in range(len(new)) if j not in pairs]
    for i, j in zip(rest_old, rest_new, strict=False):
        pairs[j] = (i, old[i])
    return pairs


def _id(part: Any) -> str | None:
    value = part.get(MODULE_ID) if isinstance(part, dict) else None
    return value if isinstance(value, str) else None


def _leaf(record: str, key: str, old: Any, new: Any, where: tuple[Step, ...]) -> Change:
    if old is None:
        return Change(ChangeKind.ADDED, where, record, key, None, new)
    if new is None:
        return Change(ChangeKind.REMOVED, where, record, key, old, None)
    return Change(ChangeKind.CHANGED, where, record, key, old, new)


def _fields(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[Field]:
    """The record's fields in the model's order; keys the model does not know (none after
    validation) at the end, as plain values, so that nothing that changed goes unmentioned."""
    known = RECORDS.get(name)
    fields = [f for f in known.fields if f.keep and f.key not in _SKIPPED] if known else []
    named = {f.key for f in fields}
    extra = sorted((old.keys() | new.keys()) - named - _SKIPPED)
    return [*fields, *(_plain(key) for key in extra)]


def _plain(key: str) -> Field:
    return Field(key, STRING, "OOOO", "")


def _present(value: Any) -> Any:
    """None for what a reader sees as nothing: absent, null, an empty list, an empty string."""
    return None if value is None or value in ([], "") else value
