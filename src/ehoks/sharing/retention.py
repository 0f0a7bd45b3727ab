"""How long an ended share link's row keeps what ties it to a student (docs/sharing.md).

A withdrawn or ended link opens nothing. When `share_link_retention_days` have passed after the
(local) day it ended — the day it was withdrawn, or the day after its last day, whichever came
first — the row loses its plan, student, label and the unit's ids. It keeps its id (which the
audit log's records of its opens name), its secret's hash, days and counts, so that whoever
still holds the address is told the link has ended instead of counting as a guess. The audit log
is separate and kept. Each plan's stripped links are recorded in the audit log (operation
`retention.remove-share-links`), as done by the operator who ran `ehoks maintenance purge`.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ehoks.audit import service as audit
from ehoks.config import Settings
from ehoks.kit import retention
from ehoks.sharing import repository
from ehoks.sharing.models import ShareLink

OPERATION: Final = "retention.remove-share-links"


def ended_on(link: ShareLink, zone: ZoneInfo) -> date:
    """The first day the link no longer opened: withdrawn that day, or its last day passed."""
    after_last = link.valid_to + timedelta(days=1)
    if link.revoked_at is None:
        return after_last
    return min(retention.local_day(link.revoked_at, zone), after_last)


def removed_on(link: ShareLink, settings: Settings) -> date:
    """The day an ended (or withdrawn) link loses what ties it to its student."""
    zone = ZoneInfo(settings.timezone)
    return retention.removal_day(ended_on(link, zone), settings.share_link_retention_days)


def strip_due(session: Session, settings: Settings, now: datetime, operator: str) -> int:
    """One batch (`retention.BATCH`) of the ended links due: stripped and audited. How many;
    fewer than a batch means none is left."""
    zone = ZoneInfo(settings.timezone)
    today = retention.local_day(now, zone)
    days = settings.share_link_retention_days
    rows = repository.ended_kept(
        session,
        withdrawn_before=retention.due_before(today, days, zone),
        # ended_on = last day + 1, due when ended_on + days <= today
        last_day_before=retention.ended_on_or_before(today, days),
        limit=retention.BATCH,
    )
    # Read before the strip empties them.
    removed = [(row.hoks_id, row.oppija_oid, row.id) for row in rows]
    repository.strip(session, [row.id for row in rows])
    audit.record_removals(
        session,
        operator,
        OPERATION,
        removed,
        ids_key="share_ids",
        fields=["hoks_id", "oppija_oid", "label", "unit"],
    )
    return len(rows)
