"""Local HTTP stand-ins for the national registries, serving their formats from the test data.

One `RegistryStandIn` per registry (Koski, ONR, organisaatio, koodisto, ePerusteet), each a real
HTTP server on 127.0.0.1 in a thread of the test process. Its documents are those of
`tests/data/registry/` (the files `ehoks registry import` reads), put at the national paths:
Koski oppija documents at `/koski/api/oppija/{oid}` (also under a merged OID) and each study right
at `/koski/api/opiskeluoikeus/{oid}`; the persons in ONR's form; the organisaatio documents; the
code elements; the ePerusteet pages. A stand-in can be stopped and started again on its port,
and told how to misbehave: `slow` (answers after `slow_seconds`), `500`, `malformed` (not JSON)
or `missing-field` (a document without a field its API always gives).
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.quiet_server import QuietThreadingHTTPServer

DATA = Path(__file__).resolve().parent.parent / "data" / "registry"
# The field each registry's answers lose in the `missing-field` mode.
MISSING_FIELD = {
    "koski": "tyyppi",
    "onr": "oidHenkilo",
    "organisaatio": "oid",
    "koodisto": "metadata",
    "eperusteet": "data",
}

KOSKI_USERNAME = "ehoks-koski"
KOSKI_PASSWORD = "koski-test-password"
KOSKI_AUTH = "Basic " + base64.b64encode(f"{KOSKI_USERNAME}:{KOSKI_PASSWORD}".encode()).decode()

Route = Callable[[dict[str, Any], Any], Any]  # (the stand-in's documents, body) -> answer


@dataclass
class StandInState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    mode: str = "ok"  # ok, slow, 500, malformed, missing-field
    slow_seconds: float = 2.0
    requests: list[str] = field(default_factory=list)

    def count(self, prefix: str = "") -> int:
        with self.lock:
            return sum(1 for path in self.requests if path.startswith(prefix))


class RegistryStandIn:
    """A national registry at `base_url`; `documents` maps a GET path to its answer."""

    def __init__(
        self,
        registry: str,
        documents: dict[str, Any],
        posts: dict[str, Route] | None = None,
        auth: str | None = None,
    ) -> None:
        self.registry = registry
        self._original = copy.deepcopy(documents)
        self.auth = auth  # the Authorization header it requires, if any
        self.documents = documents
        self.posts = posts or {}
        self.state = StandInState()
        self.port = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"stand_in": self})
        self._server = _Server(("127.0.0.1", self.port), handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"{self.registry}-stand-in", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop answering: the port refuses connections until `start` again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.drop_connections()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)

    def reset(self) -> None:
        """Well again, with the documents it started with."""
        self.documents.clear()
        self.documents.update(copy.deepcopy(self._original))
        with self.state.lock:
            self.state.mode = "ok"
            self.state.requests.clear()
        if self._server is None:
            self.start()

    def misbehave(self, mode: str) -> None:
        with self.state.lock:
            self.state.mode = mode

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> Any:
        if method == "POST":
            route = self.posts.get(path)
            return route(self.documents, body) if route is not None else None
        key = path
        if query:
            key += "?" + "&".join(f"{k}={v[0]}" for k, v in sorted(query.items()))
        return self.documents.get(key)


class _Server(QuietThreadingHTTPServer):
    """Remembers its open connections, so that stopping it ends the kept-alive ones too."""

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


class _Handler(BaseHTTPRequestHandler):
    stand_in: RegistryStandIn
    protocol_version = "HTTP/1.1"
    # An answer goes as two writes (head, body): on a kept-open connection Nagle's algorithm held
    # the body until the client's delayed ACK of the head, about 40 ms a call on Linux.
    disable_nagle_algorithm = True

    def log_message(self, *_args: Any) -> None:  # quiet
        return

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        url = urlsplit(self.path)
        state = self.stand_in.state
        with state.lock:
            state.requests.append(url.path)
            mode = state.mode
        if self.stand_in.auth and self.headers.get("Authorization") != self.stand_in.auth:
            self._send(401, b'{"error": "unauthorised"}')
            return
        if mode == "slow":
            time.sleep(state.slow_seconds)
        if mode == "500":
            self._send(500, b'{"error": "internal"}')
            return
        if mode == "malformed":
            self._send(200, b'{"henkil\xc3\xb6": {"oid": "1.2.246')
            return
        document = self.stand_in.answer(method, url.path, parse_qs(url.query), body)
        if document is None:
            self._send(404, b'{"error": "not found"}')
            return
        if mode == "missing-field":
            document = _without(document, MISSING_FIELD[self.stand_in.registry])
        self._send(200, json.dumps(document, ensure_ascii=False).encode())

    def _send(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _without(document: Any, key: str) -> Any:
    """The document with `key` removed from it, and from every study right it holds."""
    if isinstance(document, list):
        return [_without(item, key) for item in document]
    if not isinstance(document, dict):
        return document
    trimmed = {k: v for k, v in document.items() if k != key}
    if isinstance(trimmed.get("opiskeluoikeudet"), list):
        trimmed["opiskeluoikeudet"] = [_without(s, key) for s in trimmed["opiskeluoikeudet"]]
    return trimmed


# --- the test data at the national paths ---------------------------------------------------------


def _json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def koski_documents() -> dict[str, Any]:
    documents: dict[str, Any] = {}
    for oppija in _json_lines(DATA / "students.json"):
        henkilo = oppija["henkilö"]
        for oid in {henkilo["oid"], *henkilo.get("kaikkiOidit", [])}:
            documents[f"/koski/api/oppija/{oid}"] = oppija
        for study_right in oppija["opiskeluoikeudet"]:
            documents[f"/koski/api/opiskeluoikeus/{study_right['oid']}"] = study_right
    return documents


def onr_person(henkilo: dict[str, Any]) -> dict[str, Any]:
    """A Koski henkilö in ONR's form."""
    fields = {
        "oid": "oidHenkilo",
        "hetu": "hetu",
        "etunimet": "etunimet",
        "kutsumanimi": "kutsumanimi",
        "sukunimi": "sukunimi",
        "syntymäaika": "syntymaaika",
        "turvakielto": "turvakielto",
    }
    person = {onr: henkilo[koski] for koski, onr in fields.items() if koski in henkilo}
    return {**person, "duplicate": False, "passivoitu": False}


def onr_documents() -> dict[str, Any]:
    documents: dict[str, Any] = {}
    for oppija in _json_lines(DATA / "students.json"):
        henkilo = oppija["henkilö"]
        master = onr_person(henkilo)
        merged = [oid for oid in henkilo.get("kaikkiOidit", []) if oid != henkilo["oid"]]
        base = "/oppijanumerorekisteri-service/henkilo"
        documents[f"{base}/{henkilo['oid']}"] = master
        documents[f"{base}/{henkilo['oid']}/master"] = master
        documents[f"{base}/{henkilo['oid']}/slaves"] = [
            {"oidHenkilo": oid, "duplicate": True, "passivoitu": False} for oid in merged
        ]
        for oid in merged:
            documents[f"{base}/{oid}"] = {"oidHenkilo": oid, "duplicate": True}
            documents[f"{base}/{oid}/master"] = master
            documents[f"{base}/{oid}/slaves"] = []
    return documents


def organisaatio_documents() -> tuple[dict[str, Any], dict[str, Route]]:
    organisations = json.loads((DATA / "organisations.json").read_text(encoding="utf-8"))
    documents: dict[str, Any] = {}
    for organisation in organisations:
        oid = organisation["oid"]
        documents[f"/organisaatio-service/api/{oid}"] = organisation
        path = [p for p in organisation.get("parentOidPath", "").split("|") if p]
        documents[f"/organisaatio-service/api/{oid}/parentoids"] = [*path, oid]

    def find_by_oids(documents: dict[str, Any], body: Any) -> Any:
        wanted = body if isinstance(body, list) else []
        found = [documents.get(f"/organisaatio-service/api/{oid}") for oid in wanted]
        return [organisation for organisation in found if organisation is not None]

    return documents, {"/organisaatio-service/api/findbyoids": find_by_oids}


def code_documents() -> tuple[dict[str, Any], dict[str, Any]]:
    """(koodisto's documents, ePerusteet's documents) from the code names of the test data."""
    koodisto: dict[str, Any] = {}
    eperusteet: dict[str, Any] = {}
    lists: dict[str, list[Any]] = {}
    for document in json.loads((DATA / "codes.json").read_text(encoding="utf-8")):
        if "metadata" in document:
            uri = document["koodiUri"]
            koodisto[f"/koodisto-service/rest/codeelement/latest/{uri}"] = document
            lists.setdefault(uri.split("_", 1)[0], []).append(document)
    # ePerusteet answers pages as the national samples show (tutkinnonosat_400014, _100054).
    for sample in sorted((DATA / "national-samples").glob("eperusteet-service_api_*.json")):
        page = json.loads(sample.read_text(encoding="utf-8"))
        for uri in {unit["koodiUri"] for unit in page["data"]}:
            eperusteet[f"/eperusteet-service/api/tutkinnonosat?koodiUri={uri}"] = page
    for name, elements in lists.items():
        koodisto[f"/koodisto-service/rest/json/{name}/koodi"] = elements
    return koodisto, eperusteet


def all_stand_ins() -> dict[str, RegistryStandIn]:
    organisaatio, finders = organisaatio_documents()
    koodisto, eperusteet = code_documents()
    return {
        "koski": RegistryStandIn("koski", koski_documents(), auth=KOSKI_AUTH),
        "onr": RegistryStandIn("onr", onr_documents()),
        "organisaatio": RegistryStandIn("organisaatio", organisaatio, finders),
        "koodisto": RegistryStandIn("koodisto", koodisto),
        "eperusteet": RegistryStandIn("eperusteet", eperusteet),
    }


def http_settings(stand_ins: dict[str, RegistryStandIn]) -> dict[str, Any]:
    """Settings that set every registry to `http` against the stand-ins, with short waits."""
    settings: dict[str, Any] = {
        "registry_timeout_seconds": 0.5,
        "registry_attempts": 2,
        "registry_breaker_failures": 3,
        "registry_breaker_reset_seconds": 1.0,
    }
    for name, stand_in in stand_ins.items():
        settings[f"{name}_mode"] = "http"
        settings[f"{name}_url"] = stand_in.base_url
    settings["koski_username"] = KOSKI_USERNAME
    settings["koski_password"] = KOSKI_PASSWORD
    return settings
