"""`ehoks serve`: the web service."""

from __future__ import annotations

import os

import click
import uvicorn

from ehoks.app import DEVELOPMENT_MODE_NOTICE
from ehoks.cli import metrics
from ehoks.cli.common import load_settings
from ehoks.cli.http_limits import LimitedHttpToolsProtocol
from ehoks.config import get_settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (stateless; any number can run behind a load balancer).",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Serve Prometheus metrics on this port of their own (off unless given).",
)
@click.option(
    "--metrics-host", default="127.0.0.1", show_default=True, help="Address of the metrics port."
)
def serve(host: str, port: int, workers: int, metrics_port: int | None, metrics_host: str) -> None:
    """Run the web service (provider API, documentation, health probes)."""
    # Without an explicit public address, sign-in redirects and e-mailed links name this one.
    os.environ.setdefault("EHOKS_PUBLIC_BASE_URL", f"http://{host}:{port}")
    get_settings.cache_clear()
    settings = load_settings()  # refuse bad settings before binding the port
    if settings.development_mode:
        click.secho(DEVELOPMENT_MODE_NOTICE, err=True, fg="red", bold=True)
    metrics.prepare_workers(workers)
    if metrics_port is not None:
        metrics.start(metrics_host, metrics_port, settings.database_url)
    uvicorn.run(
        # Created, then frozen for the garbage collector (`create_served_app`).
        "ehoks.app:create_served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        # uvloop + httptools: the default asyncio/h11 stack delays keep-alive responses with
        # several workers (docs/operations.md, "Performance").
        loop="uvloop",
        # httptools, with the limits uvicorn does not set for it (ehoks.cli.http_limits).
        http=LimitedHttpToolsProtocol,
        timeout_keep_alive=settings.http_keep_alive_seconds,
        proxy_headers=True,
        access_log=False,
        # No `server: uvicorn` header: the product and its version help nobody but scanners.
        server_header=False,
        # A worker that does not answer the supervisor's ping in time is killed and replaced;
        # the default 5 s is less than a start takes on a busy machine, which then never ends.
        timeout_worker_healthcheck=60,
    )
