"""How the HOKS package reacts to other packages' events (connected by `ehoks.wiring`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from ehoks.hoks import repository
from ehoks.hoks.checks import sort_name
from ehoks.registry.hooks import PersonRenamed


def on_persons_renamed(session: Session, renamed: Sequence[PersonRenamed]) -> None:
    """Copy the new names onto the HOKS rows that staff lists sort and search by."""
    repository.refresh_sort_names(
        session, {p.oppija_oid: sort_name(p.first_names, p.last_name) for p in renamed}
    )
