"""Counts of list matches remembered for a short while, per web process.

A staff list shows how many rows match ("1 234 students", or "more than 10 000"). Counting reads
every matching index entry up to the cap, which costs more than the page itself; a member paging
through a list, or many members of one provider looking at its list, ask the same count again and
again. A count is remembered for `seconds` under the list's whole question (its filters and the
caller's access scope, never the page), so it is never shared between callers who would count
different rows; a plan added or removed meanwhile shows in the rows at once and in the count
within `seconds`.

Sessions whose factory was given no memo (`attach`) count every time.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

_INFO_KEY: Final = "ehoks.list_counts"
# Keys are lists' questions (filters and scope): bounded so that many different searches cannot
# grow a worker's memory; the least recently used goes first.
MAX_ENTRIES: Final = 4096


class CountMemo:
    """{question: (count, expires at)}, thread-safe, least recently used out first."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> int | None:
        now = self._clock()
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            if found[1] <= now:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, count: int) -> None:
        if self.seconds <= 0:
            return
        expires = self._clock() + self.seconds
        with self._lock:
            self._entries[key] = (count, expires)
            self._entries.move_to_end(key)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)


def attach(factory: sessionmaker[Session], memo: CountMemo) -> None:
    """Sessions of `factory` remember list counts in `memo` from now on."""
    info = dict(factory.kw.get("info") or {})
    info[_INFO_KEY] = memo
    factory.configure(info=info)


def memo_of(session: Session) -> CountMemo | None:
    """The memo of the session's factory, if it was given one that remembers."""
    found = session.info.get(_INFO_KEY)
    return found if isinstance(found, CountMemo) and found.seconds > 0 else None
