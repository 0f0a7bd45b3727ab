"""`ehoks registry import` with code-name files: the `codes` line of the summary."""

from __future__ import annotations

from click.testing import CliRunner

from tests.registry.conftest import DATA, ORGANISATIONS, STUDENTS
from tests.registry.test_cli import cli, run

__all__ = ["cli"]  # the fixture, used by name

CODES = DATA / "codes.json"


def test_import_prints_a_codes_line(cli: CliRunner):
    result = run(cli, "import", ORGANISATIONS, STUDENTS, CODES)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "organisations: 9 inserted, 0 updated, 0 unchanged",
        "persons: 8 inserted, 0 updated, 0 unchanged",
        "study rights: 12 inserted, 0 updated, 0 unchanged",
        "codes: 50 inserted, 0 updated, 0 unchanged",
    ]


def test_second_code_import_says_nothing_changed(cli: CliRunner):
    run(cli, "import", CODES)

    result = run(cli, "import", CODES)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "organisations: 0 inserted, 0 updated, 0 unchanged",
        "persons: 0 inserted, 0 updated, 0 unchanged",
        "study rights: 0 inserted, 0 updated, 0 unchanged",
        "codes: 0 inserted, 0 updated, 50 unchanged",
        "nothing changed",
    ]
