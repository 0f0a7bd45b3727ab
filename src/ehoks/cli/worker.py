"""`ehoks worker`: sends the feedback surveys (docs/feedback.md) and refreshes the local copies
of the registries that are `http` (docs/operations.md, "National registries over HTTP")."""

from __future__ import annotations

import logging
import signal
import threading

import click

from ehoks.cli.common import fail, load_settings, open_engine
from ehoks.config import Settings
from ehoks.feedback.window import WindowSettingError
from ehoks.feedback.worker.run import run_forever, run_once
from ehoks.feedback.worker.setup import build_context
from ehoks.kit.db.engine import build_sessionmaker
from ehoks.registry.remote.setup import registries_from
from ehoks.registrysync import rounds


def worker_connections(settings: Settings) -> int:
    """The connections `ehoks worker` keeps and never exceeds: one for each job thread
    (`EHOKS_WORKER_THREADS`), one for the main thread, which claims and settles jobs (never
    while it holds one of its own and waits for the job threads), and one for the registry
    refresher's thread."""
    return settings.worker_threads + 2


@click.command()
@click.option("--once", is_flag=True, help="Run every due job once and exit (for cron and tests).")
def worker(once: bool) -> None:  # noqa: FBT001 - a click flag
    """Handle due feedback jobs: links, invitations, delivery; long-running unless --once."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # httpx logs every request at INFO: a line for each of Arvo's calls, three a survey. The
    # worker logs the failures itself.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = load_settings()
    engine = open_engine(pool_size=worker_connections(settings))
    try:
        context = build_context(build_sessionmaker(engine), settings)
    except WindowSettingError as error:
        fail(str(error))
    registries = registries_from(settings)
    try:
        if once:
            outcomes = run_once(context)
            click.echo(", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items())) or "nothing due")
            if registries.any_remote:
                refreshed = rounds.run_round(
                    context.factory, registries, settings.registry_refresh_batch
                )
                for operation, report in refreshed.items():
                    click.echo(f"{operation}: {report}")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        refresher = None
        if registries.any_remote:
            refresher = threading.Thread(
                target=rounds.run_forever,
                args=(context.factory, registries, settings.registry_refresh_batch),
                kwargs={"poll_seconds": settings.worker_poll_seconds, "stop": stop},
                name="registry-refresh",
                daemon=True,
            )
            refresher.start()
        run_forever(context, stop)
        if refresher is not None:
            refresher.join()
    finally:
        registries.close()
        engine.dispose()
