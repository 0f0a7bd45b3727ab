"""What an engine's pool did while a test ran: connections opened, the threads that held one,
and the most connections one thread held at once."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from sqlalchemy import Engine, event

_HOLDER = "test_holder"


class ConnectionWatch:
    def __init__(self, engine: Engine) -> None:
        self.opened = 0
        self.threads: set[int] = set()
        self.most_by_one_thread = 0
        self._held: Counter[int] = Counter()
        self._lock = threading.Lock()
        event.listen(engine, "connect", self._connected)
        event.listen(engine, "checkout", self._checked_out)
        event.listen(engine, "checkin", self._checked_in)

    def _connected(self, *_: Any) -> None:
        with self._lock:
            self.opened += 1

    def _checked_out(self, _connection: Any, record: Any, _proxy: Any) -> None:
        holder = threading.get_ident()
        record.info[_HOLDER] = holder
        with self._lock:
            self.threads.add(holder)
            self._held[holder] += 1
            self.most_by_one_thread = max(self.most_by_one_thread, self._held[holder])

    def _checked_in(self, _connection: Any, record: Any) -> None:
        holder = record.info.pop(_HOLDER, None)
        if holder is not None:
            with self._lock:
                self._held[holder] -= 1
