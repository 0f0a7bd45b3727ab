"""The form's labels: until the plan view's labels are in, each field is named by its key.

Kept behind the same two functions the plan view offers (`field_label`, `record_label`), so the
form takes its labels from there by changing this module alone.
"""

from __future__ import annotations

from ehoks.kit.i18n import Lang


def field_label(record: str, key: str, lang: Lang) -> str:  # noqa: ARG001 - see the docstring
    return key


def record_label(record: str, lang: Lang) -> str:  # noqa: ARG001 - see the docstring
    return record
