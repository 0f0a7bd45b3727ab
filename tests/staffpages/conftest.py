"""Arranging staff-page tests: the people tests' registry, plans and signed-in members, spoken
to through the pages (HTML over real HTTP)."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.people.conftest import (  # noqa: F401 - fixtures shared with the people API tests
    Person,
    hoks,
    registry,
    staff,
)

UI = "/ehoks-virkailija-ui"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def page(person: Person, path: str, **kwargs: Any) -> httpx.Response:
    """A page as the member's browser gets it (no redirects followed)."""
    headers = {"Cookie": person.headers["Cookie"], "Accept": "text/html"}
    return person.http.get(path, headers=headers, **kwargs)


def post_form(person: Person, path: str, form: dict[str, str]) -> httpx.Response:
    """A form post as a browser sends it: the CSRF token in the form, not in a header."""
    headers = {"Cookie": person.headers["Cookie"], "Accept": "text/html"}
    return person.http.post(path, data={"csrf_token": person.csrf, **form}, headers=headers)


def text_of(response: httpx.Response) -> str:
    """The page's visible words, roughly: tags out, whitespace squeezed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
