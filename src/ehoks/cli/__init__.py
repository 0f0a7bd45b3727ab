"""The `ehoks` command: operators' and tests' way into the service."""

from __future__ import annotations

import importlib

import click

from ehoks import __version__

# Sub-command groups live in their own modules; each exposes a click group of the same name.
_GROUPS = (
    ("ehoks.cli.db", "db"),
    ("ehoks.cli.registry", "registry"),
    ("ehoks.cli.clients", "clients"),
    ("ehoks.cli.serve", "serve"),
    ("ehoks.cli.demo", "demo"),
    ("ehoks.cli.users", "users"),
    ("ehoks.cli.audit", "audit"),
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ehoks")
def main() -> None:
    """eHOKS: national repository and digital service for HOKS documents.

    Settings come from the environment: EHOKS_DATABASE_URL (default: sqlite:///ehoks.db in the
    working directory), EHOKS_DEVELOPMENT_MODE, EHOKS_TOKEN_SIGNING_KEY. See docs/operations.md.
    """


for _module_name, _attribute in _GROUPS:
    try:
        _module = importlib.import_module(_module_name)
    except ModuleNotFoundError as _missing:  # pragma: no cover - only while a module is absent
        if not _missing.name or not _module_name.startswith(_missing.name):
            raise
        continue
    main.add_command(getattr(_module, _attribute))
