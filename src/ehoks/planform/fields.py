"""A HOKS document as flat form fields and back, driven by the declarative model (`hoksmodel`).

Every field of the model has one name in the form: its JSON path with dots, `osat.0.alku`.
Lists and optional nested records also carry a marker, because an HTML form cannot say "an empty
list" or "an object with nothing filled in" by values alone:

* `<list>#n` is the number of items of a present list (an absent list has no marker);
* `<record>#on` is present for an optional nested record that is there.

`to_fields` and `from_fields` are inverse on every valid document: document → fields → document
gives the same document (`tests/planform/test_fields.py` holds every national example to it).
`from_fields` never refuses input: text that is not a number, a date or a yes/no answer stays
text, so the service's own validator reports it at its path, and the form shows what was typed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from ehoks.hoksmodel.spec import HOKS, RECORDS, Field, FieldType, Kind

COUNT: Final = "#n"
PRESENT: Final = "#on"
_INT: Final = re.compile(r"[+-]?[0-9]+", re.ASCII)
_NUMBER: Final = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)", re.ASCII)
_FINNISH_DATE: Final = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", re.ASCII)
_PUT: Final = 1

Fields = dict[str, str]


def form_fields(record: str) -> tuple[Field, ...]:
    """The fields of a record type that the form holds: those a replace (PUT) may send, except
    the national database's leftover ids, which the service never keeps."""
    return tuple(
        field for field in RECORDS[record].fields if field.keep and field.presence_for(_PUT) != "-"
    )


def child(path: str, key: str | int) -> str:
    return f"{path}.{key}" if path else str(key)


def pointer_to_name(pointer: str) -> str:
    """`/osat/0/alku` (a violation's JSON Pointer) as the form's field name `osat.0.alku`."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]
    return ".".join(parts)


# --- document → fields -----------------------------------------------------------------------


def to_fields(document: Mapping[str, Any]) -> Fields:
    """The form's values for a document (a stored HOKS, or what was typed)."""
    out: Fields = {}
    _record_to_fields(HOKS.name, document, "", out)
    return out


def _record_to_fields(record: str, value: Mapping[str, Any], path: str, out: Fields) -> None:
    for field in form_fields(record):
        if field.key in value:
            _value_to_fields(field.type, value[field.key], child(path, field.key), out)


def _value_to_fields(ftype: FieldType, value: object, name: str, out: Fields) -> None:
    if ftype.kind is Kind.RECORD:
        if isinstance(value, Mapping):
            out[name + PRESENT] = "1"
            _record_to_fields(ftype.record or "", value, name, out)
        return
    if ftype.kind is Kind.LIST:
        items = value if isinstance(value, list) else []
        out[name + COUNT] = str(len(items))
        item_type = ftype.item or FieldType(Kind.STRING)
        for index, item in enumerate(items):
            _value_to_fields(item_type, item, child(name, index), out)
        return
    text = scalar_text(ftype, value)
    if text is not None:
        out[name] = text


def scalar_text(ftype: FieldType, value: object) -> str | None:
    """A scalar as the form shows it; None for something a scalar field cannot hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        if ftype.kind is Kind.DATE:
            return date_text(value)
        return value
    return None


def date_text(value: str) -> str:
    """A date as people in Finland write it (15.1.2026); anything else as it is."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return value
    if value != day.isoformat():
        return value
    return f"{day.day}.{day.month}.{day.year}"


# --- fields → document -----------------------------------------------------------------------


def from_fields(fields: Mapping[str, str]) -> dict[str, Any]:
    """The document the form's values describe; an empty input means the field is left out."""
    return _record_from_fields(HOKS.name, fields, "")


def _record_from_fields(record: str, fields: Mapping[str, str], path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in form_fields(record):
        name = child(path, field.key)
        found = _value_from_fields(field, field.type, fields, name)
        if found is not _ABSENT:
            out[field.key] = found
    return out


class _Absent:
    __slots__ = ()


_ABSENT: Final = _Absent()


def _value_from_fields(
    field: Field, ftype: FieldType, fields: Mapping[str, str], name: str, *, item: bool = False
) -> object:
    """One field's value (`item`: an element of a list, which is there by its index)."""
    if ftype.kind is Kind.RECORD:
        required = item or field.presence_for(_PUT) == "R"
        if required or name + PRESENT in fields:
            return _record_from_fields(ftype.record or "", fields, name)
        return _ABSENT
    if ftype.kind is Kind.LIST:
        count = list_count(fields, name)
        if count is None:
            # A required list is there even when it has no items (those of a record just added).
            return [] if not item and field.presence_for(_PUT) == "R" else _ABSENT
        item_type = ftype.item or FieldType(Kind.STRING)
        return [
            _value_from_fields(field, item_type, fields, child(name, index), item=True)
            for index in range(count)
        ]
    text = fields.get(name, "")
    if text.strip() == "":
        # An empty input leaves the field out; an item of a list of texts stays in its place.
        return text if item else _ABSENT
    return parse_scalar(ftype, text)


def list_count(fields: Mapping[str, str], name: str) -> int | None:
    """The number of items of a present list (None: the list is not there)."""
    raw = fields.get(name + COUNT)
    if raw is None:
        return None
    return int(raw) if raw.isdigit() and len(raw) < 5 else 0  # noqa: PLR2004 - 9999 items at most


def parse_scalar(ftype: FieldType, text: str) -> object:
    """Typed text as the model's value; text that does not parse stays text for the validator."""
    kind = ftype.kind
    if kind is Kind.INT and _INT.fullmatch(text.strip()):
        return int(text.strip())
    if kind is Kind.NUMBER and _NUMBER.fullmatch(text.strip()):
        return _number(text.strip().replace(",", "."))
    if kind is Kind.BOOLEAN and text in {"true", "false"}:
        return text == "true"
    if kind is Kind.DATE:
        return _iso_date(text.strip())
    return text


def _number(text: str) -> int | float:
    if _INT.fullmatch(text):
        return int(text)
    number = float(text)
    return number if math.isfinite(number) else text  # type: ignore[return-value]


def _iso_date(text: str) -> str:
    """15.1.2026 (or 2026-01-15) as 2026-01-15; anything else as typed."""
    match = _FINNISH_DATE.fullmatch(text)
    if match is None:
        return text
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text


# --- adding and removing list items and optional records ------------------------------------


def type_at(name: str) -> FieldType | None:
    """The model's type of the field named `name` (None: the model has no such field)."""
    current = FieldType(Kind.RECORD, record=HOKS.name)
    for part in name.split("."):
        if current.kind is Kind.RECORD:
            found = [f for f in form_fields(current.record or "") if f.key == part]
            if not found:
                return None
            current = found[0].type
        elif current.kind is Kind.LIST and part.isdigit() and current.item is not None:
            current = current.item
        else:
            return None
    return current


def apply_action(document: dict[str, Any], action: str) -> bool:
    """Add (`add:<name>`) or remove (`remove:<name>`) a list item or an optional record, in place.

    The buttons of the form send these; a name the document does not hold changes nothing
    (False), so a stale or crafted button can never fail the page.
    """
    verb, _, name = action.partition(":")
    ftype = type_at(name) if name else None
    parts = name.split(".")
    parent = _container(document, parts[:-1])
    last = parts[-1]
    if ftype is None or parent is None:
        return False
    if verb == "add" and isinstance(parent, dict):
        if ftype.kind is Kind.LIST:
            items = parent.setdefault(last, [])
            if isinstance(items, list):
                items.append(_new_value(ftype.item or FieldType(Kind.STRING)))
                return True
        elif ftype.kind is Kind.RECORD and not isinstance(parent.get(last), dict):
            parent[last] = {}
            return True
    if verb == "remove":
        if isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
            del parent[int(last)]
            return True
        if isinstance(parent, dict) and ftype.kind is Kind.RECORD and last in parent:
            del parent[last]
            return True
    return False


def _container(document: object, parts: list[str]) -> dict[str, Any] | list[Any] | None:
    current: object = document
    for part in parts:
        if isinstance(current, dict):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
    return current if isinstance(current, dict | list) else None


def _new_value(ftype: FieldType) -> object:
    return {} if ftype.kind is Kind.RECORD else ""


def reapply(base: Mapping[str, str], mine: Mapping[str, str], current: Mapping[str, str]) -> Fields:
    """The member's change (from `base` to `mine`) made again on top of `current`, field by field.

    A field the member did not touch takes its current value, whoever set it; one they changed
    keeps theirs. The member sees the result in the form and saves it only when it is right.
    """
    result = dict(current)
    for name in base.keys() | mine.keys():
        if mine.get(name) == base.get(name):
            continue
        if name in mine:
            result[name] = mine[name]
        else:
            result.pop(name, None)
    return result
