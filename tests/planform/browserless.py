"""Submitting a page's form as a browser would: every field's value, and the button pressed."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class FormValues(HTMLParser):
    """The values a browser would send for the form with id `form_id` (no button yet)."""

    def __init__(self, form_id: str | None = None) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self._select: str | None = None
        self._selected: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: dict[str, Any] = dict(attrs)
        if tag == "form" and (self.form_id is None or found.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in {"radio", "checkbox"} and "checked" not in found:
                return
            self.values.append((name, found.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._selected, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = found.get("value") or ""
            if self._first_option is None:
                self._first_option = value
            if "selected" in found:
                self._selected = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        if tag == "select" and self._select is not None:
            self.values.append((self._select, self._selected or self._first_option or ""))
            self._select = None


def form_values(html: str, form_id: str | None = "plan-form") -> dict[str, str]:
    parser = FormValues(form_id)
    parser.feed(html)
    return dict(parser.values)
