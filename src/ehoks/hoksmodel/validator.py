"""The compiled validator: the spec turned into one closure per record type and method.

Compiling once per method (cached) keeps per-request work to a dict walk: each key is looked up
in a prepared table of checkers, and paths are built only when something is wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any, Final

from ehoks.hoksmodel import rules
from ehoks.hoksmodel.checkers import SCALAR_FACTORIES, Checker
from ehoks.hoksmodel.context import INVALID, Ctx
from ehoks.hoksmodel.spec import HOKS, RECORDS, FieldType, Kind
from ehoks.hoksmodel.types import Method, StudyRightFacts, ValidationResult, Variant
from ehoks.kit.errors import Violation, Violations, pointer

RecordHook = Callable[[dict[str, Any], str, Ctx], None]
ListHook = Callable[[list[Any], str, Ctx], None]

METHOD_INDEX: Final = {Method.POST: 0, Method.PUT: 1, Method.PATCH: 2}
# Rules that need a whole record (run when the record itself had no violations) ...
RECORD_HOOKS: Final[dict[str, RecordHook]] = {
    "OsaamisenHankkimistapa": rules.check_period,
    "OppimisenTuki": rules.check_learning_support,
}
# ... or a whole list of records of this type (run when the list had no violations).
LIST_HOOKS: Final[dict[str, ListHook]] = {
    "Keskeytymisajanjakso": rules.check_interruptions,
}

# A record walker: (value, its own path, ctx) -> canonical dict or INVALID.
Walker = Callable[[object, str, Ctx], object]


class _Compiler:
    def __init__(self, method: Method) -> None:
        self.index = METHOD_INDEX[method]
        self.walkers: dict[str, Walker] = {}

    def checker(self, ftype: FieldType) -> Checker:
        if ftype.kind is Kind.RECORD:
            walker = self.walker(ftype.record or "")

            def check_record(value: object, parent: str, key: str, ctx: Ctx) -> object:
                return walker(value, f"{parent}/{key}", ctx)

            return check_record
        if ftype.kind is Kind.LIST:
            item = ftype.item or FieldType(Kind.STRING)
            hook = LIST_HOOKS.get(item.record or "")
            return _list_checker(self.checker(item), hook)
        return SCALAR_FACTORIES[ftype.kind](ftype)

    def walker(self, name: str) -> Walker:
        existing = self.walkers.get(name)
        if existing is None:
            existing = self._compile_record(name)
            self.walkers[name] = existing
        return existing

    def _compile_record(self, name: str) -> Walker:
        spec = RECORDS[name]
        plans: dict[str, tuple[Checker | None, bool]] = {}
        required: list[str] = []
        for field in spec.fields:
            presence = field.presence_for(self.index)
            if presence == "-":
                plans[field.key] = (None, False)
                continue
            plans[field.key] = (self.checker(field.type), field.keep)
            if presence == "R":
                required.append(field.key)
        return _record_walker(plans, tuple(required), RECORD_HOOKS.get(name))


def _record_walker(  # noqa: C901 - see walk
    plans: dict[str, tuple[Checker | None, bool]],
    required: tuple[str, ...],
    hook: RecordHook | None,
) -> Walker:
    # One function on purpose: this is the hot loop of validation.
    def walk(value: object, path: str, ctx: Ctx) -> object:  # noqa: C901
        if not isinstance(value, dict):
            ctx.add("wrong_type", path, {"expected": "object"})
            return INVALID
        errors = ctx.errors
        before = errors.total
        out: dict[str, Any] = {}
        for key, item in value.items():
            plan = plans.get(key)
            if plan is None:
                errors.append(Violation("unknown_field", path + pointer(str(key)), {}))
                continue
            check, keep = plan
            if check is None:
                errors.append(Violation("field_not_allowed", f"{path}/{key}", {}))
            elif item is None:
                errors.append(Violation("null_not_allowed", f"{path}/{key}", {}))
            else:
                result = check(item, path, key, ctx)
                if keep:
                    out[key] = result
        for key in required:
            if key not in value:
                errors.append(Violation("required", f"{path}/{key}", {}))
        if errors.total != before:
            return INVALID
        if hook is not None:
            hook(out, path, ctx)
        return out

    return walk


def _list_checker(item_check: Checker, hook: ListHook | None) -> Checker:
    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        path = f"{parent}/{key}"
        if not isinstance(value, list):
            ctx.add("wrong_type", path, {"expected": "array"})
            return INVALID
        errors = ctx.errors
        before = errors.total
        out: list[object] = []
        for index, item in enumerate(value):
            if item is None:
                errors.append(Violation("null_not_allowed", f"{path}/{index}", {}))
            else:
                out.append(item_check(item, path, str(index), ctx))
        if errors.total != before:
            return INVALID
        if hook is not None:
            hook(out, path, ctx)
        return out

    return check


@cache
def _hoks_walker(method: Method) -> Walker:
    return _Compiler(method).walker(HOKS.name)


def validate_hoks(
    body: object,
    *,
    method: Method,
    variant: Variant = Variant.SERVICE,
    study_right: StudyRightFacts | None,
    today: date,
) -> ValidationResult:
    """Check a HOKS request body against the national model and return its violations (the
    first `MAX_VIOLATIONS`, and how many there were).

    `study_right` describes the Koski study right (for PUT and PATCH: the stored HOKS's). When
    it is None, the rules that need it (§5.1 a, f, g and §5.3) are skipped. `today` is the
    server's date, used by the §5.5 window of `osaamisen-saavuttamisen-pvm`.

    When there are no violations, `document` is the canonical form: strings trimmed,
    timestamps in UTC, `1.0`-style integers as ints, obsolete nested ids and the top-level `id`
    removed, and (staff variant) generated `yksiloiva-tunniste` values filled in.
    """
    if not isinstance(body, dict):
        return ValidationResult(None, [Violation("body_not_object", "", {})], 1)
    ctx = Ctx(method, variant, study_right, today, Violations())
    document = _hoks_walker(method)(body, "", ctx)
    rules.check_study_right(body, ctx)
    if ctx.errors:
        return ValidationResult(None, ctx.errors.kept, ctx.errors.total)
    return ValidationResult(document if isinstance(document, dict) else None)
