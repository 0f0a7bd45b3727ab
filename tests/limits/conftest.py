"""A real `ehoks serve` process on PostgreSQL, as an operator runs it, for the tests of limits:
only a separate process shows the server's own memory and its HTTP server's settings."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.support.cli import ehoks_ok
from tests.support.databases import create_database, drop_database
from tests.support.process import ServedProcess, clean_environment

ROOT = Path(__file__).resolve().parents[2]
ORGANISATIONS = ROOT / "tests" / "data" / "registry" / "organisations.json"
ORGANISATION = "1.2.246.562.10.53642770753"
API = "/ehoks-virkailija-backend/api/v1"


@dataclass
class Served:
    server: ServedProcess
    env: dict[str, str]
    clients: dict[str, dict[str, str]]

    def token(self, access: str) -> dict[str, str]:
        """Request headers with a fresh token of the provider system with `access`."""
        credentials = self.clients[access]
        issued = httpx.post(
            f"{self.server.base_url}/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(credentials["client_id"], credentials["client_secret"]),
            timeout=30,
        )
        assert issued.status_code == 200, issued.text
        return {"Authorization": f"Bearer {issued.json()['access_token']}", "Caller-Id": "t"}


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`ehoks serve` with only a database URL, and a read-only and a writing provider system."""
    url = create_database(f"ehoks_limits_{uuid.uuid4().hex[:12]}")
    env = clean_environment(EHOKS_DATABASE_URL=url)
    try:
        ehoks_ok("db", "upgrade", env=env)
        ehoks_ok("registry", "import", str(ORGANISATIONS), env=env)
        clients = {}
        for access in ("read", "write"):
            created = ehoks_ok(
                "clients", "create", "--name", f"SIS {access}", "--organisation", ORGANISATION,
                "--access", access, "--json", env=env,
            )  # fmt: skip
            clients[access] = json.loads(created.stdout)
        with ServedProcess(env, tmp_path_factory.mktemp("limits") / "serve.log") as server:
            yield Served(server, env, clients)
    finally:
        drop_database(url)
