"""The one error contract of the service.

Every error response has the same body::

    {"error": "<message in the caller's language>", "code": "<stable code>",
     "request-id": "...", "violations": [{"code", "path", "message"}, ...],
     "errors": {<tree mirroring the request body, a message at each failing leaf>}}

`error` is a string so that integrations written for the national service, whose business errors
are `{"error": "<message>"}`, keep working. `violations` is the machine-readable list; `path` is a
JSON Pointer (RFC 6901) into the request body. `errors` mirrors the national validation-error
tree. `violations` and `errors` appear only for input errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ehoks.kit.i18n import Lang, Translations, render


@dataclass(frozen=True, slots=True)
class Violation:
    """One thing wrong with a request, at one place in its body."""

    code: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)


class ApiError(Exception):
    """An error the caller can act on; carries its HTTP status and stable code."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        params: dict[str, Any] | None = None,
        violations: list[Violation] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params or {}
        self.violations = violations or []
        self.headers = headers or {}


def pointer(*parts: str | int) -> str:
    """A JSON Pointer from path parts, escaping `~` and `/` as RFC 6901 says."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_parts(path: str) -> list[str]:
    if not path:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]


def message_for(code: str, lang: Lang, params: dict[str, Any] | None = None) -> str:
    from ehoks.kit.messages import catalogue  # noqa: PLC0415 - the catalogue imports domain texts

    translations: Translations | None = catalogue().get(code)
    if translations is None:
        translations = catalogue()["unknown_error"]
    return render(translations, lang, params)


def error_tree(violations: list[Violation], lang: Lang) -> dict[str, Any] | str:
    """The national-style `errors` tree: the body's shape, with a message at each failing leaf.

    Lists become objects keyed by index, so sparse failures stay readable.
    """
    tree: dict[str, Any] = {}
    for violation in violations:
        parts = pointer_parts(violation.path)
        text = message_for(violation.code, lang, violation.params)
        if not parts:
            return text
        node = tree
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = {}
                node[part] = child
            node = child
        existing = node.get(parts[-1])
        if isinstance(existing, str):
            node[parts[-1]] = f"{existing}; {text}"
        elif existing is None:
            node[parts[-1]] = text
    return tree


def error_body(error: ApiError, lang: Lang, request_id: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "error": message_for(error.code, lang, error.params),
        "code": error.code,
    }
    if request_id:
        body["request-id"] = request_id
    if error.violations:
        body["violations"] = [
            {
                "code": v.code,
                "path": v.path,
                "message": message_for(v.code, lang, v.params),
            }
            for v in error.violations
        ]
        body["errors"] = error_tree(error.violations, lang)
    return body
