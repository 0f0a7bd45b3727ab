"""What the HOKS package tells others: "HOKS were written".

Every create, replace, patch, delete and restore notifies `HOKS_WRITTEN` inside its own
transaction, after the row and its history are written and before anything commits. A listener
may write rows of its own in that transaction (a projection, or an outbox of jobs a worker picks
up after the commit), and may raise to refuse the change: an `ApiError` goes back to the caller
as it is and nothing of the write is stored. A batch (`POST …/hoks/bulk`) notifies once with
every document it created; a raising listener refuses the whole batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from ehoks.kit.hooks import Hook


class Operation(StrEnum):
    CREATE = "create"
    REPLACE = "replace"
    PATCH = "patch"
    DELETE = "delete"
    RESTORE = "restore"


@dataclass(frozen=True, slots=True)
class HoksWritten:
    """One HOKS after one write."""

    hoks_id: int
    operation: Operation
    oppija_oid: str
    opiskeluoikeus_oid: str
    # The stored document now (GET shape without id, eid, manuaalisyotto); None while deleted.
    document: dict[str, Any] | None
    # The document before this write; None for a new HOKS.
    previous: dict[str, Any] | None
    actor: str
    at: datetime
    # The kind of `actor` as the audit log names it (`SubjectKind`); "" for the service's own
    # housekeeping.
    actor_kind: str = ""
    # The writing request as its own audit record names it: its id, and the organisation and
    # role the actor acted in; so a listener's records read as part of that request.
    # "" / None for the service's own housekeeping.
    request_id: str = ""
    organisation_oid: str | None = None
    role: str | None = None


HOKS_WRITTEN: Hook[HoksWritten] = Hook("HOKS written")
