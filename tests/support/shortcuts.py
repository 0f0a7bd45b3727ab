"""Checking `kit.shortcut.ShortcutsFirst`: an address's answer when FastAPI routes it, and when
it is answered before routing, once the address is known."""

from __future__ import annotations

from collections.abc import Callable

import httpx
from fastapi import FastAPI

from ehoks.kit.http import REQUEST_ID_HEADER
from ehoks.kit.shortcut import ShortcutsFirst

# Headers that differ between any two answers: the request's id and the second it was sent in.
_OWN_HEADERS = frozenset({REQUEST_ID_HEADER.lower(), "date"})


def routed_then_first(
    app: FastAPI, path: str, ask: Callable[[], httpx.Response]
) -> tuple[httpx.Response, httpx.Response]:
    """`ask` with `path` not yet known (FastAPI routes it), then known (answered before)."""
    first = app.router.middleware_stack
    assert isinstance(first, ShortcutsFirst)
    first.known.pop(path, None)
    routed = ask()
    assert path in first.known, "FastAPI's choice of route was not learned"
    return routed, ask()


def assert_same_answer(one: httpx.Response, other: httpx.Response) -> None:
    """The same status, headers (but the request's own) and body, byte for byte (an error's
    body names its request's id, which is taken out)."""
    assert (one.status_code, _body(one)) == (other.status_code, _body(other))

    def kept(response: httpx.Response) -> list[tuple[str, str]]:
        return [(k, v) for k, v in response.headers.multi_items() if k.lower() not in _OWN_HEADERS]

    assert kept(one) == kept(other)


def _body(response: httpx.Response) -> bytes:
    return response.content.replace(response.headers[REQUEST_ID_HEADER].encode(), b"<id>")
