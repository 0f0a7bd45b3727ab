"""The `ehoks` command as an operator runs it: one-line errors and exit codes. The commands run
in the test process (`tests.support.cli`); the last test starts a real process, for what only
the shell sees: `python -m ehoks`, its exit status and its standard error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.support.cli import ehoks
from tests.support.databases import create_database, drop_database

REGISTRY = Path(__file__).resolve().parent.parent / "data" / "registry"
EHOKS = [sys.executable, "-m", "ehoks"]


def run(*args, url: str, check: bool = True):
    result = ehoks(*args, env={"EHOKS_DATABASE_URL": url})
    if check:
        assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    """A fresh, empty database of each backend: the commands build the schema themselves."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cli.db'}"
        return
    database = create_database(f"ehoks_cli_{uuid.uuid4().hex[:12]}")
    yield database
    drop_database(database)


def test_every_command_has_help(url):
    for args in (
        [],
        ["db"],
        ["db", "upgrade"],
        ["registry", "import"],
        ["clients", "create"],
        ["serve"],
        ["audit", "verify"],
        ["maintenance", "purge"],
        ["demo", "run"],
    ):
        result = run(*args, "--help", url=url)
        assert "Usage:" in result.stdout


def test_operator_workflow(url):
    assert "up to date" in run("db", "upgrade", url=url).stdout
    imported = run(
        "registry",
        "import",
        str(REGISTRY / "organisations.json"),
        str(REGISTRY / "students.json"),
        url=url,
    )
    assert "inserted" in imported.stdout
    again = run("registry", "import", str(REGISTRY / "organisations.json"), url=url)
    assert "nothing changed" in again.stdout

    created = run(
        "clients",
        "create",
        "--name",
        "Primus",
        "--organisation",
        "1.2.246.562.10.53642770753",
        "--access",
        "write",
        "--json",
        url=url,
    )
    credentials = json.loads(created.stdout)
    assert set(credentials) == {"client_id", "client_secret"}
    listed = run("clients", "list", url=url).stdout
    assert credentials["client_id"] in listed
    assert credentials["client_secret"] not in listed

    assert "intact" in run("audit", "verify", url=url).stdout


def test_errors_are_one_line_and_non_zero(url, tmp_path):
    run("db", "upgrade", url=url)
    missing = run("registry", "import", str(tmp_path / "nope.json"), url=url, check=False)
    assert missing.exit_code == 1
    assert missing.stderr.strip().count("\n") == 0
    assert missing.stderr.startswith("error:")

    bad = tmp_path / "bad.json"
    bad.write_text('{"oid": "1.2.246.562.10.53642770753", "nimi": {"fi": "A"}}\n{not json\n')
    refused = run("registry", "import", str(bad), url=url, check=False)
    assert refused.exit_code == 1
    assert f"{bad}:2:" in refused.stderr

    unknown_org = run(
        "clients",
        "create",
        "--name",
        "X",
        "--organisation",
        "1.2.246.562.10.99999999990",
        url=url,
        check=False,
    )
    assert unknown_org.exit_code == 1
    assert unknown_org.stderr.startswith("error:")


def test_the_retired_environment_setting_is_refused_by_a_real_process(tmp_path):
    """Settings are refused before any database is opened, so one backend stands for both."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("EHOKS_")},
        "EHOKS_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "EHOKS_ENVIRONMENT": "development",
    }
    result = subprocess.run(
        [*EHOKS, "db", "upgrade"], check=False, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert result.stderr.startswith("error: invalid settings")
    assert result.stderr.strip().count("\n") == 0
    assert "EHOKS_DEVELOPMENT_MODE" in result.stderr
    assert not (tmp_path / "cli.db").exists()


def test_demo_data_is_refused_outside_development_mode(url):
    refused = run("demo", "load", url=url, check=False)
    assert refused.exit_code == 1
    assert "development mode" in refused.stderr
