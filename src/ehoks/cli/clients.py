"""`ehoks clients`: create, list and disable the provider systems that may call the API."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, TypeVar

import click

from ehoks.access.subjects import ClientAccess
from ehoks.cli.common import database_session, fail
from ehoks.client import service

if TYPE_CHECKING:
    from collections.abc import Callable


TOKEN_URL = "http://127.0.0.1:8000/oauth2/token"  # noqa: S105 - an address, not a secret
_T = TypeVar("_T")


@click.group(name="clients")
def clients() -> None:
    """Provider systems (system clients) that call the API with OAuth2 client credentials."""


@clients.command(name="create")
@click.option("--name", required=True, help="A name people recognise, 1-200 characters.")
@click.option(
    "--organisation",
    "organisation_oid",
    metavar="OID",
    help="OID of the provider organisation; it must be in the organisation registry.",
)
@click.option(
    "--access",
    type=click.Choice([a.value for a in ClientAccess]),
    help="read: fetch HOKS only; write: also create and change them. [default: read] "
    "(least privilege); give write only to systems that send HOKS.",
)
@click.option(
    "--role",
    metavar="ROLE",
    help="Instead of --organisation and --access: the national role the system had, "
    "ROLE_APP_EHOKS_<CRUD|READ|HOKS_DELETE|OPHPAAKAYTTAJA>_<organisation OID> "
    "(CRUD and OPHPAAKAYTTAJA give write, the others read).",
)
@click.option(
    "--cas",
    "cas",
    is_flag=True,
    help="The system may also sign in with CAS tickets, as with the national service: its CAS "
    "user name is the client id (or --cas-username) and its password the client secret.",
)
@click.option(
    "--cas-username",
    metavar="NAME",
    help="The CAS user name, e.g. the one the system used with the national service "
    "(implies --cas).",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Print only {"client_id": ..., "client_secret": ...} as JSON, for scripts.',
)
def create(
    name: str,
    organisation_oid: str | None,
    access: str | None,
    role: str | None,
    cas_username: str | None,
    *,
    cas: bool,
    as_json: bool,
) -> None:
    """Create a system client and print its id and secret.

    The secret is printed once and cannot be shown again: only its hash is stored. If it is lost,
    disable the client and create a new one.
    """
    organisation_oid, level = _organisation_and_access(organisation_oid, access, role)
    with database_session() as session:
        client, secret = _run(
            lambda: service.create_client(
                session,
                name=name,
                organisation_oid=organisation_oid,
                access=level,
                cas=cas,
                cas_username=cas_username,
            )
        )
        client_id = client.client_id
        username = client.cas_username
    if as_json:
        answer = {"client_id": client_id, "client_secret": secret}
        if username is not None:
            answer["cas_username"] = username
        click.echo(json.dumps(answer))
        return
    click.echo(f"client_id:     {client_id}")
    click.echo(f"client_secret: {secret}")
    if username is not None:
        click.echo(f"cas_username:  {username}  (CAS password: the client secret)")
    click.echo("")
    click.echo("Store the secret now: it is not stored in clear and cannot be shown again.")
    click.echo("Get an access token (valid for a few minutes) with:")
    click.echo(
        f"  curl -s -u '{client_id}:<client_secret>' -d grant_type=client_credentials {TOKEN_URL}"
    )
    click.echo(
        "and call the API with 'Authorization: Bearer <access_token>' and a Caller-Id header."
    )


def _organisation_and_access(
    organisation_oid: str | None, access: str | None, role: str | None
) -> tuple[str, str]:
    if role is not None:
        if organisation_oid is not None or access is not None:
            fail("give either --role or --organisation and --access, not both")
        oid, level = _run(lambda: service.access_from_national_role(role))
        return oid, level.value
    if organisation_oid is None:
        fail("give --organisation (or --role)")
    return organisation_oid, access or ClientAccess.READ.value


@clients.command(name="list")
def list_() -> None:
    """List system clients (never their secrets)."""
    with database_session() as session:
        rows = [
            (
                c.client_id,
                c.name,
                c.organisation_oid,
                c.access,
                c.disabled_at.isoformat() if c.disabled_at else "-",
            )
            for c in service.list_clients(session)
        ]
    if not rows:
        click.echo("No system clients.")
        return
    header = ("CLIENT_ID", "NAME", "ORGANISATION", "ACCESS", "DISABLED")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


@clients.command(name="disable")
@click.argument("client_id")
def disable(client_id: str) -> None:
    """Disable a system client for good.

    It gets no new tokens at once; tokens it already has stop working within 30 seconds.
    """
    with database_session() as session:
        client = _run(lambda: service.disable_client(session, client_id))
        disabled_at = client.disabled_at
    when = disabled_at.isoformat() if disabled_at else ""
    click.echo(f"Disabled {client_id} ({when}).")


def _run(action: Callable[[], _T]) -> _T:
    try:
        return action()
    except service.ClientError as exc:
        fail(str(exc))
