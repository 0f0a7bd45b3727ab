"""`ehoks feedback …`: operators' feedback tasks (docs/feedback.md)."""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

import click

from ehoks.cli.common import open_engine
from ehoks.feedback import bounces
from ehoks.feedback.catchup.run import BATCH, Progress, catch_up
from ehoks.kit.db.engine import build_sessionmaker, transaction

# A delivery report with the original's headers is a few kilobytes; more is not read.
MAX_REPORT_BYTES = 1_000_000


@click.group()
def feedback() -> None:
    """Feedback surveys: deciding them for old plans, bounced invitations."""


@feedback.command("catch-up")
@click.option(
    "--batch",
    type=click.IntRange(1, 5000),
    default=BATCH,
    show_default=True,
    help="Plans decided and written per transaction.",
)
@click.option("--restart", is_flag=True, help="Begin again from the first plan.")
def catch_up_command(batch: int, restart: bool) -> None:  # noqa: FBT001 - a click flag
    """Decide the feedback of plans stored before feedback existed, with the rules a plan write
    uses. Idempotent (existing surveys are kept) and resumable (it goes on where a stopped run
    got to)."""
    engine = open_engine()
    started = time.perf_counter()

    def report(progress: Progress) -> None:
        rate = progress.plans / max(time.perf_counter() - started, 1e-9)
        click.echo(
            f"{progress.plans} plans ({rate:.0f}/s), {progress.surveys} surveys recorded, "
            f"up to HOKS {progress.last_hoks_id}"
        )

    try:
        done = catch_up(
            build_sessionmaker(engine),
            datetime.now(UTC),
            batch=batch,
            restart=restart,
            report=report,
        )
    finally:
        engine.dispose()
    click.echo(f"done: {done.plans} plans, {done.surveys} surveys recorded")


@feedback.command("bounce")
def bounce_command() -> None:
    """Record a bounced invitation: a delivery report (RFC 3464) on standard input, as the mail
    system hands it over. Anything else is read and left alone (exit status 0 either way, so
    the mail system does not send it back again)."""
    found = bounces.parse(sys.stdin.buffer.read(MAX_REPORT_BYTES))
    if found is None:
        click.echo("not a report of a failed delivery: nothing recorded")
        return
    engine = open_engine()
    try:
        with transaction(build_sessionmaker(engine)) as session:
            outcome = bounces.record(session, found, datetime.now(UTC))
    finally:
        engine.dispose()
    click.echo(f"{outcome}: {found.message_id} ({found.reason})")
