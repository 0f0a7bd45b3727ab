"""`ehoks demo`: the service on one laptop with demo data, in one command."""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from ehoks.cli.common import fail, load_settings
from ehoks.cli.serve import serve
from ehoks.config import get_settings
from ehoks.demo.loader import DemoClient, load
from ehoks.demo.mail_sink import start_mail_sink
from ehoks.kit.db import migrate
from ehoks.kit.db.engine import build_engine, build_sessionmaker, transaction


@click.group()
def demo() -> None:
    """Demo data for trying the service out, in development mode (never with real data)."""


@demo.command("load")
def load_command() -> None:
    """Create the schema and load the demo registries, clients and HOKS (idempotent).

    The demo's credentials are public: refused unless EHOKS_DEVELOPMENT_MODE=true.
    """
    _load_and_explain(port=8000)


@demo.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
@click.option(
    "--mail-sink/--no-mail-sink",
    default=True,
    show_default=True,
    help="Receive the service's e-mail on the configured SMTP address and print it here.",
)
def run(ctx: click.Context, host: str, port: int, *, mail_sink: bool) -> None:
    """Load the demo data, then serve at http://HOST:PORT in development mode."""
    # Choosing the demo is choosing development mode (its sign-in lets anyone be anyone).
    os.environ["EHOKS_DEVELOPMENT_MODE"] = "true"
    get_settings.cache_clear()
    _load_and_explain(port=port, host=host)
    sink = start_mail_sink() if mail_sink else None
    try:
        ctx.invoke(serve, host=host, port=port, workers=1)
    finally:
        if sink is not None:
            sink.stop()


def _load_and_explain(*, port: int, host: str = "127.0.0.1") -> None:
    settings = load_settings()
    if not settings.development_mode:
        fail(
            "demo data has public credentials: load it only in development mode "
            "(EHOKS_DEVELOPMENT_MODE=true, or `ehoks demo run`)"
        )
    engine = build_engine(settings.database_url)
    try:
        migrate.upgrade(engine)
        today = datetime.now(ZoneInfo(settings.timezone)).date()
        with transaction(build_sessionmaker(engine)) as session:
            clients, hoks_ids = load(session, today=today)
    except Exception as exc:  # noqa: BLE001 - one clear line for any failure
        fail(f"loading demo data failed: {exc}")
    finally:
        engine.dispose()
    _explain(f"http://{host}:{port}", clients, hoks_ids)


def _explain(base: str, clients: list[DemoClient], hoks_ids: list[int]) -> None:
    click.echo(f"eHOKS demo: {len(hoks_ids)} HOKS, {len(clients)} provider systems.")
    for client in clients:
        click.echo(
            f"  provider system {client.client_id} / {client.secret} ({client.organisation_oid})"
        )
    if not clients:
        return
    first = clients[0]
    api = f"{base}/ehoks-virkailija-backend/api/v1"
    read_token = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"  # noqa: S105
    hoks_id = hoks_ids[0] if hoks_ids else 1
    student_page = "/ehoks-oppija-backend/api/v1/oppija/session"
    staff_page = "/ehoks-virkailija-backend/api/v1/virkailija/session"
    click.echo(
        "\nGet a token and read a HOKS:\n"
        f"  TOKEN=$(curl -s -u {first.client_id}:{first.secret} -d grant_type=client_credentials "
        f"{base}/oauth2/token | {read_token})\n"
        f'  curl -H "Authorization: Bearer $TOKEN" -H "Caller-Id: demo" {api}/hoks/{hoks_id}\n'
        f"API documentation: {base}/docs\n"
        f"\nThe service: {base}/ (sign in as a student there and pick Maija Virtanen, whose\n"
        "plan holds every part of a HOKS)\n"
        "Sign in with the built-in development identity provider (pick a demo person):\n"
        f"  student: {base}/auth/student/login?return_to=/ehoks/suunnittelu\n"
        f"  student, the session as JSON: {base}/auth/student/login?return_to={student_page}\n"
        f"  staff:   {base}/auth/staff/login?return_to={staff_page}\n"
        f"  workplace instructor: {base}/tyopaikkaohjaaja\n"
    )
