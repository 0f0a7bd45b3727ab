"""`ehoks registry`: the local copies of the national registries."""

from __future__ import annotations

import uuid
from pathlib import Path

import click
from sqlalchemy.exc import SQLAlchemyError

from ehoks.audit import service as audit
from ehoks.cli.common import fail, open_engine, operator_name
from ehoks.kit.db.engine import build_sessionmaker, transaction
from ehoks.registry.records import RegistryFileError
from ehoks.registry.service import import_files


@click.group()
def registry() -> None:
    """Import persons, study rights, organisations and code names from national registry files."""


@registry.command(name="import")
@click.argument(
    "files", nargs=-1, required=True, metavar="FILE...", type=click.Path(path_type=Path)
)
def import_command(files: tuple[Path, ...]) -> None:
    """Import FILE... in one transaction: all of them, or nothing.

    Each file holds Koski oppija documents ({"henkilö": ..., "opiskeluoikeudet": [...]}),
    organisaatio documents, koodisto code elements and/or ePerusteet tutkinnon osat, as one JSON
    document, a JSON list or one document per line. Importing the same data again changes
    nothing. A problem is reported as FILE:LINE: reason and nothing from any of the files is
    stored. The import is recorded in the audit log.
    """
    engine = open_engine()
    try:
        with transaction(build_sessionmaker(engine)) as session:
            report = import_files(session, files)
            audit.record(
                session,
                audit.Event(
                    request_id=uuid.uuid4().hex,
                    subject_kind="operator",
                    subject_id=operator_name(),
                    operation="registry.import",
                    outcome=audit.Outcome.SUCCESS,
                    details={"files": [str(f) for f in files], "summary": report.summary_lines()},
                ),
            )
    except RegistryFileError as exc:
        fail(str(exc))
    except SQLAlchemyError as exc:  # e.g. a database without the schema: `ehoks db upgrade`
        fail(f"database error, nothing imported: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
    for line in report.summary_lines():
        click.echo(line)
    if not report.changed:
        click.echo("nothing changed")
