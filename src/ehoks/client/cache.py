"""The in-process cache of system clients' enabled state, shared by the policy and by disabling.

Kept apart from `ehoks.client.auth` so that `service.disable_client` can drop a client's entry
without importing the policy (which imports the service).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from weakref import WeakKeyDictionary

from sqlalchemy import event

from ehoks.access.subjects import SystemClientSubject

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

CLIENT_CACHE_SECONDS: Final = 30.0
# Entries are keyed by client ids from tokens we signed, so the cache cannot be flooded from
# outside; the bound only guards against a pathological number of clients.
_CACHE_MAX_ENTRIES: Final = 10_000


@dataclass(frozen=True, slots=True)
class Entry:
    expires_at: float
    subject: SystemClientSubject | None  # None: unknown or disabled


class ClientCache:
    """Enabled/disabled state of clients, remembered for a short while (thread-safe)."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._lock = threading.Lock()

    def get(self, client_id: str, now: float) -> Entry | None:
        with self._lock:
            entry = self._entries.get(client_id)
            if entry is not None and entry.expires_at <= now:
                del self._entries[client_id]
                return None
            return entry

    def put(self, client_id: str, subject: SystemClientSubject | None, now: float) -> None:
        with self._lock:
            if len(self._entries) >= _CACHE_MAX_ENTRIES:
                self._entries.clear()
            self._entries[client_id] = Entry(now + CLIENT_CACHE_SECONDS, subject)

    def forget(self, client_id: str) -> None:
        with self._lock:
            self._entries.pop(client_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# One cache per database (per app's sessionmaker), so two apps in one process never share rows.
_caches: WeakKeyDictionary[sessionmaker[Session], ClientCache] = WeakKeyDictionary()
_caches_lock = threading.Lock()


def cache_for(factory: sessionmaker[Session]) -> ClientCache:
    with _caches_lock:
        cache = _caches.get(factory)
        if cache is None:
            cache = _caches[factory] = ClientCache()
    return cache


def _every_cache() -> list[ClientCache]:
    with _caches_lock:
        return list(_caches.values())


def clear_client_cache() -> None:
    """Forget every cached client."""
    for cache in _every_cache():
        cache.clear()


def forget_when_committed(session: Session, client_id: str) -> None:
    """Drop the client's cached state once `session` commits its change to the client.

    Not before: a request in between would read the row as it still is and cache that again.
    """

    def forget(_: Session) -> None:
        for cache in _every_cache():
            cache.forget(client_id)

    event.listen(session, "after_commit", forget, once=True)
