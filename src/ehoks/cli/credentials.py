"""`ehoks credentials`: verify a credential as any outsider would, and manage the signing keys."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import click
import httpx

from ehoks.cli.common import database_session, fail, load_settings
from ehoks.credentials import keys, sources, verify
from ehoks.credentials.reading import OUTCOMES, reading_of

FETCH_TIMEOUT_SECONDS = 10.0


@click.group(name="credentials")
def credentials() -> None:
    """Signed competence credentials (docs/export.md): verify one; list and rotate the keys."""


@credentials.command(name="verify")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option(
    "--keys",
    "keys_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A JWKS file to trust instead of fetching the issuer's did:web document.",
)
def verify_command(file: Path, keys_file: Path | None) -> None:
    """Check the credential in FILE ('-': standard input) with only what its issuer publishes:
    the key from its did:web document (or --keys) and its status list. Exit 0 when it is
    authentic, unaltered and not revoked; 1 with the reason otherwise."""
    try:
        token = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
        jwks = json.loads(keys_file.read_text(encoding="utf-8")) if keys_file else None
    except (OSError, UnicodeError, ValueError) as unreadable:
        fail(f"cannot read the input: {unreadable}")
    with httpx.Client(timeout=FETCH_TIMEOUT_SECONDS) as client:
        verdict = verify.verify(
            token,
            sources.DidWebKeys(client, jwks if isinstance(jwks, dict) else None),
            sources.HttpLists(client),
            datetime.now(UTC),
        )
    click.echo(f"{'VERIFIED' if verdict.ok else 'NOT VERIFIED'} ({verdict.reason.value})")
    click.echo(OUTCOMES[verdict.reason])
    if verdict.detail:
        click.echo(f"detail: {verdict.detail}")
    reading = reading_of(verdict)
    if reading is not None:
        click.echo(f"name: {reading.name}")
        click.echo(f"student: {reading.student}")
        click.echo(f"issuer: {reading.issuer} ({verdict.kid})")
        for unit, result in reading.units:
            click.echo(f"unit: {unit}: {result}")
        for item in reading.evidence:
            click.echo(f"evidence: {item.genre}: {item.name} {item.description}".rstrip())
    raise SystemExit(0 if verdict.ok else 1)


@credentials.command(name="keys")
def list_keys() -> None:
    """The signing keys: id, created, retired (a retired key signs no more but stays
    published, so the credentials it signed still verify)."""
    settings = load_settings()
    with database_session() as session:
        rows = keys.key_rows(session)
        for row in rows:
            state = f"retired {row.retired_at:%Y-%m-%d %H:%M}" if row.retired_at else "signing"
            where = "database" if row.private_pem else "key directory"
            created = f"{row.created_at:%Y-%m-%d %H:%M}"
            click.echo(f"{keys.key_url(settings, row.kid)}\t{created}\t{state}\t{where}")
        if not rows:
            click.echo("no keys yet: the first is created when the first credential is signed")


@credentials.command(name="rotate-key")
def rotate_key() -> None:
    """Create a new signing key and retire the others (they stay published)."""
    settings = load_settings()
    with database_session() as session:
        kid = keys.rotate(session, settings, datetime.now(UTC))
    click.echo(f"signing key: {keys.key_url(settings, kid)}")
