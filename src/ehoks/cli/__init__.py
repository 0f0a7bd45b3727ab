"""The `ehoks` command: operators' and tests' way into the service."""

from __future__ import annotations

import click

from ehoks import __version__, wiring
from ehoks.cli.audit import audit
from ehoks.cli.clients import clients
from ehoks.cli.credentials import credentials
from ehoks.cli.db import db
from ehoks.cli.demo import demo
from ehoks.cli.feedback import feedback
from ehoks.cli.maintenance import maintenance
from ehoks.cli.registry import registry
from ehoks.cli.serve import serve
from ehoks.cli.users import users
from ehoks.cli.worker import worker


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ehoks")
def main() -> None:
    """eHOKS: national repository and digital service for HOKS documents.

    Settings come from the environment: EHOKS_DATABASE_URL (default: sqlite:///ehoks.db in the
    working directory), EHOKS_DEVELOPMENT_MODE, EHOKS_TOKEN_SIGNING_KEY. See docs/operations.md.
    """
    wiring.connect()


for _group in (
    db,
    registry,
    clients,
    serve,
    demo,
    users,
    audit,
    worker,
    maintenance,
    feedback,
    credentials,
):
    main.add_command(_group)
