"""`ehoks users`: give, take away and list staff members' roles on organisations."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

import click

from ehoks.access.subjects import Role
from ehoks.cli.common import database_session, fail, operator_name
from ehoks.people import grants
from ehoks.registry.directory import forget_cached_tree

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from sqlalchemy.orm import Session

_T = TypeVar("_T")
_ROLES = click.Choice([r.value for r in Role])


@click.group(name="users")
def users() -> None:
    """Staff members' roles (read, write, delete, admin) on organisations.

    A role on an organisation covers it and every organisation below it, never above. Admin on
    the national root organisation makes a national administrator.
    """


def _grant_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option(
        "--role", required=True, type=_ROLES, help="read, write, delete, admin."
    )(command)
    command = click.option(
        "--organisation",
        "organisation_oid",
        required=True,
        metavar="OID",
        help="Organisation OID; it must be in the organisation registry.",
    )(command)
    return click.option(
        "--staff", "staff_oid", required=True, metavar="OID", help="The staff member's OID."
    )(command)


@users.command(name="grant")
@_grant_options
@click.option("--name", default=None, help="The staff member's name, shown to administrators.")
def grant(staff_oid: str, organisation_oid: str, role: str, name: str | None) -> None:
    """Give a staff member a role on an organisation (takes effect on their next request)."""
    with _session() as session:
        added = _run(
            lambda: grants.grant(
                session,
                grants.GrantChange(staff_oid, organisation_oid, role),
                name=name,
                operator=f"cli:{operator_name()}",
            )
        )
    if added:
        click.echo(f"Granted {role} on {organisation_oid} to {staff_oid}.")
    else:
        click.echo(f"{staff_oid} already has {role} on {organisation_oid}; nothing changed.")


@users.command(name="revoke")
@_grant_options
def revoke(staff_oid: str, organisation_oid: str, role: str) -> None:
    """Take a manually given role away (takes effect on the staff member's next request)."""
    with _session() as session:
        _run(
            lambda: grants.revoke(
                session,
                grants.GrantChange(staff_oid, organisation_oid, role),
                operator=f"cli:{operator_name()}",
            )
        )
    click.echo(f"Revoked {role} on {organisation_oid} from {staff_oid}.")


@users.command(name="list")
@click.option(
    "--organisation",
    "organisation_oid",
    default=None,
    metavar="OID",
    help="Only grants that act on this organisation: on it, below it or above it.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, for scripts.")
def list_(organisation_oid: str | None, *, as_json: bool) -> None:
    """List staff grants."""
    with _session() as session:
        views = _run(lambda: grants.list_grants(session, organisation_oid))
    if as_json:
        click.echo(json.dumps([v.as_json() for v in views], ensure_ascii=False))
        return
    if not views:
        click.echo("No grants.")
        return
    header = ("STAFF", "NAME", "ORGANISATION", "ROLE", "SOURCE", "CREATED", "BY")
    rows = [
        (
            v.staff_oid,
            v.staff_name or "-",
            v.organisation_oid + (" (above)" if v.inherited else ""),
            v.role,
            v.source,
            v.created_at.isoformat(timespec="seconds"),
            v.created_by,
        )
        for v in views
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())


def _run(action: Callable[[], _T]) -> _T:
    try:
        return action()
    except grants.GrantError as exc:
        fail(str(exc))


@contextmanager
def _session() -> Iterator[Session]:
    # Grants change what the organisation tree gives; drop this process's cached tree first.
    forget_cached_tree()
    with database_session() as session:
        yield session
