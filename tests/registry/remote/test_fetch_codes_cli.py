"""`ehoks registry fetch-codes`: code names from koodisto and ePerusteet stand-ins, stored."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ehoks.config import get_settings
from ehoks.registry.models import CodeName
from ehoks.registry.remote.transport import close_breakers
from tests.registry.test_cli import cli, run

__all__ = ["cli"]  # the fixture, used by name


@pytest.fixture
def remote_cli(cli, stand_ins, monkeypatch):
    for name in ("koodisto", "eperusteet"):
        monkeypatch.setenv(f"EHOKS_{name.upper()}_MODE", "http")
        monkeypatch.setenv(f"EHOKS_{name.upper()}_URL", stand_ins[name].base_url)
    get_settings.cache_clear()
    yield cli
    for stand_in in stand_ins.values():
        stand_in.reset()
    close_breakers()


def test_fetch_codes_stores_names_and_a_second_fetch_changes_nothing(
    remote_cli: CliRunner, session
):
    args = ("fetch-codes", "--list", "osaamisenhankkimistapa", "--unit", "tutkinnonosat_400014")
    first = run(remote_cli, *args)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("codes: ")
    assert "0 unchanged" in first.stdout
    stored = session.get(CodeName, "osaamisenhankkimistapa_oppisopimus")
    assert stored is not None
    assert stored.names["en"] == "Apprenticeship"
    assert session.get(CodeName, "tutkinnonosat_400014") is not None
    session.rollback()

    second = run(remote_cli, *args)
    assert second.exit_code == 0, second.stderr
    assert " 0 inserted, 0 updated" in second.stdout


def test_fetch_codes_with_koodisto_down_stores_nothing(remote_cli: CliRunner, stand_ins, session):
    stand_ins["koodisto"].misbehave("malformed")
    result = run(remote_cli, "fetch-codes", "--list", "osaamisenhankkimistapa")
    assert result.exit_code == 1
    assert "koodisto" in result.stderr
    assert "nothing stored" in result.stderr
    assert session.get(CodeName, "osaamisenhankkimistapa_oppisopimus") is None
