"""A HOKS through time: its versions, what it said on a date, what changed between two versions.

Every write keeps the replaced document as a revision with the time span it was in force
(`hoks_revision`); the current document is the last version. A version is known by its number
(the HOKS's `revision` when it was written). The access decision is the HOKS read decision: a
student reads the history of their own plans, staff that of the plans they may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy.orm import Session

from ehoks.access.decision import Action
from ehoks.access.rules import Access
from ehoks.audit.scope import AuditScope
from ehoks.hoks.models import Hoks
from ehoks.hoks.stored import ownership
from ehoks.kit.errors import ApiError
from ehoks.planhistory import repository
from ehoks.planhistory.diff import Change, changes

# The day a person means by a date is a Finnish day.
HELSINKI: Final = ZoneInfo("Europe/Helsinki")


@dataclass(frozen=True, slots=True)
class Version:
    number: int
    valid_from: datetime
    valid_to: datetime | None  # None: in force now
    deleted: bool = False

    @property
    def current(self) -> bool:
        return self.valid_to is None


def readable_plan(session: Session, access: Access, hoks_id: int, audit: AuditScope) -> Hoks:
    """The live HOKS `hoks_id` if the caller may read it; 404 as for any HOKS they may not."""
    row = repository.live(session, hoks_id)
    if row is None:
        raise ApiError(404, "hoks_not_found")
    decision = access.hoks(ownership(row), Action.READ)
    audit.decided(decision)
    decision.enforce()
    audit.about(hoks_id=row.id, oppija_oid=row.oppija_oid)
    return row


def versions(session: Session, row: Hoks) -> list[Version]:
    """Every version of the HOKS, newest first."""
    earlier = [
        Version(r.revision, r.valid_from, r.valid_to, r.deleted)
        for r in repository.earlier_revisions(session, row.id)
    ]
    return [Version(row.revision, row.updated_at, None), *reversed(earlier)]


def version_on(found: list[Version], day: date) -> Version | None:
    """The version in force at the end of `day` (Finnish time); None before the HOKS existed."""
    end = datetime.combine(day + timedelta(days=1), time.min, HELSINKI)
    for version in found:  # newest first: the first that had started by then
        if version.valid_from < end:
            return version
    return None


def document_of(session: Session, row: Hoks, number: int) -> dict[str, Any]:
    """The document of version `number`; 404 `version_not_found` if there is none."""
    if number == row.revision:
        text: str | None = row.document
    elif 0 < number < row.revision:
        text = repository.revision_document(session, row.id, number)
    else:
        text = None
    if text is None:
        raise ApiError(404, "version_not_found", params={"version": number})
    document: dict[str, Any] = orjson.loads(text)
    return document


def difference(session: Session, row: Hoks, older: int, newer: int) -> list[Change]:
    """What changed from version `older` to version `newer` (either order is read oldest
    first)."""
    first, second = sorted((older, newer))
    return changes(document_of(session, row, first), document_of(session, row, second))
