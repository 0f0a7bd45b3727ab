"""What the form and conflict pages show, shaped for their templates (`templates/planform`).

Errors come from the service's own validator as violations with JSON Pointers; each becomes an
error in the summary (linked to its field, led by where the field is in the plan) and a message
beside the field, in the page's language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

from ehoks.hoksmodel.spec import Kind
from ehoks.kit.errors import ApiError, Violation, message_for
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import FieldError
from ehoks.kit.translations import translator
from ehoks.planform import fields
from ehoks.planform.codes import Choices
from ehoks.planform.form import Absent, FormBuilder, Group, Input, Items
from ehoks.planform.service import Conflict
from ehoks.planhistory.describe import ChangeLine, describe
from ehoks.planhistory.diff import changes

# Refusals of a save that concern one field of the form rather than the whole request.
_FIELD_OF_CODE: Final = {
    "hoks_exists": "opiskeluoikeus-oid",
    "hoks_archived": "opiskeluoikeus-oid",
    "study_right_forbidden": "opiskeluoikeus-oid",
    "study_right_not_found": "opiskeluoikeus-oid",
}
_SHOWN_AS_FORM_ERRORS: Final = frozenset({400, 403, 409})

Node = Input | Group | Items | Absent


@dataclass(slots=True)
class FormView:
    """One showing of the form: its values and what it is for."""

    mode: Literal["create", "edit"]
    oppija_oid: str
    action: str
    values: dict[str, str]
    choices: Mapping[str, Choices] = field(default_factory=dict)
    offered: Mapping[str, list[tuple[str, str]]] = field(default_factory=dict)
    revision: int = 0
    hoks_id: int | None = None
    saved: bool = False
    reapplied: bool = False
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field name, message)


@dataclass(frozen=True, slots=True)
class FormPage:
    view: FormView
    basics: Sequence[Node]
    parts: Sequence[Node]
    errors: list[FieldError]
    beside: dict[str, str]


def build(view: FormView, lang: Lang) -> FormPage:
    builder = FormBuilder(lang, view.choices, view.offered, creating=view.mode == "create")
    nodes = builder.build(view.values)
    errors, beside = builder.errors(view.problems)
    basics = [node for node in nodes if not isinstance(node, Items)]
    parts = [node for node in nodes if isinstance(node, Items)]
    return FormPage(view, basics, parts, errors, beside)


def with_error(view: FormView, error: ApiError, lang: Lang) -> FormView:
    """The form again with the refusal's errors; an error no field can show is raised again."""
    if error.violations:
        view.problems = [(_name(v), violation_message(v, lang)) for v in error.violations]
        return view
    if error.status not in _SHOWN_AS_FORM_ERRORS:
        raise error
    view.problems = [
        (_FIELD_OF_CODE.get(error.code, ""), message_for(error.code, lang, error.params))
    ]
    return view


def _name(violation: Violation) -> str:
    return fields.pointer_to_name(violation.path)


def violation_message(violation: Violation, lang: Lang) -> str:
    """The validator's text, or one worded for a form where the form knows better."""
    texts = translator(lang)
    ftype = fields.type_at(_name(violation))
    kind = ftype.kind if ftype is not None else None
    if violation.code == "required":
        return texts.gettext("Fill this in.")
    if violation.code == "wrong_type" and kind in {Kind.INT, Kind.NUMBER}:
        return texts.gettext("Enter a number, for example 12.")
    if violation.code == "invalid_date" or (violation.code == "wrong_type" and kind is Kind.DATE):
        return texts.gettext("Enter a date that exists as day.month.year, for example 15.1.2026.")
    if violation.code == "wrong_type" and kind is Kind.BOOLEAN:
        return texts.gettext("Choose yes or no.")
    return message_for(violation.code, lang, violation.params)


# --- the conflict page -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConflictPage:
    theirs: list[ChangeLine]
    mine: list[ChangeLine]
    base_known: bool
    view: FormView  # the member's form, kept in hidden fields for "re-apply"
    latest: str  # the form with the latest revision, the member's change dropped


def conflict_view(mine: FormView, found: Conflict, lang: Lang) -> ConflictPage:
    """Both changes in words, as the plan's history shows them (`planhistory`)."""
    current, base, names = found.current.document, found.base, found.names
    typed = fields.from_fields(mine.values)
    theirs = describe(changes(base, current), base, current, names, lang) if base else []
    start = base if base is not None else current
    own = describe(changes(start, typed), start, typed, names, lang)
    return ConflictPage(theirs, own, base is not None, mine, mine.action)
