"""Bearer tokens already verified by this process, remembered until they expire.

Checking a token's signature and claims costs more than the rest of the check of a caller; a
provider system sends the same token for its whole lifetime (300 s by default), so each process
checks it once. Only tokens that passed the check are kept, each until its own `exp`, so an
expired token is refused exactly as before. What a token cannot say — whether its client has been
disabled since — is still asked on every request (`ehoks.client.cache`), so disabling a client
takes effect as documented whether or not its token is remembered here.
"""

from __future__ import annotations

import threading
from typing import Final
from weakref import WeakKeyDictionary

from ehoks.kit.keys import ServiceKeys

# Entries come only from tokens this service signed, so the count is bounded by the tokens
# issued in one lifetime; the bound guards against a pathological number of them.
MAX_TOKENS: Final = 10_000


class VerifiedTokens:
    """Token -> (client id, expiry as a Unix time) of tokens that passed verification."""

    def __init__(self, max_entries: int = MAX_TOKENS) -> None:
        self._entries: dict[str, tuple[str, float]] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def client_id(self, token: str, now: float) -> str | None:
        """The client id of a remembered token that has not expired, else None."""
        entry = self._entries.get(token)
        if entry is None:
            return None
        if entry[1] <= now:
            with self._lock:
                self._entries.pop(token, None)
            return None
        return entry[0]

    def remember(self, token: str, client_id: str, expires_at: float, now: float) -> None:
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries = {t: e for t, e in self._entries.items() if e[1] > now}
                if len(self._entries) >= self._max:
                    self._entries.clear()
            self._entries[token] = (client_id, expires_at)

    def __len__(self) -> int:
        return len(self._entries)


# One memory per app's keys: tokens signed with another key are never mistaken for verified.
_by_keys: WeakKeyDictionary[ServiceKeys, VerifiedTokens] = WeakKeyDictionary()
_by_keys_lock = threading.Lock()


def verified_with(keys: ServiceKeys) -> VerifiedTokens:
    """The tokens verified with `keys` (an app's keys: `app.state.keys`)."""
    with _by_keys_lock:
        found = _by_keys.get(keys)
        if found is None:
            found = _by_keys[keys] = VerifiedTokens()
        return found
