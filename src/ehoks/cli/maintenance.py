"""`ehoks maintenance`: housekeeping to run on a schedule (cron, a systemd timer)."""

from __future__ import annotations

import click

from ehoks.auth import service as auth_service
from ehoks.cli.common import database_session
from ehoks.kit import throttle
from ehoks.kit.db.base import utcnow


@click.group()
def maintenance() -> None:
    """Housekeeping for a schedule."""


@maintenance.command("purge")
def purge() -> None:
    """Delete rows nobody can use any more: sign-ins never finished in time and throttle counts
    of windows that have ended. Safe to run at any time and as often as wanted (say hourly)."""
    now = utcnow()
    with database_session() as session:
        sign_ins = auth_service.forget_stale_sign_ins(session, now)
        counts = throttle.purge(session, now)
    click.echo(f"purged: {sign_ins} unfinished sign-in(s), {counts} throttle count(s)")
