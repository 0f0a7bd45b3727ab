"""`ehoks registry`: the local copies of the national registries."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ehoks.audit import service as audit
from ehoks.cli.common import fail, load_settings, open_engine, operator_name
from ehoks.kit.db.engine import build_sessionmaker, transaction
from ehoks.registry.records import RegistryFileError
from ehoks.registry.refresh import fetch_codes
from ehoks.registry.remote.setup import registries_from
from ehoks.registry.remote.transport import RegistryUnavailableError
from ehoks.registry.service import import_files


@click.group()
def registry() -> None:
    """Import persons, study rights, organisations and code names from national registry files."""


def _record(session: Session, operation: str, details: dict[str, Any]) -> None:
    """The command's change in the audit log, as done by the operator who ran it."""
    audit.record(
        session,
        audit.Event(
            request_id=uuid.uuid4().hex,
            subject_kind="operator",
            subject_id=operator_name(),
            operation=operation,
            outcome=audit.Outcome.SUCCESS,
            details=details,
        ),
    )


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
            details = {"files": [str(f) for f in files], "summary": report.summary_lines()}
            _record(session, "registry.import", details)
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


@registry.command(name="fetch-codes")
@click.option("--list", "lists", multiple=True, metavar="KOODISTO", help="a koodisto code list")
@click.option("--unit", "units", multiple=True, metavar="KOODI-URI", help="an ePerusteet unit")
def fetch_codes_command(lists: tuple[str, ...], units: tuple[str, ...]) -> None:
    """Fetch code names from koodisto (--list, e.g. urasuunnitelma) and ePerusteet (--unit, e.g.
    tutkinnonosat_100031), both `http` in the settings, and store them as an import would.

    All or nothing; fetching the same again changes nothing. Recorded in the audit log.
    """
    settings = load_settings()
    if lists and settings.koodisto_mode != "http":
        fail("--list needs EHOKS_KOODISTO_MODE=http and EHOKS_KOODISTO_URL")
    if units and settings.eperusteet_mode != "http":
        fail("--unit needs EHOKS_EPERUSTEET_MODE=http and EHOKS_EPERUSTEET_URL")
    registries = registries_from(settings)
    engine = open_engine()
    try:
        with transaction(build_sessionmaker(engine)) as session:
            counts = fetch_codes(session, registries, lists, units)
            details = {"lists": list(lists), "units": list(units), "codes": str(counts)}
            _record(session, "registry.fetch-codes", details)
    except RegistryUnavailableError as exc:
        fail(f"{exc.registry}: {exc.reason}; nothing stored")
    finally:
        registries.close()
        engine.dispose()
    click.echo(f"codes: {counts}")
