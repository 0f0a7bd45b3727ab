"""The plan form as a tree of widgets, generated from the model (`hoksmodel.spec`), never by hand.

Every record type becomes a group of its fields, every list a group of numbered items with an
"add" button and a "remove" button on each item, every optional nested record an "add" button
until it is there. The template `staff/planform/macros.html` draws the tree; the buttons are
plain submit buttons (`action=add:<name>`, `action=remove:<name>`), so nothing needs a script.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from ehoks.hoksmodel.spec import HOKS, Field, FieldType, Kind
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import FieldError
from ehoks.kit.translations import Translator, translator
from ehoks.planform.codes import Choices, code_list
from ehoks.planform.fields import COUNT, PRESENT, child, form_fields, list_count
from ehoks.planview import labels

FORM_ID: Final = "plan-form"
_POST: Final = 0
_PUT: Final = 1

Widget = Literal["text", "date", "number", "select", "yesno", "hidden"]


@dataclass(slots=True)
class Input:
    """One value: a text, date or number input, a choice of codes, yes/no, or a hidden value."""

    widget: Widget
    name: str
    label: str
    value: str
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    remove: str = ""  # an item of a list of texts: its remove button's action
    remove_label: str = ""

    node: Literal["input"] = "input"

    @property
    def id(self) -> str:
        return field_id(self.name)


@dataclass(slots=True)
class Group:
    """A record: its fields in the model's order, a legend, and (an item or optional) remove."""

    name: str
    legend: str
    children: list[Input | Group | Items | Absent]
    marker: str = ""  # the hidden presence marker of an optional record or a list item
    remove: str = ""
    remove_label: str = ""

    node: Literal["group"] = "group"

    @property
    def id(self) -> str:
        return field_id(self.name)


@dataclass(slots=True)
class Items:
    """A list: its items, its count (kept in a hidden field) and an add button."""

    name: str
    legend: str
    items: list[Input | Group]
    add: str
    add_label: str
    present: bool
    top: bool = False  # a part list of the plan: a section with its own heading

    node: Literal["items"] = "items"

    @property
    def id(self) -> str:
        return field_id(self.name)

    @property
    def count_name(self) -> str:
        return self.name + COUNT


@dataclass(slots=True)
class Absent:
    """An optional nested record that is not there: a button that adds it."""

    name: str
    add: str
    add_label: str

    node: Literal["absent"] = "absent"

    @property
    def id(self) -> str:
        return field_id(self.name)


def field_id(name: str) -> str:
    """The HTML id of a field or group: error links and labels point at it."""
    return f"f-{name}" if name else FORM_ID


@dataclass(slots=True)
class FormBuilder:
    """Builds the tree of one form from its values, in one language."""

    lang: Lang
    codes: Mapping[str, Choices]
    # Fields offered as a choice of their own (the study rights of the student), by name.
    offered: Mapping[str, list[tuple[str, str]]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # field name -> label trail, for errors
    creating: bool = False  # a new plan: which fields are required is the create's (POST) rule

    def build(self, values: Mapping[str, str]) -> list[Input | Group | Items | Absent]:
        return self._fields(HOKS.name, values, "", "")

    def _fields(
        self, record: str, values: Mapping[str, str], path: str, trail: str
    ) -> list[Input | Group | Items | Absent]:
        built: list[Input | Group | Items | Absent] = []
        for spec in form_fields(record):
            name = child(path, spec.key)
            label = labels.field_label(record, spec.key, self.lang)
            here = f"{trail} › {label}" if trail else label
            self.names[name] = here
            widget = self._field(record, spec, values, name, here)
            if widget is not None:
                built.append(widget)
        return built

    def _field(
        self, record: str, spec: Field, values: Mapping[str, str], name: str, trail: str
    ) -> Input | Group | Items | Absent | None:
        ftype = spec.type
        label = labels.field_label(record, spec.key, self.lang)
        required = spec.presence_for(_POST if self.creating else _PUT) == "R"
        if spec.system_set:  # carried through unchanged, never typed (hoksmodel says which)
            value = values.get(name)
            return None if value is None else Input("hidden", name, label, value)
        if ftype.kind is Kind.RECORD:
            return self._record(ftype, values, name, trail, optional=not required)
        if ftype.kind is Kind.LIST:
            return self._list(record, spec, values, name, trail)
        value = values.get(name, "")
        offered = self.offered.get(name)
        if offered:
            options = [*([] if value in dict(offered) or not value else [(value, value)]), *offered]
            return Input("select", name, label, value, required, options)
        return self._input(ftype, value, name, label, required=required)

    def _record(
        self,
        ftype: FieldType,
        values: Mapping[str, str],
        name: str,
        trail: str,
        *,
        optional: bool,
    ) -> Group | Absent:
        record = ftype.record or ""
        legend = labels.record_label(record, self.lang)
        if optional and name + PRESENT not in values:
            return Absent(name, f"add:{name}", self._texts().gettext("Add: {item}", item=legend))
        group = Group(name, legend, self._fields(record, values, name, trail))
        if optional:
            group.marker = name + PRESENT
            group.remove = f"remove:{name}"
            group.remove_label = self._texts().gettext("Remove: {item}", item=legend)
        return group

    def _list(
        self, record: str, spec: Field, values: Mapping[str, str], name: str, trail: str
    ) -> Items:
        label = labels.field_label(record, spec.key, self.lang)
        item_type = spec.type.item or FieldType(Kind.STRING)
        item_label = (
            labels.record_label(item_type.record or "", self.lang)
            if item_type.kind is Kind.RECORD
            else label
        )
        count = list_count(values, name)
        items: list[Input | Group] = []
        for index in range(count or 0):
            item_name = child(name, index)
            numbered = f"{item_label} {index + 1}"
            here = f"{trail} › {numbered}"
            self.names[item_name] = here
            remove_label = self._texts().gettext("Remove: {item}", item=numbered)
            if item_type.kind is Kind.RECORD:
                group = Group(
                    item_name,
                    numbered,
                    self._fields(item_type.record or "", values, item_name, here),
                    marker=item_name + PRESENT,
                    remove=f"remove:{item_name}",
                    remove_label=remove_label,
                )
                items.append(group)
            else:
                text = self._input(item_type, values.get(item_name, ""), item_name, numbered)
                text.remove, text.remove_label = f"remove:{item_name}", remove_label
                items.append(text)
        return Items(
            name,
            label,
            items,
            add=f"add:{name}",
            add_label=self._texts().gettext("Add: {item}", item=item_label),
            present=count is not None,
            top=record == HOKS.name,
        )

    def _input(
        self, ftype: FieldType, value: str, name: str, label: str, *, required: bool = False
    ) -> Input:
        kind = ftype.kind
        if kind is Kind.BOOLEAN:
            options = [
                ("true", self._texts().gettext("Yes")),
                ("false", self._texts().gettext("No")),
            ]
            return Input("yesno", name, label, value, required, options)
        if kind is Kind.DATE:
            return Input("date", name, label, value, required)
        if kind in {Kind.INT, Kind.NUMBER}:
            return Input("number", name, label, value, required)
        listed = code_list(ftype)
        choices = self.codes.get(listed or "") if listed else None
        if choices:
            options = list(choices)
            if value and value not in {uri for uri, _ in options}:
                options.insert(0, (value, value))
            return Input("select", name, label, value, required, options)
        return Input("text", name, label, value, required)

    def _texts(self) -> Translator:
        return translator(self.lang)

    def errors(self, problems: list[tuple[str, str]]) -> tuple[list[FieldError], dict[str, str]]:
        """Each (field name, message) linked to the nearest field the form shows: the summary's
        errors, led by the field's place in the plan (“Unit 1 › Starts: …”), and the message
        beside each field, by its id."""
        summary: list[FieldError] = []
        beside: dict[str, str] = {}
        for name, message in problems:
            shown = name
            while shown and shown not in self.names:
                shown = shown.rpartition(".")[0]
            trail = self.names.get(shown, "")
            key = field_id(shown)
            summary.append(FieldError(key, f"{trail}: {message}" if trail else message))
            beside[key] = f"{beside[key]} {message}" if key in beside else message
        return summary, beside
