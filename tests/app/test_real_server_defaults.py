"""`ehoks serve` with no settings but a PostgreSQL database is a real server, not a development one.

It signs with a key nobody has read (generated on first use, kept in the database), so no key
that appears anywhere in this project's source opens it, and it offers no development sign-in.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pydantic
import pytest

from ehoks.config import Settings
from tests.support.cli import ehoks_ok
from tests.support.databases import create_database, drop_database
from tests.support.process import ServedProcess, clean_environment

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = ROOT / "tests" / "data" / "registry"
ORGANISATION = "1.2.246.562.10.53642770753"
API = "/ehoks-virkailija-backend/api/v1"
# The key this project once shipped as its development default. It is kept here, in the
# source, so that the scan below proves it opens nothing.
RETIRED_DEVELOPMENT_KEY = "development-only-signing-key-change-me-0123456789abcdef"


def source_strings() -> set[str]:
    """Every string constant of the project's Python code that could serve as an HMAC key."""
    found: set[str] = set()
    for folder in ("src", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    value = node.value
                    if 8 <= len(value) <= 200 and not any(c.isspace() for c in value):
                        found.add(value)
    return found


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged_token(key: str, client_id: str) -> str:
    """An HS256 token with every claim the service wants, valid for ten years."""
    now = int(time.time())
    claims = {
        "iss": "ehoks",
        "aud": "ehoks-provider-api",
        "sub": client_id,
        "org": ORGANISATION,
        "access": "write",
        "iat": now,
        "nbf": now,
        "exp": now + 10 * 365 * 24 * 3600,
        "jti": uuid.uuid4().hex,
    }
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(key.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A migrated PostgreSQL database and nothing configured."""
    url = create_database(f"ehoks_serve_{uuid.uuid4().hex[:12]}")
    ehoks_ok("db", "upgrade", env=clean_environment(EHOKS_DATABASE_URL=url))
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def real_server(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ServedProcess, dict[str, str]]]:
    """`ehoks serve` with only the database URL, and one provider system to ask for tokens."""
    env = clean_environment(EHOKS_DATABASE_URL=postgres_url)
    ehoks_ok("registry", "import", str(REGISTRY / "organisations.json"), env=env)
    created = ehoks_ok(
        "clients", "create", "--name", "SIS", "--organisation", ORGANISATION, "--json", env=env
    )
    credentials = json.loads(created.stdout)
    with ServedProcess(env, tmp_path_factory.mktemp("serve") / "serve.log") as server:
        yield server, credentials


def test_no_key_from_the_source_opens_a_server_without_settings(real_server):
    server, credentials = real_server
    client_id = credentials["client_id"]
    keys = source_strings()
    assert RETIRED_DEVELOPMENT_KEY in keys
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        issued = http.post(
            "/oauth2/token",
            data={"grant_type": "client_credentials"},
            auth=(client_id, credentials["client_secret"]),
        )
        assert issued.status_code == 200, issued.text
        genuine = {"Authorization": f"Bearer {issued.json()['access_token']}", "Caller-Id": "t"}
        # The server's own token opens it (so a forged one that did would be told apart) ...
        assert http.get(f"{API}/hoks/1", headers=genuine).status_code == 404
        # ... and a token signed with any string of the source does not.
        opened = []
        for key in sorted(keys):
            headers = {"Authorization": f"Bearer {forged_token(key, client_id)}", "Caller-Id": "t"}
            if http.get(f"{API}/hoks/1", headers=headers).status_code != 401:
                opened.append(key)
    assert opened == []
    assert "DEVELOPMENT MODE" not in server.log()


def test_a_server_without_settings_offers_no_development_sign_in(real_server):
    server, _ = real_server
    with httpx.Client(base_url=server.base_url, timeout=30) as http:
        for audience in ("staff", "student"):
            login = http.get(f"/auth/{audience}/login", params={"return_to": "/"})
            assert login.status_code == 404
            assert login.json()["code"] == "sign_in_not_configured"
        for path in ("/dev-idp/.well-known/openid-configuration", "/dev-idp/jwks"):
            assert http.get(path).status_code == 404
        authorize = http.get(
            "/dev-idp/authorize",
            params={"client_id": "ehoks-staff", "response_type": "code", "scope": "openid"},
        )
        assert authorize.status_code == 404
        assert http.post("/dev-idp/token", data={"grant_type": "x"}).status_code == 404


def test_development_mode_announces_itself_at_start(postgres_url, tmp_path):
    env = clean_environment(EHOKS_DATABASE_URL=postgres_url, EHOKS_DEVELOPMENT_MODE="true")
    with ServedProcess(env, tmp_path / "serve.log") as server:
        login = httpx.get(
            f"{server.base_url}/auth/staff/login", params={"return_to": "/"}, timeout=60
        )
        assert login.status_code == 302, server.log()
        assert "/dev-idp/authorize" in login.headers["location"]
    assert "DEVELOPMENT MODE" in server.log()


def test_a_key_published_in_the_source_is_refused_as_a_setting():
    with pytest.raises(pydantic.ValidationError, match="published in the source"):
        Settings(token_signing_key=RETIRED_DEVELOPMENT_KEY)
