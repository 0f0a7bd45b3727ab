"""`ehoks registry import` through click's CliRunner, against each backend's test database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ehoks.audit.models import AuditEvent
from ehoks.cli.registry import registry
from ehoks.config import get_settings
from ehoks.registry.models import Organisation, Person, StudyRight
from tests.registry.conftest import ORGANISATIONS, STUDENTS


@pytest.fixture
def cli(
    database_url: str,
    db: object,  # empties the tables the command fills
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[CliRunner]:
    monkeypatch.setenv("EHOKS_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def run(cli: CliRunner, *args: str | Path) -> Result:
    return cli.invoke(registry, [str(arg) for arg in args], catch_exceptions=False)


def rows(session: Session) -> int:
    total = 0
    for model in (Organisation, Person, StudyRight):
        total += session.scalar(select(func.count()).select_from(model)) or 0
    session.rollback()
    return total


def test_import_prints_one_line_per_kind(cli: CliRunner, session: Session):
    result = run(cli, "import", ORGANISATIONS, STUDENTS)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "organisations: 9 inserted, 0 updated, 0 unchanged",
        "persons: 8 inserted, 0 updated, 0 unchanged",
        "study rights: 12 inserted, 0 updated, 0 unchanged",
    ]
    assert result.stderr == ""
    assert rows(session) == 29


def test_an_import_is_audited_as_the_operators(cli: CliRunner, session: Session):
    before = session.scalar(select(func.max(AuditEvent.id))) or 0
    session.rollback()

    run(cli, "import", ORGANISATIONS, STUDENTS)

    statement = select(AuditEvent).where(AuditEvent.id > before)
    events = list(session.scalars(statement.where(AuditEvent.operation == "registry.import")))
    session.rollback()
    assert [(e.subject_kind, e.outcome) for e in events] == [("operator", "success")]
    assert events[0].details["files"] == [str(ORGANISATIONS), str(STUDENTS)]
    assert events[0].details["summary"][0] == "organisations: 9 inserted, 0 updated, 0 unchanged"


def test_second_import_says_nothing_changed(cli: CliRunner):
    run(cli, "import", ORGANISATIONS, STUDENTS)

    result = run(cli, "import", STUDENTS, ORGANISATIONS)

    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "organisations: 0 inserted, 0 updated, 9 unchanged",
        "persons: 0 inserted, 0 updated, 8 unchanged",
        "study rights: 0 inserted, 0 updated, 12 unchanged",
        "nothing changed",
    ]


def test_a_malformed_file_fails_with_file_and_line(
    cli: CliRunner, session: Session, tmp_path: Path
):
    bad = tmp_path / "bad.json"
    bad.write_text('{"oid": "1.2.246.562.10.00000000001", "nimi": {}}\n{"x": 1}\n')

    result = run(cli, "import", ORGANISATIONS, bad)

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        (
            f"error: {bad}:2: unknown document: expected a Koski oppija document "
            "(henkilö + opiskeluoikeudet) or an organisaatio document "
            "(oid + nimi/parentOid/parentOidPath/tyypit)"
        )
    ]
    assert rows(session) == 0


def test_bad_json_reports_its_line(cli: CliRunner, tmp_path: Path):
    bad = tmp_path / "bad.json"
    lines = json.dumps({"henkilö": {"oid": "x"}, "opiskeluoikeudet": [{}]}, indent=2).splitlines()
    lines[6] = lines[6] + "]"  # line 7: one bracket too many
    bad.write_text("\n".join(lines))

    result = run(cli, "import", bad)

    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {bad}:7: invalid JSON: ")
    assert len(result.stderr.splitlines()) == 1


def test_a_missing_file_fails_before_anything_is_imported(
    cli: CliRunner, session: Session, tmp_path: Path
):
    missing = tmp_path / "nowhere.json"

    result = run(cli, "import", ORGANISATIONS, missing)

    assert result.exit_code == 1
    assert result.stderr == f"error: {missing}: no such file\n"
    assert rows(session) == 0


def test_import_needs_at_least_one_file(cli: CliRunner):
    result = run(cli, "import")

    assert result.exit_code == 2
    assert "Missing argument 'FILE...'" in result.stderr


def test_a_database_without_the_schema_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("EHOKS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    try:
        result = run(CliRunner(), "import", ORGANISATIONS)
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 1
    assert result.stderr.startswith("error: database error, nothing imported: ")
    assert len(result.stderr.splitlines()) == 1


def test_help_explains_the_formats(cli: CliRunner):
    group_help = run(cli, "--help")
    import_help = run(cli, "import", "--help")

    assert group_help.exit_code == 0
    assert "import" in group_help.stdout
    assert import_help.exit_code == 0
    assert "oppija" in import_help.stdout
    assert "FILE:LINE" in import_help.stdout
