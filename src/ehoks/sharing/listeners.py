"""Reactions to HOKS writes: a deleted plan's share links are withdrawn in the same transaction,
so that no link shows anything of a plan that no longer exists, nor again if it is restored."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Final

from sqlalchemy.orm import Session

from ehoks.audit import service as audit
from ehoks.hoks.hooks import HoksWritten, Operation
from ehoks.sharing import repository

PLAN_DELETED: Final = "plan_deleted"


def on_hoks_written(session: Session, writes: Sequence[HoksWritten]) -> None:
    """Withdraw every open link of each HOKS deleted; audited as part of the deleting request,
    with its id and the organisation and role the deleter acted in."""
    for write in writes:
        if write.operation is not Operation.DELETE:
            continue
        ids = repository.revoke_plan(session, write.hoks_id, write.at, PLAN_DELETED)
        if not ids:
            continue
        audit.record(
            session,
            audit.Event(
                # Part of the deleting request: its id, organisation and role, as its own record.
                request_id=write.request_id or uuid.uuid4().hex,
                subject_kind=write.actor_kind or "system",
                subject_id=write.actor,
                organisation_oid=write.organisation_oid,
                role=write.role,
                operation="share.revoke",
                outcome=audit.Outcome.SUCCESS,
                hoks_id=write.hoks_id,
                oppija_oid=write.oppija_oid,
                details={"share_ids": ids, "reason": PLAN_DELETED},
            ),
        )
