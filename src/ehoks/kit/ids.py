"""New row identifiers that sort in the order they were made (UUID version 7, RFC 9562).

A random (version 4) UUID lands anywhere in its column's index, so every new row changes
another leaf page of it: with the national scale's indexes larger than the database server's
buffers, each such page is read back, written out again, and after every checkpoint logged
whole into the WAL. A version 7 UUID begins with the milliseconds since 1970 (48 bits), so the
rows of one batch go into one or two leaf pages at the index's end; its other 74 bits are
random (`os.urandom`), so two of them never collide in practice and none can be guessed from
another. It is an ordinary UUID to whoever reads it; it tells roughly when it was made, which
the rows it names say anyway. Not for secrets (links, tokens): those stay fully random.
"""

from __future__ import annotations

import os
import time
import uuid

_VERSION = 0x7
_VARIANT = 0b10


def time_ordered_uuid() -> uuid.UUID:
    """A new version 7 UUID: 48 bits of Unix milliseconds, the version, 74 random bits."""
    milliseconds = time.time_ns() // 1_000_000
    random = int.from_bytes(os.urandom(10), "big")  # 80 bits, 74 of them used
    value = (milliseconds & ((1 << 48) - 1)) << 80
    value |= (_VERSION << 76) | (((random >> 68) & 0xFFF) << 64)
    value |= (_VARIANT << 62) | (random & ((1 << 62) - 1))
    return uuid.UUID(int=value)


def new_id() -> str:
    """`time_ordered_uuid` as text, as the id columns store it."""
    return str(time_ordered_uuid())
