"""Survey links: Arvo's HTTP API when `EHOKS_ARVO_URL` is set, otherwise a built-in issuer.

Arvo is the national survey system. Student surveys: `POST {url}/vastauslinkki/v1`, status
`GET …/vastauslinkki/v1/status/{tunnus}`, `PATCH …/vastauslinkki/v1/{tunnus}`, `DELETE`;
workplace feedback: `POST {url}/tyoelamapalaute/v1/vastaajatunnus` and its `DELETE`; basic auth.

Every creation carries the feedback's own `request_id`, the same on every retry, so a retry of a
request whose answer was lost (a timeout) names the same request. The built-in issuer derives the
link from that id, so it is idempotent by construction.
"""

from __future__ import annotations

import hashlib
import http.client
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Protocol
from urllib.parse import quote

from ehoks.config import Settings
from ehoks.kit import keepalive

STUDENT_PATH: Final = "/vastauslinkki/v1"
WORKPLACE_PATH: Final = "/tyoelamapalaute/v1/vastaajatunnus"
SERVER_ERROR: Final = 500
# Connections kept open: one for each of the worker's threads (EHOKS_WORKER_THREADS, at most 16).
CONNECTIONS: Final = 16
NOT_FOUND: Final = 404


class ArvoUnavailableError(Exception):
    """Arvo did not answer usefully (timeout, connection, 5xx): try again later."""


class ArvoRefusedError(Exception):
    """Arvo refused the request for good (4xx): retrying the same request will not help."""


class NoOpenSurveyError(Exception):
    """Arvo has no open survey for the institution ("ei-kyselyä"): the feedback is not sent."""


@dataclass(frozen=True, slots=True)
class Link:
    tunnus: str
    url: str


@dataclass(frozen=True, slots=True)
class LinkStatus:
    answered: bool
    valid_to: date | None


class Issuer(Protocol):
    def create(self, body: dict[str, Any], *, workplace: bool) -> Link: ...
    def status(self, tunnus: str) -> LinkStatus | None: ...
    def mark_sent(self, tunnus: str, valid_from: date, valid_to: date) -> None: ...
    def delete(self, tunnus: str, *, workplace: bool) -> None: ...
    def close(self) -> None: ...


class ArvoClient:
    """Arvo over HTTP, with basic auth and a timeout on every call.

    One client for all the worker's threads: its connections are kept open between calls
    (keep-alive) until `close`, which the worker calls at the end of each round; the next call
    opens new ones. The calls go through `kit.keepalive` (http.client): httpx's own work for
    each request cost more CPU than the rest of a survey's sending.
    """

    def __init__(self, settings: Settings) -> None:
        self._connections = keepalive.Connections(
            settings.arvo_url,
            username=settings.arvo_username,
            password=settings.arvo_password,
            timeout=settings.arvo_timeout_seconds,
            keep=CONNECTIONS,
        )

    def close(self) -> None:
        self._connections.close()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> keepalive.Answer:
        try:
            response = self._connections.call(method, path, body)
        except (OSError, http.client.HTTPException) as error:
            raise ArvoUnavailableError(f"{method} {path}: {type(error).__name__}") from error
        if response.status >= SERVER_ERROR:
            raise ArvoUnavailableError(f"{method} {path}: HTTP {response.status}")
        return response

    def create(self, body: dict[str, Any], *, workplace: bool) -> Link:
        response = self._call("POST", WORKPLACE_PATH if workplace else STUDENT_PATH, body)
        if response.status == NOT_FOUND and "ei-kyselya" in response.text:
            raise NoOpenSurveyError(response.text[:200])
        if response.is_error:
            raise ArvoRefusedError(f"HTTP {response.status}: {response.text[:200]}")
        answer = response.json()
        tunnus = str(answer["tunnus"])
        return Link(tunnus=tunnus, url=str(answer.get("kysely_linkki") or tunnus))

    def status(self, tunnus: str) -> LinkStatus | None:
        response = self._call("GET", f"{STUDENT_PATH}/status/{quote(tunnus, safe='')}")
        if response.status == NOT_FOUND:
            return None
        if response.is_error:
            raise ArvoRefusedError(f"HTTP {response.status}")
        answer = response.json()
        end = answer.get("voimassa_loppupvm")
        return LinkStatus(
            answered=bool(answer.get("vastattu")),
            valid_to=date.fromisoformat(str(end)[:10]) if end else None,
        )

    def mark_sent(self, tunnus: str, valid_from: date, valid_to: date) -> None:
        body = {
            "metatiedot": {"tila": "lahetetty"},
            "voimassa_alkupvm": valid_from.isoformat(),
            "voimassa_loppupvm": valid_to.isoformat(),
        }
        response = self._call("PATCH", f"{STUDENT_PATH}/{quote(tunnus, safe='')}", body)
        if response.is_error and response.status != NOT_FOUND:
            raise ArvoRefusedError(f"HTTP {response.status}")

    def delete(self, tunnus: str, *, workplace: bool) -> None:
        path = f"{WORKPLACE_PATH if workplace else STUDENT_PATH}/{quote(tunnus, safe='')}"
        response = self._call("DELETE", path)
        if response.is_error and response.status != NOT_FOUND:
            raise ArvoRefusedError(f"HTTP {response.status}")


class BuiltinIssuer:
    """Links to this service's own simple survey page, for a service without Arvo.

    The link is derived from the request id, so creating it twice gives the same link; answers
    are kept on the feedback row itself (its state), so status is read by the worker there.
    """

    def __init__(self, settings: Settings) -> None:
        self._base = settings.public_base_url.rstrip("/")

    def create(self, body: dict[str, Any], *, workplace: bool) -> Link:
        tunnus = "B" + hashlib.sha256(str(body["request_id"]).encode()).hexdigest()[:20]
        prefix = "T" if workplace else "A"
        return Link(tunnus=prefix + tunnus, url=f"{self._base}/palaute/{prefix}{tunnus}")

    def status(self, tunnus: str) -> LinkStatus | None:
        """Unknown here: built-in answers are recorded on the feedback row itself."""
        del tunnus
        return None

    def mark_sent(self, tunnus: str, valid_from: date, valid_to: date) -> None:
        """Nothing to tell: the built-in survey reads the window from the feedback row."""
        del tunnus, valid_from, valid_to

    def delete(self, tunnus: str, *, workplace: bool) -> None:
        """Nothing to delete: a built-in link is only a name for its feedback row."""
        del tunnus, workplace

    def close(self) -> None:
        """No connections to close."""


def issuer_for(settings: Settings) -> ArvoClient | BuiltinIssuer:
    return ArvoClient(settings) if settings.arvo_url else BuiltinIssuer(settings)
