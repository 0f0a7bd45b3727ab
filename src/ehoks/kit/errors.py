"""The one error contract of the service.

Every error response has the same body::

    {"error": "<message in the caller's language>", "code": "<stable code>",
     "request-id": "...", "violations": [{"code", "path", "message"}, ...],
     "violation-count": <int>, "truncated": <bool>,
     "errors": {<tree mirroring the request body, a message at each failing leaf>}}

`error` is a string so that integrations written for the national service, whose business errors
are `{"error": "<message>"}`, keep working. `violations` is the machine-readable list; `path` is a
JSON Pointer (RFC 6901) into the request body. `errors` mirrors the national validation-error
tree. `violations`, `violation-count`, `truncated` and `errors` appear only for input errors.

A hostile body can hold millions of mistakes (a list of nulls, thousands of unknown keys): only the
first `MAX_VIOLATIONS` are kept and rendered, and the others are only counted, so an error answer
is never much larger than a correct one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Final

from ehoks.kit.i18n import Lang, Translations, render


@dataclass(frozen=True, slots=True)
class Violation:
    """One thing wrong with a request, at one place in its body."""

    code: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)


# The most violations kept for one document, and rendered in one answer.
MAX_VIOLATIONS: Final = 100


class Violations:
    """Violations as they are found: the first `limit` kept, every one counted (`total`)."""

    __slots__ = ("kept", "limit", "total")

    def __init__(
        self, found: Iterable[Violation] = (), *, total: int = 0, limit: int = MAX_VIOLATIONS
    ) -> None:
        """`total`: how many `found` stands for, when it holds only the first of them."""
        self.kept: list[Violation] = []
        self.limit = limit
        self.total = 0
        self.extend(found)
        self.total = max(self.total, total)

    def append(self, violation: Violation) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(violation)

    def extend(self, found: Iterable[Violation]) -> None:
        if isinstance(found, Violations):
            for violation in found.kept:
                self.append(violation)
            # What the other one only counted is counted here too.
            self.total += found.total - len(found.kept)
            return
        for violation in found:
            self.append(violation)

    def __iter__(self) -> Iterator[Violation]:
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept)

    def __bool__(self) -> bool:
        return self.total > 0


class ApiError(Exception):
    """An error the caller can act on; carries its HTTP status and stable code."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        params: dict[str, Any] | None = None,
        violations: Iterable[Violation] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params or {}
        found = violations if isinstance(violations, Violations) else Violations(violations or ())
        self.violations = found.kept
        # Every violation found, also those beyond the ones kept.
        self.violation_count = found.total
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


# Beyond this position a list's errors stay an object keyed by index (see `error_tree`).
MAX_ERROR_LIST_INDEX = 999


def error_tree(rendered: list[tuple[Violation, str]]) -> dict[str, Any] | list[Any] | str:
    """The national-style `errors` tree: the body's shape, with a message at each failing leaf.

    Lists become JSON arrays as in the national answer, with null at the items that passed (up to
    the last failing one). A failing item beyond `MAX_ERROR_LIST_INDEX` keeps its list an object
    keyed by index instead, so that an answer never grows by padding. Takes each violation with
    its message already rendered: every message is rendered once per answer.
    """
    tree: dict[str, Any] = {}
    for violation, text in rendered:
        parts = pointer_parts(violation.path)
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
    return _lists_as_arrays(tree)


def _lists_as_arrays(node: dict[str, Any]) -> dict[str, Any] | list[Any]:
    """Objects keyed only by list positions become arrays (the body's lists), depth first."""
    for key, child in node.items():
        if isinstance(child, dict):
            node[key] = _lists_as_arrays(child)
    if not node or not all(key.isdigit() for key in node):
        return node
    last = max(int(key) for key in node)
    if last > MAX_ERROR_LIST_INDEX:
        return node
    items: list[Any] = [None] * (last + 1)
    for key, child in node.items():
        items[int(key)] = child
    return items


def error_body(error: ApiError, lang: Lang, request_id: str | None) -> dict[str, Any]:
    """The error's body, listing the violations it kept (at most `MAX_VIOLATIONS`)."""
    body: dict[str, Any] = {
        "error": message_for(error.code, lang, error.params),
        "code": error.code,
    }
    if request_id:
        body["request-id"] = request_id
    if error.violation_count:
        shown = error.violations
        rendered = [(v, message_for(v.code, lang, v.params)) for v in shown]
        if rendered:
            body["violations"] = [
                {"code": v.code, "path": v.path, "message": text} for v, text in rendered
            ]
        body["violation-count"] = error.violation_count
        body["truncated"] = len(shown) < error.violation_count
        if rendered:
            body["errors"] = error_tree(rendered)
    return body
