"""A real SMTP server and a service that sends its sign-in e-mails to it.

aiosmtpd runs on 127.0.0.1 at a free port; every message that arrives is kept in an inbox the
tests read. The service is the whole application on its own live server (per backend), set up
with that SMTP port, plain-HTTP cookies and its own address as the public base URL.
"""

from __future__ import annotations

import copy
import socket
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller

from ehoks.config import Settings
from tests.support.api import fresh_example
from tests.support.server import LiveServer

INSTRUCTOR = "aimo.ohjaaja@esimerkki2.com"
OTHER_INSTRUCTOR = "olli.ohjaaja@esimerkki.com"
STUDENT_PHONE = "0401234567"
DEMONSTRATION_PLACE = "Ohjausyhtiön korjaamo"
CONTACT_SCHOOL = "1.2.246.562.10.54453921329"  # Hämeenkylän ammattiopisto


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[EmailMessage] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self._messages.append(parsed)  # type: ignore[arg-type]
        return "250 Message accepted"

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def inbox(smtp_server) -> Iterator[Inbox]:
    _, inbox = smtp_server
    inbox.clear()
    yield inbox
    inbox.clear()


@pytest.fixture(scope="session")
def instructor_server(settings: Settings, engine, smtp_server) -> Iterator[LiveServer]:
    from ehoks.app import create_app

    controller, _ = smtp_server
    configured = settings.model_copy(
        update={"smtp_host": "127.0.0.1", "smtp_port": controller.port, "cookie_secure": False}
    )
    server = LiveServer(create_app(configured))
    server.start()
    # Links in e-mails point at this server; only now is its address known.
    server.app.state.settings = configured.model_copy(update={"public_base_url": server.base_url})
    yield server
    server.stop()
    server.app.state.engine.dispose()


@pytest.fixture
def web(instructor_server: LiveServer, db, inbox) -> Iterator[httpx.Client]:
    """An HTTP client of the instructor-enabled service; keeps no cookies between calls."""
    with httpx.Client(base_url=instructor_server.base_url, timeout=30) as client:
        yield client


def workplace_hoks(today: date) -> dict[str, Any]:
    """hoks-full.json with periods placed around `today`.

    Vocational unit: three periods of INSTRUCTOR (current; ended in 2019; starting in 20 days)
    and the local unit one current period of OTHER_INSTRUCTOR.
    """
    document = fresh_example("hoks-full.json")
    document["puhelinnumero"] = STUDENT_PHONE
    vocational = document["hankittavat-ammat-tutkinnon-osat"][0]
    template = vocational["osaamisen-hankkimistavat"][0]
    template["oppisopimuksen-perusta-koodi-uri"] = "oppisopimuksenperusta_01"
    template["osa-aikaisuustieto"] = 100
    current = _period(template, "current", today - timedelta(days=10), today + timedelta(days=30))
    # Mixed case and spaces: the projection compares addresses trimmed and lower-cased.
    current["tyopaikalla-jarjestettava-koulutus"]["vastuullinen-tyopaikka-ohjaaja"][
        "sahkoposti"
    ] = "Aimo.Ohjaaja@Esimerkki2.com"
    # The contact person's school is one the registry names.
    current["jarjestajan-edustaja"]["oppilaitos-oid"] = CONTACT_SCHOOL
    past = _period(template, "past", date(2019, 1, 11), date(2019, 3, 14))
    coming = _period(template, "coming", today + timedelta(days=20), today + timedelta(days=40))
    vocational["osaamisen-hankkimistavat"] = [current, past, coming]
    # A demonstration during the current period beside the example's one of 2019.
    held_now = copy.deepcopy(vocational["osaamisen-osoittaminen"][0])
    held_now["alku"] = (today - timedelta(days=2)).isoformat()
    held_now["loppu"] = (today + timedelta(days=1)).isoformat()
    held_now["nayttoymparisto"]["nimi"] = DEMONSTRATION_PLACE
    vocational["osaamisen-osoittaminen"].append(held_now)

    local = document["hankittavat-paikalliset-tutkinnon-osat"][0]
    other = local["osaamisen-hankkimistavat"][0]
    other["oppisopimuksen-perusta-koodi-uri"] = "oppisopimuksenperusta_01"
    other["osa-aikaisuustieto"] = 80
    other["alku"] = (today - timedelta(days=5)).isoformat()
    other["loppu"] = (today + timedelta(days=5)).isoformat()
    return document


def _period(template: dict[str, Any], tunniste: str, alku: date, loppu: date) -> dict[str, Any]:
    period = copy.deepcopy(template)
    period["yksiloiva-tunniste"] = tunniste
    period["alku"] = alku.isoformat()
    period["loppu"] = loppu.isoformat()
    period["muut-oppimisymparistot"] = []
    return period
