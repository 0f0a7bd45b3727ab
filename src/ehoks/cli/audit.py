"""`ehoks audit`: checking the audit log."""

from __future__ import annotations

import click
from sqlalchemy.orm import sessionmaker

from ehoks.audit.service import verify
from ehoks.cli.common import fail, open_engine


@click.group()
def audit() -> None:
    """The audit log of every read and change of personal data."""


@audit.command("verify")
def verify_command() -> None:
    """Recompute every hash chain; exit 1 and list the breaks if any record was altered,
    removed or reordered."""
    engine = open_engine()
    try:
        with sessionmaker(bind=engine)() as session:
            report = verify(session)
    except Exception as exc:  # noqa: BLE001 - one clear line for any failure
        fail(f"could not read the audit log: {exc}")
    finally:
        engine.dispose()
    if not report.ok:
        for problem in report.problems:
            click.echo(f"broken: {problem}", err=True)
        fail(f"audit log not intact: {len(report.problems)} problem(s), {report.records} records")
    click.echo(f"audit log intact: {report.records} records")
