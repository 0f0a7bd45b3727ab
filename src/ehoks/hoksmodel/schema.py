"""JSON Schema (2020-12, as used by OpenAPI 3.1) of the HOKS request bodies and the GET shape.

Generated from `spec.py`, so it cannot drift from what the validator enforces. The schema states
types, presence, patterns and lengths; the cross-field rules (e.g. the workplace-period rules)
are described in the texts but only the validator checks them.
"""

from __future__ import annotations

from typing import Any, Final

from ehoks.hoksmodel.checkers import INT_MAX, INT_MIN
from ehoks.hoksmodel.formats import BUSINESS_ID_PATTERN, OID_PATTERNS, UUID_PATTERN, OidKind
from ehoks.hoksmodel.spec import DB_VARCHAR, HOKS, RECORDS, FieldType, Kind
from ehoks.hoksmodel.types import Method

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
DEFAULT_REF_TEMPLATE: Final = "#/$defs/{name}"
_INDEX: Final = {Method.POST: 0, Method.PUT: 1, Method.PATCH: 2}
_GET_INDEX: Final = 3
_SUFFIX: Final = {0: "Post", 1: "Put", 2: "Patch", 3: "Get"}


def json_schema(method: Method, *, ref_template: str = DEFAULT_REF_TEMPLATE) -> dict[str, Any]:
    """The JSON Schema of the request body for `method`.

    Definitions are named `<RecordType><Method>` (e.g. `OsaamisenHankkimistapaPost`) so that the
    definitions of all methods can share one OpenAPI `components/schemas` namespace; pass
    `ref_template="#/components/schemas/{name}"` for that.
    """
    return _Builder(_INDEX[method], ref_template).build()


def json_schema_get(*, ref_template: str = DEFAULT_REF_TEMPLATE) -> dict[str, Any]:
    """The JSON Schema of a single HOKS as GET returns it."""
    return _Builder(_GET_INDEX, ref_template).build()


class _Builder:
    def __init__(self, index: int, ref_template: str) -> None:
        self.index = index
        self.ref_template = ref_template
        self.defs: dict[str, Any] = {}

    def build(self) -> dict[str, Any]:
        root = self.ref(HOKS.name)
        return {"$schema": DRAFT, "$ref": root, "$defs": self.defs}

    def def_name(self, record: str) -> str:
        return record + _SUFFIX[self.index]

    def ref(self, record: str) -> str:
        name = self.def_name(record)
        if name not in self.defs:
            self.defs[name] = {}  # placeholder first: guards against re-entry
            self.defs[name] = self.record_schema(record)
        return self.ref_template.format(name=name)

    def record_schema(self, record: str) -> dict[str, Any]:
        spec = RECORDS[record]
        properties: dict[str, Any] = {}
        required: list[str] = []
        for field in spec.fields:
            presence = field.presence[self.index]
            if presence == "-":
                continue
            schema = self.type_schema(field.type)
            schema["description"] = field.description
            properties[field.key] = schema
            if presence == "R":
                required.append(field.key)
        out: dict[str, Any] = {
            "type": "object",
            "title": record,
            "description": spec.description,
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            out["required"] = required
        return out

    def type_schema(self, ftype: FieldType) -> dict[str, Any]:
        kind = ftype.kind
        if kind is Kind.RECORD:
            return {"$ref": self.ref(ftype.record or "")}
        if kind is Kind.LIST:
            return {
                "type": "array",
                "items": self.type_schema(ftype.item or FieldType(Kind.STRING)),
            }
        if kind is Kind.STRING:
            return _string_schema(ftype)
        if kind is Kind.PATTERN:
            return {
                "type": "string",
                "pattern": f"^{ftype.pattern}$",
                "maxLength": ftype.max_len or DB_VARCHAR,
            }
        if kind is Kind.OID:
            return {
                "type": "string",
                "pattern": f"^{OID_PATTERNS[ftype.oid or OidKind.ORGANISAATIO]}$",
            }
        schema = dict(_SIMPLE[kind])
        if ftype.non_negative:
            schema["minimum"] = 0
        return schema


def _string_schema(ftype: FieldType) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if ftype.max_len is not None:
        schema["maxLength"] = ftype.max_len
    if ftype.non_empty:
        schema["pattern"] = r"\S"
    if ftype.phone:
        schema["pattern"] = r"^\s*[-+0-9() ]*\s*$"
    return schema


_SIMPLE: Final[dict[Kind, dict[str, Any]]] = {
    Kind.BUSINESS_ID: {"type": "string", "pattern": f"^{BUSINESS_ID_PATTERN}$"},
    Kind.UUID: {"type": "string", "format": "uuid", "pattern": f"^{UUID_PATTERN}$"},
    Kind.DATE: {"type": "string", "format": "date"},
    Kind.TIMESTAMP: {"type": "string", "format": "date-time"},
    Kind.INT: {"type": "integer", "minimum": INT_MIN, "maximum": INT_MAX},
    Kind.NUMBER: {"type": "number"},
    Kind.BOOLEAN: {"type": "boolean"},
}
