"""The stored (GET) shape of a canonical document, and a walk over its module records."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Final

from ehoks.hoksmodel.spec import HOKS, MODULE_RECORDS, RECORDS, Kind
from ehoks.kit.errors import pointer

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

# §6.2: an organiser without an institution OID is not returned by GET.
_DROP_WITHOUT: Final = {"NaytonJarjestaja": "oppilaitos-oid"}
MODULE_ID: Final = "module-id"
_PUT: Final = 1
_GET: Final = 3


@cache
def _children(name: str) -> dict[str, tuple[str, bool]]:
    """Keys of `name` that hold records: key -> (record type, is a list)."""
    children: dict[str, tuple[str, bool]] = {}
    for field in RECORDS[name].fields:
        ftype = field.type
        if ftype.kind is Kind.RECORD and ftype.record:
            children[field.key] = (ftype.record, False)
        elif ftype.kind is Kind.LIST and ftype.item is not None and ftype.item.record:
            children[field.key] = (ftype.item.record, True)
    return children


@cache
def _defaults(name: str) -> tuple[tuple[str, str | None], ...]:
    """Keys that requests may omit but GET always returns: (key, record type or None = list)."""
    defaults: list[tuple[str, str | None]] = []
    for field in RECORDS[name].fields:
        if field.presence[_PUT] == "O" and field.presence[_GET] == "R":
            if field.type.kind is Kind.LIST:
                defaults.append((field.key, None))
            elif field.type.kind is Kind.RECORD:
                defaults.append((field.key, field.type.record))
    return tuple(defaults)


def stored_form(
    document: dict[str, Any], new_id: Callable[[], str] | None = None
) -> dict[str, Any]:
    """A new dict in the GET shape: every part list and child list present, empty organisers out.

    `document` is a canonical document from `validate_hoks`. Running this on its own output
    changes nothing. With `new_id` (a new HOKS), every record of a type that carries `module-id`
    gets a new one from it, in the order of `iter_module_records`, in the same walk.
    """
    return _stored_record(HOKS.name, document, new_id)


def _stored_record(
    name: str, value: dict[str, Any], new_id: Callable[[], str] | None
) -> dict[str, Any]:
    # Taken before the children's, so that ids are handed out parents first, in document order.
    module_id = new_id() if new_id is not None and name in MODULE_RECORDS else None
    children = _children(name)
    out: dict[str, Any] = {}
    for key, item in value.items():
        child = children.get(key)
        if child is None:
            out[key] = item
            continue
        child_name, is_list = child
        if is_list and isinstance(item, list):
            out[key] = [
                _stored_record(child_name, element, new_id)
                if isinstance(element, dict)
                else element
                for element in item
            ]
        elif isinstance(item, dict):
            required_key = _DROP_WITHOUT.get(child_name)
            if required_key is None or required_key in item:
                out[key] = _stored_record(child_name, item, new_id)
        else:
            out[key] = item
    for key, record_name in _defaults(name):
        if key not in out:
            out[key] = [] if record_name is None else _stored_record(record_name, {}, new_id)
    if module_id is not None:
        out[MODULE_ID] = module_id
    return out


def iter_module_records(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every record of a type that carries `module-id`: (type name, JSON Pointer, record).

    Depth-first in document order, parents before their children.
    """
    yield from _iter_records(HOKS.name, document, ())


def _iter_records(
    name: str, value: dict[str, Any], parts: tuple[str | int, ...]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    if name in MODULE_RECORDS:
        yield name, pointer(*parts), value
    children = _children(name)
    for key, item in value.items():
        child = children.get(key)
        if child is None:
            continue
        child_name, is_list = child
        if is_list and isinstance(item, list):
            for index, element in enumerate(item):
                if isinstance(element, dict):
                    yield from _iter_records(child_name, element, (*parts, key, index))
        elif isinstance(item, dict):
            yield from _iter_records(child_name, item, (*parts, key))
