"""`ehoks clients` with click's CliRunner, against the test database of each backend."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner, Result

from ehoks.cli.clients import clients
from ehoks.client.models import SystemClient
from ehoks.config import get_settings

if TYPE_CHECKING:
    from collections.abc import Iterator

    import httpx
    from sqlalchemy.orm import Session


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("EHOKS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def _run(cli: CliRunner, *args: str) -> Result:
    return cli.invoke(clients, list(args), catch_exceptions=False)


def test_create_json_secret_works_at_the_token_endpoint(
    cli: CliRunner, organisation: str, http: httpx.Client, session: Session
):
    result = _run(cli, "create", "--name", "Primus", "--organisation", organisation, "--json")

    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    assert set(created) == {"client_id", "client_secret"}
    row = session.get(SystemClient, created["client_id"])
    assert row is not None
    assert row.access == "read"  # least privilege by default
    assert created["client_secret"] not in row.secret_hash
    session.rollback()

    response = http.post(
        "/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(created["client_id"], created["client_secret"]),
    )
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "Bearer"


def test_create_prints_secret_once_with_instructions(cli: CliRunner, organisation: str):
    result = _run(
        cli, "create", "--name", "Wilma", "--organisation", organisation, "--access", "write"
    )

    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "client_id:" in out
    assert "client_secret:" in out
    assert "cannot be shown again" in out
    assert "curl" in out
    assert "http://127.0.0.1:8000/oauth2/token" in out
    secret = next(line for line in out.splitlines() if line.startswith("client_secret:"))
    assert out.count(secret.split()[-1]) == 1


def test_list_never_shows_secrets_and_disable(cli: CliRunner, organisation: str):
    created = json.loads(
        _run(cli, "create", "--name", "Visma", "--organisation", organisation, "--json").stdout
    )

    listed = _run(cli, "list")
    assert listed.exit_code == 0
    assert created["client_id"] in listed.stdout
    assert "Visma" in listed.stdout
    assert organisation in listed.stdout
    assert "read" in listed.stdout
    assert created["client_secret"] not in listed.stdout
    assert "scrypt" not in listed.stdout

    disabled = _run(cli, "disable", created["client_id"])
    assert disabled.exit_code == 0, disabled.stderr
    assert created["client_id"] in disabled.stdout
    row = next(line for line in _run(cli, "list").stdout.splitlines() if "Visma" in line)
    assert row.split()[-1] != "-"  # the disable time


@pytest.mark.usefixtures("organisation")
def test_unknown_organisation_fails_with_one_line(cli: CliRunner):
    result = _run(cli, "create", "--name", "X", "--organisation", "1.2.246.562.10.0")
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "import the organisation registry" in lines[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("create", "--name", "", "--organisation", "ORG"), "name"),
        (("disable", "ehoks-does-not-exist"), "ehoks-does-not-exist"),
    ],
)
def test_other_errors_fail_with_one_line(
    cli: CliRunner, organisation: str, args: tuple[str, ...], needle: str
):
    result = _run(cli, *(organisation if a == "ORG" else a for a in args))
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert needle in result.stderr


def test_help_documents_default_access(cli: CliRunner):
    result = _run(cli, "create", "--help")
    assert "least privilege" in result.stdout
    assert "default: read" in result.stdout


@pytest.mark.usefixtures("db")
def test_list_when_empty(cli: CliRunner):
    assert "No system clients." in _run(cli, "list").stdout


def test_create_from_a_national_role_with_cas_sign_in(
    cli: CliRunner, organisation: str, http: httpx.Client, session: Session
):
    result = _run(
        cli,
        "create",
        "--name",
        "Primus",
        "--role",
        f"ROLE_APP_EHOKS_CRUD_{organisation}",
        "--cas-username",
        "primus.sis",
        "--json",
    )

    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    row = session.get(SystemClient, created["client_id"])
    assert row is not None
    assert (row.organisation_oid, row.access, row.cas_username) == (
        organisation,
        "write",
        "primus.sis",
    )
    session.rollback()
    granted = http.post(
        "/cas/v1/tickets", data={"username": "primus.sis", "password": created["client_secret"]}
    )
    assert granted.status_code == 201, granted.text


@pytest.mark.parametrize(
    ("role", "access"),
    [("READ", "read"), ("HOKS_DELETE", "read"), ("OPHPAAKAYTTAJA", "write")],
)
def test_national_roles_map_onto_access_levels(
    cli: CliRunner, organisation: str, session: Session, role: str, access: str
):
    result = _run(
        cli,
        "create",
        "--name",
        "SIS",
        "--role",
        f"ROLE_APP_EHOKS_{role}_{organisation}",
        "--cas",
        "--json",
    )

    assert result.exit_code == 0, result.stderr
    created = json.loads(result.stdout)
    row = session.get(SystemClient, created["client_id"])
    assert row is not None
    assert row.access == access
    assert row.cas_username == created["client_id"] == created["cas_username"]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--role", "ROLE_APP_KOSKI_READ_1.2.246.562.10.11111111111"], "a national role has"),
        (
            ["--role", "ROLE_APP_EHOKS_READ_1.2.246.562.10.11111111111", "--access", "write"],
            "give either --role or --organisation",
        ),
        ([], "give --organisation"),
    ],
)
def test_create_refuses_unclear_roles(cli: CliRunner, organisation: str, args, error):
    del organisation
    result = _run(cli, "create", "--name", "SIS", *args)

    assert result.exit_code == 1
    assert f"error: {error}" in result.stderr


def test_a_cas_user_name_is_used_once(cli: CliRunner, organisation: str):
    first = _run(
        cli, "create", "--name", "A", "--organisation", organisation, "--cas-username", "sis"
    )
    second = _run(
        cli, "create", "--name", "B", "--organisation", organisation, "--cas-username", "sis"
    )

    assert first.exit_code == 0, first.stderr
    assert second.exit_code == 1
    assert "error: the CAS user name 'sis' is already in use" in second.stderr
