"""Statements built once per shape, with the values of each request bound at execution.

Building a statement of several subqueries with SQLAlchemy, and computing the key its compiled
form is cached under, costs more Python than running it takes PostgreSQL (a staff list's page:
milliseconds a request). A list whose statement depends only on which filters are present, how
many organisations it covers and its order (its shape) keeps one statement object per shape:
the object remembers its own cache key, so a request only looks up the compiled form and binds
its values (`bindparam` names) to it.

The shapes a list can take are few; at most `MAX_SHAPES` are kept per list, least recently used
out first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Final, Generic, TypeVar

from sqlalchemy import Select

from ehoks.kit.db.engine import PLANNED_PER_RUN

K = TypeVar("K", bound=Hashable)
S = TypeVar("S")
MAX_SHAPES: Final = 256


class ShapeCache(Generic[K, S]):
    """{shape: statement}, thread-safe; a statement is built outside the lock (two threads may
    build the same shape once each; either result is the same statement)."""

    def __init__(self, build: Callable[[K], S], size: int = MAX_SHAPES) -> None:
        self._build = build
        self._size = size
        self._entries: OrderedDict[K, S] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, shape: K) -> S:
        with self._lock:
            found = self._entries.get(shape)
            if found is not None:
                self._entries.move_to_end(shape)
                return found
        built = self._build(shape)
        with self._lock:
            self._entries[shape] = built
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
        return built

    def __len__(self) -> int:
        return len(self._entries)


def planned_per_run_when(
    build: Callable[[K], Select[Any]], value_dependent: Callable[[K], bool]
) -> Callable[[K], Select[Any]]:
    """`build`, with the statements of the shapes `value_dependent` names planned for their
    values on every run (`kit.db.engine.PLANNED_PER_RUN`), not prepared once for any value."""

    def built(shape: K) -> Select[Any]:
        statement = build(shape)
        if value_dependent(shape):
            return statement.execution_options(**{PLANNED_PER_RUN: True})
        return statement

    return built
