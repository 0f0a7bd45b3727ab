"""Stable identifiers of HOKS parts across replacements.

Share links, feedback and workplace instructors' access point at parts by `module-id`, so a PUT
that describes the same part again must keep its id. A part of the new document is matched to a
part of the stored one, in this order:

1. its own `module-id`, as a GET returned it (an id this HOKS does not have is an error);
2. for a learning period (osaamisen hankkimistapa), its `yksiloiva-tunniste`;
3. its natural key, when exactly one stored part and one new part of the same kind share it:
   the unit code of a unit (or the name of a local unit), the sub-area code within the same unit,
   and for a demonstration or a period without an identifier, its whole content within the same
   part (an unchanged demonstration keeps its id; an edited one without a module-id is new);
4. otherwise it is a new part and gets a new id.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from typing import Any

import orjson

from ehoks.hoksmodel import MODULE_ID, iter_module_records
from ehoks.kit.errors import Violation, pointer
from ehoks.kit.ids import new_id

PERIOD_ID = "yksiloiva-tunniste"

# The record kinds that are learning periods, and the natural keys of the others.
_PERIOD_KINDS = frozenset({"OsaamisenHankkimistapa"})
_UNIT_CODE = ("tutkinnon-osa-koodi-uri",)
_LOCAL_UNIT = ("amosaa-tunniste", "nimi")
_SUB_AREA = ("osa-alue-koodi-uri",)
_NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "HankittavaAmmatillinenTutkinnonOsa": _UNIT_CODE,
    "HankittavaYhteinenTutkinnonOsa": _UNIT_CODE,
    "AiemminHankittuAmmatillinenTutkinnonOsa": _UNIT_CODE,
    "AiemminHankittuYhteinenTutkinnonOsa": _UNIT_CODE,
    "HankittavaPaikallinenTutkinnonOsa": _LOCAL_UNIT,
    "AiemminHankittuPaikallinenTutkinnonOsa": _LOCAL_UNIT,
    "HankittavanYTOnOsaAlue": _SUB_AREA,
    "AiemminHankitunYTOnOsaAlue": _SUB_AREA,
}

# Kinds without a natural key of their own: matched by their whole content.
_CONTENT_KEYED = frozenset({"OsaamisenOsoittaminen", "OsaamisenHankkimistapa"})

Record = dict[str, Any]
NewId = Callable[[], str]


def new_module_id() -> str:
    """A new part's id (a new HOKS's parts get theirs in `hoksmodel.stored_form`): time-ordered,
    so that the workplace periods' index of them grows at its end (`ehoks.kit.ids`)."""
    return new_id()


def without_module_ids(node: Any) -> Any:
    """A document with every `module-id` left out: what a sender that keeps no ids can say.

    Two parts with the same natural key (two sub-areas of one code, say) cannot be told apart by
    a document without ids, and get new ids on every replace; compared without ids, sending the
    same content again is still no change.
    """
    if isinstance(node, dict):
        return {key: without_module_ids(value) for key, value in node.items() if key != MODULE_ID}
    if isinstance(node, list):
        return [without_module_ids(value) for value in node]
    return node


def carry_over_ids(
    document: Record, stored: Record | None, new_id: NewId = new_module_id
) -> list[Violation]:
    """Match the parts of `document` to those of `stored` and set every `module-id` (in place)."""
    old = _StoredParts(stored) if stored is not None else _StoredParts({})
    violations: list[Violation] = []
    new_records = list(iter_module_records(document))
    given = Counter(r.get(MODULE_ID) for _, _, r in new_records if r.get(MODULE_ID))
    new_keys = Counter(
        (kind, _parent_path(path), key)
        for kind, path, record in new_records
        if (key := _natural_key(kind, record)) is not None
    )
    # Explicit ids first, so that a matched key can never take an id another part names.
    for kind, path, record in new_records:
        module_id = record.get(MODULE_ID)
        if not module_id:
            continue
        where = path + pointer(MODULE_ID)
        if given[module_id] > 1:
            violations.append(Violation("duplicate_module_id", where, {"module_id": module_id}))
        elif not old.claim_id(kind, module_id):
            violations.append(Violation("unknown_module_id", where, {"module_id": module_id}))
    parent_ids: dict[str, str] = {}
    for kind, path, record in new_records:
        if not record.get(MODULE_ID):
            key = _natural_key(kind, record)
            unique_key = key is not None and new_keys[(kind, _parent_path(path), key)] == 1
            parent = _parent_module_id(path, parent_ids)
            record[MODULE_ID] = (
                old.claim_period(kind, record.get(PERIOD_ID))
                or (old.claim_natural(kind, parent, key) if unique_key and key else None)
                or new_id()
            )
        parent_ids[path] = str(record[MODULE_ID])
    return violations


def _natural_key(kind: str, record: Record) -> str | None:
    if kind in _CONTENT_KEYED:
        content = {k: v for k, v in record.items() if k != MODULE_ID}
        return (
            "content="
            + hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()
        )
    fields = _NATURAL_KEYS.get(kind)
    if not fields:
        return None
    for field in fields:
        value = record.get(field)
        if isinstance(value, str) and value:
            return f"{field}={value}"
    return None


def _parent_path(path: str) -> str:
    # ".../<list>/<index>" -> the pointer of the record that holds the list.
    return path.rsplit("/", 2)[0]


def _parent_module_id(path: str, parent_ids: dict[str, str]) -> str | None:
    return parent_ids.get(_parent_path(path))


class _StoredParts:
    """The stored document's parts, each of which can be claimed by one new part."""

    def __init__(self, stored: Record) -> None:
        self._kind_of: dict[str, str] = {}
        self._by_period: dict[str, str] = {}
        self._by_natural: dict[tuple[str, str | None, str], list[str]] = {}
        self._claimed: set[str] = set()
        parent_ids: dict[str, str] = {}
        for kind, path, record in iter_module_records(stored):
            module_id = record.get(MODULE_ID)
            if not isinstance(module_id, str):
                continue
            parent_ids[path] = module_id
            self._kind_of[module_id] = kind
            period = record.get(PERIOD_ID)
            if kind in _PERIOD_KINDS and isinstance(period, str) and period:
                self._by_period.setdefault(period, module_id)
            key = _natural_key(kind, record)
            if key is not None:
                slot = (kind, _parent_module_id(path, parent_ids), key)
                self._by_natural.setdefault(slot, []).append(module_id)

    def claim_id(self, kind: str, module_id: str) -> bool:
        if self._kind_of.get(module_id) != kind or module_id in self._claimed:
            return False
        self._claimed.add(module_id)
        return True

    def claim_period(self, kind: str, period: object) -> str | None:
        if kind not in _PERIOD_KINDS or not isinstance(period, str):
            return None
        module_id = self._by_period.get(period)
        if module_id is None or module_id in self._claimed:
            return None
        self._claimed.add(module_id)
        return module_id

    def claim_natural(self, kind: str, parent: str | None, key: str) -> str | None:
        candidates = self._by_natural.get((kind, parent, key), [])
        if len(candidates) != 1 or candidates[0] in self._claimed:
            return None
        self._claimed.add(candidates[0])
        return candidates[0]
