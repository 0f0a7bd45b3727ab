"""OpenAPI descriptions of the HOKS bodies, generated from the data model itself."""

from __future__ import annotations

from typing import Any

from ehoks.hoksmodel import Method, json_schema, json_schema_get

REF = "#/components/schemas/{name}"
ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "The error body of every 4xx and 5xx: `error` is a message in the language of "
        "Accept-Language (fi, sv or en; Finnish by default), `code` is stable. For input errors, "
        "`violations` lists the problems with their JSON Pointer `path` (at most the first 100; "
        "a batch answer lists at most 100 in all), `violation-count` is how many there were, "
        "`truncated` is true when some were left out, and `errors` mirrors the body's shape with "
        "a message at each listed failing field."
    ),
    "properties": {
        "error": {"type": "string"},
        "code": {"type": "string"},
        "request-id": {"type": "string"},
        "violations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "path": {"type": "string", "description": "JSON Pointer (RFC 6901)"},
                    "message": {"type": "string"},
                },
                "required": ["code", "path", "message"],
            },
        },
        "violation-count": {"type": "integer", "minimum": 1},
        "truncated": {"type": "boolean"},
        "errors": {"type": ["object", "string"]},
    },
    "required": ["error", "code"],
}


def request_body(schema_name: str) -> dict[str, Any]:
    """`openapi_extra` for a route that reads a HOKS body itself."""
    return _json_body({"$ref": REF.format(name=schema_name)})


def batch_request_body(schema_name: str, max_items: int) -> dict[str, Any]:
    """`openapi_extra` for a route that reads a JSON array of HOKS bodies itself."""
    items = {"$ref": REF.format(name=schema_name)}
    return _json_body({"type": "array", "maxItems": max_items, "items": items})


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": schema}}}}


def document_response(schema_name: str, description: str) -> dict[int | str, Any]:
    """`responses` of a route that answers with a stored HOKS (sent as stored, not a model)."""
    content = {"application/json": {"schema": {"$ref": REF.format(name=schema_name)}}}
    return {200: {"description": description, "content": content}}


def extend(document: dict[str, Any]) -> None:
    """Add the HOKS schemas of every method and the error body to `components/schemas`."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for method in (Method.POST, Method.PUT, Method.PATCH):
        schemas.update(json_schema(method, ref_template=REF)["$defs"])
    schemas.update(json_schema_get(ref_template=REF)["$defs"])
    schemas["Error"] = ERROR_SCHEMA
    schemas["HOKSEnvelope"] = {
        "type": "object",
        "properties": {"meta": {"type": "object"}, "data": {"$ref": REF.format(name="HOKSGet")}},
        "required": ["meta", "data"],
    }
    schemas["HOKSTopLevelEnvelope"] = {
        "type": "object",
        "properties": {
            "meta": {"type": "object"},
            "data": {
                "type": "object",
                "description": "The top-level fields of HOKSGet, without the part lists.",
            },
        },
        "required": ["meta", "data"],
    }
    schemas["HOKSListEnvelope"] = {
        "type": "object",
        "properties": {
            "meta": {"type": "object"},
            "data": {"type": "array", "items": {"$ref": REF.format(name="HOKSGet")}},
        },
        "required": ["meta", "data"],
    }
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict):
                _errors(operation)
    # FastAPI's own 422 bodies are never sent: every input error is a 400 with the Error body.
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(name="Error")}}},
    }


def _errors(operation: dict[str, Any]) -> None:
    """The answers every operation may give besides its own, as the service gives them."""
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)
    # Any request can be a 400: a control character anywhere is refused before any route runs.
    responses.setdefault("400", _error("Invalid input: a stable code and each violation"))
    responses.setdefault("4XX", _error("Input, authentication or permission error"))
    responses.setdefault(
        "503",
        {
            **_error(
                "The database, or a national registry a write must check against, cannot be "
                "reached just now; nothing was stored"
            ),
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer"},
                }
            },
        },
    )
    for parameter in operation.get("parameters", []):
        _no_control_characters(parameter.get("schema", {}))


# What `ehoks.pipeline.edge` refuses in every address, query, header and cookie (400).
NO_CONTROL_CHARACTERS = "^[^\\x00-\\x1f\\x7f]*$"


def _no_control_characters(schema: dict[str, Any]) -> None:
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "string" and "pattern" not in option and "enum" not in option:
            option["pattern"] = NO_CONTROL_CHARACTERS
