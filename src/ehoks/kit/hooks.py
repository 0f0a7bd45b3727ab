"""Hooks: how a lower package tells higher ones that something happened, without importing them.

A package offers a `Hook` for an event of its own ("a HOKS was written", "persons were renamed");
packages above it listen. Listeners run inside the transaction that caused the event, so what
they write commits or rolls back with it, and a listener that raises rolls the whole change
back. `ehoks.wiring.connect()` connects every listener in one place; a hook that nobody listens to
refuses to run, so a process that forgot to connect them fails loudly instead of silently
skipping a reaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

E = TypeVar("E")


class HookNotConnectedError(RuntimeError):
    """A hook fired before `ehoks.wiring.connect()` connected its listeners."""


class Hook(Generic[E]):
    """Listeners of one kind of event; each gets the session and every event of one change."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._listeners: list[Callable[[Session, Sequence[E]], None]] = []
        self._lock = threading.Lock()

    def listen(self, listener: Callable[[Session, Sequence[E]], None]) -> None:
        """Call `listener` on every event from now on (once, however often this is called)."""
        with self._lock:
            if listener not in self._listeners:
                self._listeners.append(listener)

    def forget(self, listener: Callable[[Session, Sequence[E]], None]) -> None:
        """Stop calling `listener` (a no-op if it was not listening)."""
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    def notify(self, session: Session, events: Sequence[E]) -> None:
        """Tell every listener, in the order they were connected."""
        with self._lock:
            listeners = list(self._listeners)
        if not listeners:
            raise HookNotConnectedError(
                f"nothing listens to '{self.name}': call ehoks.wiring.connect() at start-up"
            )
        if not events:
            return
        for listener in listeners:
            listener(session, events)
