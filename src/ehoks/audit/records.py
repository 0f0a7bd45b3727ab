"""An audit record as it is chained and written: the columns of `audit_event` but its id.

A plain object, not the table's mapped class: a record is written on nearly every request, and
building an ORM instance (its attribute instrumentation and state) cost more than hashing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class ChainedRecord:
    chain: int
    position: int
    occurred_at: datetime
    request_id: str
    subject_kind: str
    subject_id: str
    organisation_oid: str | None
    role: str | None
    operation: str
    outcome: str
    hoks_id: int | None
    oppija_oid: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str
