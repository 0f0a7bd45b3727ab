"""One registry's HTTP calls: a timeout on every call, retries with backoff, a circuit breaker.

Only GETs and the read-only POST queries of the national APIs (organisaatio `findbyoids`) go
through here; both are idempotent, so each is retried (stamina) on a connection error, a timeout
or a 5xx answer. Every attempt passes the registry's circuit breaker (pybreaker): after
`registry_breaker_failures` failed attempts in a row the registry is not called at all for
`registry_breaker_reset_seconds`, then one trial call decides whether it is back. The breaker
belongs to the registry's address and is shared by every client of it in the process, so one
request's failures spare the next requests the wait.

Calls are synchronous: request work already runs in the thread pool (`ehoks.pipeline.run`), the
worker in its own thread, and async code calls them through `ehoks.pipeline.run.off_loop`.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass
from typing import Any, Final

import httpx
import pybreaker
import stamina

# Statuses that say "the registry is not well just now" rather than "no such thing".
_RETRIED_STATUSES: Final = frozenset({429, 500, 502, 503, 504})
# Backoff between attempts: short, because a write waits for it.
_WAIT_INITIAL_S: Final = 0.05
_WAIT_MAX_S: Final = 1.0


class RegistryUnavailableError(Exception):
    """The registry did not answer usably: down, slow, failing, or its breaker is open.

    `retry_after` is a whole number of seconds after which a new attempt may succeed.
    """

    def __init__(self, registry: str, reason: str, retry_after: int) -> None:
        super().__init__(f"{registry}: {reason}")
        self.registry = registry
        self.reason = reason
        self.retry_after = retry_after


class RegistryAnswerError(RegistryUnavailableError):
    """The registry answered, but not with what its API promises (malformed JSON, a field
    missing or of the wrong kind)."""


class _AttemptFailedError(Exception):
    """An attempt that failed in a way worth retrying (and counting against the breaker)."""


class _NotFoundError(Exception):
    """404: an answer, not a failure; the breaker does not count it."""


@dataclass(frozen=True)
class Endpoint:
    """Where a registry is and how this service signs in to it (HTTP basic auth)."""

    registry: str  # "koski", "onr", "organisaatio", "koodisto", "eperusteet"
    base_url: str
    username: str = ""
    password: str = ""


@dataclass(frozen=True)
class CallPolicy:
    """How patient calls are: per attempt, in total, and when a registry counts as down."""

    timeout_seconds: float = 5.0
    attempts: int = 3
    breaker_failures: int = 5
    breaker_reset_seconds: float = 30.0


class _OpenedAt(pybreaker.CircuitBreakerListener):
    """Remembers when the breaker last opened, for the Retry-After of the calls it refuses."""

    def __init__(self) -> None:
        self.at = 0.0

    def state_change(self, cb: Any, old_state: Any, new_state: Any) -> None:  # noqa: ARG002
        if new_state is not None and new_state.name == pybreaker.STATE_OPEN:
            self.at = time.monotonic()


@dataclass
class _Breaker:
    breaker: pybreaker.CircuitBreaker
    opened: _OpenedAt


_breakers: dict[tuple[str, str, int, float], _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(endpoint: Endpoint, policy: CallPolicy) -> _Breaker:
    key = (
        endpoint.registry,
        endpoint.base_url,
        policy.breaker_failures,
        policy.breaker_reset_seconds,
    )
    with _breakers_lock:
        found = _breakers.get(key)
        if found is None:
            opened = _OpenedAt()
            breaker = pybreaker.CircuitBreaker(
                fail_max=policy.breaker_failures,
                reset_timeout=policy.breaker_reset_seconds,
                exclude=[_NotFoundError],
                listeners=[opened],
                name=endpoint.registry,
            )
            found = _breakers[key] = _Breaker(breaker, opened)
        return found


def close_breakers() -> None:
    """Close every breaker (a registry that was down is trusted again at once)."""
    with _breakers_lock:
        found = list(_breakers.values())
    for entry in found:
        entry.breaker.close()


class RegistryTransport:
    """GET and POST JSON of one registry; `None` for 404, else the decoded answer."""

    def __init__(self, endpoint: Endpoint, policy: CallPolicy) -> None:
        self.endpoint = endpoint
        self.policy = policy
        auth = (endpoint.username, endpoint.password) if endpoint.username else None
        self._client = httpx.Client(
            base_url=endpoint.base_url.rstrip("/"),
            timeout=httpx.Timeout(policy.timeout_seconds),
            auth=auth,
            headers={"Accept": "application/json", "Caller-Id": "ehoks"},
            follow_redirects=False,
        )
        self._breaker = _breaker_for(endpoint, policy)

    @property
    def registry(self) -> str:
        return self.endpoint.registry

    def close(self) -> None:
        self._client.close()

    def breaker_state(self) -> str:
        """ "closed", "open" or "half-open" (for health reports and tests)."""
        return str(self._breaker.breaker.current_state)

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        return self._call("GET", path, params=params, body=None)

    def post(self, path: str, body: Any) -> Any:
        """A POST that only asks (e.g. organisaatio `findbyoids`): idempotent, so retried."""
        return self._call("POST", path, params=None, body=body)

    def _call(self, method: str, path: str, *, params: dict[str, str] | None, body: Any) -> Any:
        try:
            for attempt in stamina.retry_context(
                on=_AttemptFailedError,
                attempts=self.policy.attempts,
                timeout=self.policy.timeout_seconds,
                wait_initial=_WAIT_INITIAL_S,
                wait_max=_WAIT_MAX_S,
                wait_jitter=_WAIT_INITIAL_S,
            ):
                with attempt:
                    return self._breaker.breaker.call(self._attempt, method, path, params, body)
        except _NotFoundError:
            return None
        except pybreaker.CircuitBreakerError:
            raise RegistryUnavailableError(
                self.registry, "not called: it failed repeatedly just before", self._wait()
            ) from None
        except _AttemptFailedError as failure:
            raise RegistryUnavailableError(self.registry, str(failure), self._wait()) from None
        except RegistryAnswerError:
            raise
        raise AssertionError("unreachable")  # pragma: no cover - stamina returns or raises

    def _attempt(self, method: str, path: str, params: dict[str, str] | None, body: Any) -> Any:
        try:
            response = self._client.request(method, path, params=params, json=body)
        except httpx.TimeoutException:
            raise _AttemptFailedError(
                f"no answer within {self.policy.timeout_seconds:g} s"
            ) from None
        except httpx.TransportError as error:
            raise _AttemptFailedError(f"cannot be reached ({type(error).__name__})") from None
        if response.status_code == httpx.codes.NOT_FOUND:
            raise _NotFoundError
        if response.status_code in _RETRIED_STATUSES:
            raise _AttemptFailedError(f"answered {response.status_code}")
        if response.status_code != httpx.codes.OK:
            raise RegistryAnswerError(
                self.registry, f"answered {response.status_code} to {path}", self._wait()
            )
        try:
            return json.loads(response.content)
        except ValueError:
            # Counted by the breaker (raised inside it) but not retried: the same answer would
            # most likely come again.
            raise RegistryAnswerError(
                self.registry, f"answered {path} with something that is not JSON", self._wait()
            ) from None

    def _wait(self) -> int:
        """Seconds until the breaker lets a call through again (at least one)."""
        breaker = self._breaker.breaker
        if breaker.current_state == pybreaker.STATE_OPEN:
            left = breaker.reset_timeout - (time.monotonic() - self._breaker.opened.at)
            return max(1, math.ceil(left))
        return max(1, math.ceil(self.policy.timeout_seconds))
