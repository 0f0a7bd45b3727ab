"""List parameters written to PostgreSQL without a Python call per double quote.

psycopg writes a list parameter as the text of a PostgreSQL array, in Python (its C extension
has no array writer): an element that needs quotes is escaped with `re.sub` and a replacement
template, and on Python 3.11 such a template calls back into Python for every match. A stored
HOKS document of 9 kB holds about 900 double quotes, so writing a batch's documents as one array
(`ehoks.kit.db.rows`) cost about half a millisecond of CPU a document: a sixth of a batch create.

`QuotedListDumper` writes the same array with every element in double quotes and its backslashes
and double quotes escaped by `bytes.replace` (PostgreSQL accepts quotes around any element,
"Array Value Input"). What PostgreSQL receives means the same; only the quoting of elements that
needed none differs. Nested lists, and lists whose element type psycopg could not tell (empty
or all None), are written by psycopg's own dumper.
"""

from __future__ import annotations

from typing import Any

from psycopg import Connection
from psycopg.abc import Buffer
from psycopg.types.array import ListDumper

_NULL = b"NULL"


class QuotedListDumper(ListDumper):
    """psycopg's text array dumper, with each element quoted and escaped in C."""

    def dump(self, obj: list[Any]) -> Buffer | None:
        element = self.sub_dumper
        if element is None or any(isinstance(item, list) for item in obj):
            return super().dump(obj)
        dump = element.dump
        parts: list[bytes] = []
        for item in obj:
            data = None if item is None else dump(item)
            if data is None:
                parts.append(_NULL)
            else:
                escaped = bytes(data).replace(b"\\", b"\\\\").replace(b'"', b'\\"')
                parts.append(b'"' + escaped + b'"')
        return b"{" + self.delimiter.join(parts) + b"}"


def use_quoted_arrays(connection: Connection[Any]) -> None:
    """Write this connection's list parameters with `QuotedListDumper` (text and automatic
    format, as psycopg's own list dumper is registered)."""
    connection.adapters.register_dumper(list, QuotedListDumper)
