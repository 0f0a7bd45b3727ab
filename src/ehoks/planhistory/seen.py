"""Who has seen a plan: the audit log's records about one HOKS, as its student may read them.

An entry says when, which organisation, in which role and what was done, never who: a staff
member's or a provider system's identifier, and a workplace instructor's address, stay in the
log (the organisation answers for its people, as the national service does). The student's own
reads are left out unless asked for: the page is about the others.

The staff plan page reuses `seen_page` for "who has read it".
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from sqlalchemy.orm import Session

from ehoks.audit.models import AuditEvent
from ehoks.planhistory import repository
from ehoks.registry import names as registry_names

PER_PAGE: Final = 25
MAX_PAGE: Final = 10_000


class Who(StrEnum):
    """Who acted, as a kind: the page names each in words."""

    STUDENT = "student"
    STAFF = "staff"
    SYSTEM = "system"
    INSTRUCTOR = "instructor"
    SHARE_LINK = "share_link"  # someone holding a link the student shared
    MAINTENANCE = "maintenance"  # an operator's scheduled housekeeping (retention)
    SCHEDULED_REMOVAL = "scheduled_removal"  # the service's own daily removal of old data
    OTHER = "other"


class What(StrEnum):
    """What was done, from the audit record's operation."""

    READ = "read"
    LISTED = "listed"
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"
    EXPORTED = "exported"
    SIGNED_IN = "signed_in"
    READ_DETAILS = "read_details"
    READ_STUDY_RIGHTS = "read_study_rights"
    READ_PERIODS = "read_periods"
    READ_HISTORY = "read_history"
    READ_LOG = "read_log"
    FEEDBACK = "feedback"
    REMOVED_CONTACTS = "removed_contacts"
    REMOVED_CREDENTIALS = "removed_credentials"
    REMOVED_SHARES = "removed_shares"
    OPENED_SHARE = "opened_share"
    SHARED = "shared"
    UNSHARED = "unshared"
    OTHER = "other"


_WHO: Final = {
    "student": Who.STUDENT,
    "staff": Who.STAFF,
    "system_client": Who.SYSTEM,
    "workplace_instructor": Who.INSTRUCTOR,
    "share_link": Who.SHARE_LINK,
    "operator": Who.MAINTENANCE,
    # The records the service's daily retention job writes as itself (feedback contact data).
    "system": Who.SCHEDULED_REMOVAL,
}
# Operations that say more than their words: reads of something else than the plan itself.
_EXACT: Final = {
    "read-student": What.READ_DETAILS,
    "read-study-rights": What.READ_STUDY_RIGHTS,
    "instructor.periods.read": What.READ_PERIODS,
    "read-hoks-history": What.READ_HISTORY,
    "read-access-log": What.READ_LOG,
    "read-feedback": What.FEEDBACK,
    "read-survey-links": What.FEEDBACK,
    "resend-palaute": What.FEEDBACK,
    "record-survey-link": What.FEEDBACK,
    "update-survey-link": What.FEEDBACK,
    "retention.remove-contact-data": What.REMOVED_CONTACTS,
    "retention.remove-credentials": What.REMOVED_CREDENTIALS,
    "retention.remove-share-links": What.REMOVED_SHARES,
    "share.open": What.OPENED_SHARE,
    "share.create": What.SHARED,
    "share.revoke": What.UNSHARED,
}
# Words in an operation's name, most telling first ("hoks.create", "delete-hoks", "list-hoks").
_WHAT: Final = (
    ("delete", What.DELETED),
    ("create", What.CREATED),
    ("replace", What.CHANGED),
    ("patch", What.CHANGED),
    ("update", What.CHANGED),
    ("restore", What.CHANGED),
    ("write", What.CHANGED),
    ("export", What.EXPORTED),
    ("sign_in", What.SIGNED_IN),
    ("list", What.LISTED),
    ("search", What.LISTED),
    ("read", What.READ),
)


@dataclass(frozen=True, slots=True)
class SeenEntry:
    at: datetime
    who: Who
    what: What
    role: str | None  # read, write, delete, admin, student, workplace_instructor
    organisation: dict[str, str] | None  # {fi, sv, en}; None when none acted
    # For an open of a share link: whom the student made it for (their own words).
    share_label: str | None = None
    # The organisation's OID: named "Unknown organisation" with it when the registry has no name.
    organisation_oid: str | None = None


@dataclass(frozen=True, slots=True)
class SeenPage:
    entries: list[SeenEntry]
    total: int
    page: int  # 1-based
    pages: int


def what_of(operation: str) -> What:
    """What an audit record's operation did, in one of the kinds the page names in words."""
    if operation in _EXACT:
        return _EXACT[operation]
    for word, what in _WHAT:
        if word in operation:
            return what
    return What.OTHER


def seen_page(
    session: Session,
    hoks_id: int,
    student_oids: Collection[str],
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    with_student: bool = False,
) -> SeenPage:
    """One page (1-based, newest first) of the successful reads and changes of a HOKS.

    `student_oids`: the student's OIDs, to take in the records about the student that name no
    single HOKS (their name, study rights, all their plans at once). Empty for only this HOKS.
    """
    page = min(max(page, 1), MAX_PAGE)
    rows, total = repository.events_about_plan(
        session,
        hoks_id,
        student_oids,
        with_student=with_student,
        offset=(page - 1) * per_page,
        limit=per_page,
    )
    pages = max(1, -(-total // per_page))
    if not rows and page > pages:  # past the end (an old link): the last page instead
        return seen_page(
            session, hoks_id, student_oids, page=pages, per_page=per_page, with_student=with_student
        )
    names = registry_names.named_only(
        registry_names.organisation_names(
            session, {row.organisation_oid for row in rows if row.organisation_oid}
        )
    )
    return SeenPage([_entry(row, names) for row in rows], total, page, pages)


def _entry(row: AuditEvent, names: dict[str, dict[str, str]]) -> SeenEntry:
    return SeenEntry(
        at=row.occurred_at,
        who=_WHO.get(row.subject_kind, Who.OTHER),
        what=what_of(row.operation),
        role=row.role,
        organisation=names.get(row.organisation_oid, {}) if row.organisation_oid else None,
        share_label=_share_label(row),
        organisation_oid=row.organisation_oid or None,
    )


def _share_label(row: AuditEvent) -> str | None:
    label = (row.details or {}).get("share_label") if row.subject_kind == "share_link" else None
    return str(label) if label else None
