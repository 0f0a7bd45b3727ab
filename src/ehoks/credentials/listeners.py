"""Reactions to HOKS writes: a deleted plan's credentials are revoked in the same transaction,
so that nobody can go on showing a summary of a plan that no longer exists."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from ehoks.credentials import repository
from ehoks.hoks.hooks import HoksWritten, Operation


def on_hoks_written(session: Session, writes: Sequence[HoksWritten]) -> None:
    """Revoke every credential of each HOKS deleted."""
    for write in writes:
        if write.operation is Operation.DELETE:
            repository.revoke_plan(session, write.hoks_id, write.at)
