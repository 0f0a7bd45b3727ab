"""How long a revoked credential's row keeps what names its student (docs/export.md, "Limits").

A verifier holds its own copy of a credential and checks its bit in the status list; once the
credential is revoked nobody needs the service's copy of the signed token. So when
`credential_retention_days` have passed after the (local) day it was revoked, the row loses its
token, its student's OID and its plan id, and keeps its list, index, key id, random credential id
and dates: the status list still sets its bit, so checking it still says "revoked". The
student's page lists it until then, with the day it goes. Each plan's stripped credentials are
recorded in the audit log (operation `retention.remove-credentials`), as done by the operator
who ran `ehoks maintenance purge`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ehoks.audit import service as audit
from ehoks.config import Settings
from ehoks.credentials import repository
from ehoks.kit import retention

OPERATION: Final = "retention.remove-credentials"


def removed_on(revoked_at: datetime, settings: Settings) -> date:
    """The day a credential revoked at `revoked_at` loses its token."""
    zone = ZoneInfo(settings.timezone)
    return retention.removal_day(
        retention.local_day(revoked_at, zone), settings.credential_retention_days
    )


def strip_due(session: Session, settings: Settings, now: datetime, operator: str) -> int:
    """One batch (`retention.BATCH`) of the revoked credentials due: stripped and audited.
    How many; fewer than a batch means none is left."""
    zone = ZoneInfo(settings.timezone)
    today = retention.local_day(now, zone)
    before = retention.due_before(today, settings.credential_retention_days, zone)
    rows = repository.revoked_kept(session, before, retention.BATCH)
    # Read before the strip empties them.
    removed = [(row.hoks_id, row.oppija_oid, row.credential_id) for row in rows]
    repository.strip(session, [row.id for row in rows])
    audit.record_removals(
        session,
        operator,
        OPERATION,
        removed,
        ids_key="credentials",
        fields=["token", "oppija_oid", "hoks_id"],
    )
    return len(rows)
