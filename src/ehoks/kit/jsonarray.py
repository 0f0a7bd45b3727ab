"""A JSON array split into its items while it is read, without building the whole document.

A batch body may be 50 MB. Parsed at once, a body of 16 million `{}`s is 1.6 GB of Python objects
before anyone can count them; a splitter that sees each item end can refuse the 1001st item after
a few kilobytes, and the caller parses the items one group at a time.

Each item is found with the standard library's C scanner (`raw_decode`) on the bytes read as
Latin-1: one character per byte, so positions are byte offsets, and the JSON structure is ASCII,
so a UTF-8 string is skipped correctly even though its characters are garbled here. The parsed
value is thrown away at once; the item's own bytes are kept, to be parsed properly (orjson, UTF-8)
when their turn comes.

A body no larger than one item may be (`parse_small_whole`) cannot hold more than one document
could, so it is not scanned while it arrives: at its end it is parsed whole with orjson, once,
and its items are handed on parsed (`Parsed`). Only when that fails (not JSON, not an array) is it
scanned as a larger body is, so that its refusal is the same. A nightly batch of a few hundred
HOKS is such a body, and each of its documents is then parsed once instead of twice.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum, auto
from typing import Final

import orjson

_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")
# Try to find an item's end again only when at least this much more has arrived, and at least as
# much as was already waiting: an item that arrives in many small chunks is scanned a few times,
# not once per chunk.
_FIRST_ATTEMPT: Final = 64 * 1024


class JsonArrayError(ValueError):
    """The body cannot be a JSON array within the limits; `reason` says which limit."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


NOT_AN_ARRAY: Final = "not_an_array"
INVALID_JSON: Final = "invalid_json"
TOO_MANY_ITEMS: Final = "too_many_items"
ITEM_TOO_LARGE: Final = "item_too_large"


@dataclass(frozen=True, slots=True)
class Parsed:
    """An item of a body that was parsed whole: its value."""

    value: object


# An item: its own bytes (still to be parsed), or its value.
Item = bytes | Parsed


class _State(Enum):
    START = auto()
    VALUE_OR_END = auto()
    VALUE = auto()
    COMMA_OR_END = auto()
    DONE = auto()


def _refuse_constant(name: str) -> object:
    # NaN and Infinity are not JSON (the standard library accepts them; orjson does not).
    raise JsonArrayError(INVALID_JSON, f"{name} is not JSON")


_DECODER: Final = json.JSONDecoder(parse_constant=_refuse_constant)


class ArraySplitter:
    """Feed it the body chunk by chunk; `items` holds each complete item's bytes, in order."""

    def __init__(
        self, *, max_items: int, max_item_bytes: int, parse_small_whole: bool = False
    ) -> None:
        self.max_items = max_items
        self.max_item_bytes = max_item_bytes
        self.items: list[Item] = []
        self._small_whole = parse_small_whole
        self._size = 0
        self._text = ""
        self._pos = 0
        self._waiting: list[str] = []
        self._waiting_size = 0
        self._next_attempt = 0
        self._state = _State.START

    def feed(self, chunk: bytes) -> None:
        """Take the next chunk of the body; raises `JsonArrayError` as soon as a limit is passed."""
        self._waiting.append(chunk.decode("latin-1"))
        self._waiting_size += len(chunk)
        self._size += len(chunk)
        if self._small_whole and self._size <= self.max_item_bytes:
            return  # parsed whole at its end, if it ends before it is larger than an item
        if self._waiting_size >= self._next_attempt:
            self._scan(final=False)

    def finish(self) -> list[Item]:
        """The body has ended: its items, or `JsonArrayError` if it is not a complete array."""
        if self._small_whole and self._size <= self.max_item_bytes:
            whole = self._parsed_whole()
            if whole is not None:
                return whole
        self._scan(final=True)
        if self._state is not _State.DONE:
            raise JsonArrayError(INVALID_JSON, "the array does not end")
        return self.items

    def _parsed_whole(self) -> list[Item] | None:
        """The items of a small body that is an array, parsed; None when it is not one (the
        scan then says why, as it would of a larger body)."""
        try:
            value = orjson.loads("".join(self._waiting).encode("latin-1"))
        except orjson.JSONDecodeError:
            return None
        if not isinstance(value, list):
            return None
        if len(value) > self.max_items:
            raise JsonArrayError(TOO_MANY_ITEMS)
        return [Parsed(item) for item in value]

    def _scan(self, *, final: bool) -> None:
        self._text = self._text[self._pos :] + "".join(self._waiting)
        self._pos = 0
        self._waiting = []
        self._waiting_size = 0
        self._next_attempt = 0
        while self._step(final=final):
            pass

    def _step(self, *, final: bool) -> bool:
        """Advance past one token or item; False when more of the body is needed (or done)."""
        text = self._text
        pos = _WHITESPACE.match(text, self._pos).end()  # type: ignore[union-attr]
        self._pos = pos
        if pos == len(text):
            if final and self._state is _State.START:
                raise JsonArrayError(NOT_AN_ARRAY)
            return False
        char = text[pos]
        state = self._state
        if state is _State.START:
            if char != "[":
                raise JsonArrayError(NOT_AN_ARRAY)
            self._pos, self._state = pos + 1, _State.VALUE_OR_END
        elif char == "]" and state in (_State.VALUE_OR_END, _State.COMMA_OR_END):
            self._pos, self._state = pos + 1, _State.DONE
        elif state is _State.COMMA_OR_END:
            if char != ",":
                raise JsonArrayError(INVALID_JSON, f"expected , or ] at byte {pos}")
            self._pos, self._state = pos + 1, _State.VALUE
        elif state is _State.DONE:
            raise JsonArrayError(INVALID_JSON, f"data after the array at byte {pos}")
        else:
            return self._item(pos, final=final)
        return True

    def _item(self, pos: int, *, final: bool) -> bool:
        text = self._text
        try:
            _, end = _DECODER.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError) as exc:
            if final:
                raise JsonArrayError(INVALID_JSON, str(exc)[:200]) from None
            return self._wait(len(text) - pos)
        # A number or an item followed by nothing yet may go on in the next chunk.
        if not final and _WHITESPACE.match(text, end).end() == len(text):  # type: ignore[union-attr]
            return self._wait(len(text) - pos)
        if end - pos > self.max_item_bytes:
            raise JsonArrayError(ITEM_TOO_LARGE)
        self.items.append(text[pos:end].encode("latin-1"))
        if len(self.items) > self.max_items:
            raise JsonArrayError(TOO_MANY_ITEMS)
        self._pos, self._state = end, _State.COMMA_OR_END
        return True

    def _wait(self, pending: int) -> bool:
        if pending > self.max_item_bytes:
            raise JsonArrayError(ITEM_TOO_LARGE)
        self._next_attempt = max(_FIRST_ATTEMPT, pending)
        return False
