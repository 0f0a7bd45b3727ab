"""`ehoks maintenance`: housekeeping to run on a schedule (cron, a systemd timer)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import click
from sqlalchemy.orm import Session, sessionmaker

from ehoks.auth import service as auth_service
from ehoks.cli.common import database_sessions, load_settings, operator_name
from ehoks.config import Settings
from ehoks.credentials import retention as credential_retention
from ehoks.kit import retention, throttle
from ehoks.kit.db.base import utcnow
from ehoks.kit.db.engine import transaction
from ehoks.sharing import retention as share_retention

Stripper = Callable[[Session, Settings, datetime, str], int]


@click.group()
def maintenance() -> None:
    """Housekeeping for a schedule."""


@maintenance.command("purge")
def purge() -> None:
    """Delete rows nobody can use any more: sign-ins never finished in time and throttle counts
    of windows that have ended; and strip revoked credentials and ended share links past their
    retention (EHOKS_CREDENTIAL_RETENTION_DAYS, EHOKS_SHARE_LINK_RETENTION_DAYS) down to what
    still answers for them, a batch per transaction, each batch in the audit log. Safe to run
    at any time and as often as wanted (say hourly)."""
    now = utcnow()
    settings = load_settings()
    operator = operator_name()
    with database_sessions() as factory:
        with transaction(factory) as session:
            sign_ins = auth_service.forget_stale_sign_ins(session, now)
            counts = throttle.purge(session, now)
        credentials = _in_batches(factory, credential_retention.strip_due, settings, now, operator)
        links = _in_batches(factory, share_retention.strip_due, settings, now, operator)
    click.echo(
        f"purged: {sign_ins} unfinished sign-in(s), {counts} throttle count(s), "
        f"{credentials} revoked credential(s), {links} ended share link(s)"
    )


def _in_batches(
    factory: sessionmaker[Session],
    strip: Stripper,
    settings: Settings,
    now: datetime,
    operator: str,
) -> int:
    """Run `strip` a batch per transaction until a batch comes short; how many in all."""
    total = 0
    while True:
        with transaction(factory) as session:
            done = strip(session, settings, now, operator)
        total += done
        if done < retention.BATCH:
            return total
