"""Removing a workplace instructor's contact data from the feedback rows, three months after
the period ended (ehoks-api.md 5.10), as the end of the daily retention job.

A row keeps what the statistics and the link need: the workplace, its Y-tunnus, the
instructor's name, states, reasons and dates, and the e-mail group as its digest
(`Feedback.mail_group`), by which the monthly e-mail finds its periods. The address goes from
wherever the rows held it: the survey's details (`ohjaaja_sahkoposti`, and the whole group of
surveys linked before the group was kept as a digest), its events' details, the payload, key
and last error of its jobs and of its group's e-mail job, and the recipient and delivery
reason of the messages that invited to it. Every HOKS whose rows changed gets an audit record
(`retention.remove-contact-data`) naming the places cleared.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from datetime import date
from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.audit import service as audit
from ehoks.feedback.contacts import repository
from ehoks.feedback.models import Feedback
from ehoks.feedback.rules import mail_group_digest

BATCH: Final = 500
OPERATION: Final = "retention.remove-contact-data"
# What a cleared address leaves in free text (an SMTP server's answer, a bounce's diagnostic).
REMOVED: Final = "<removed>"


def clear_batch(session: Session, *, ended_before: date) -> int:
    """Clear one batch of workplace feedback (and what hangs on it) of the instructor's
    address; how many surveys were cleared (0: none is left)."""
    rows = repository.workplace_feedback_holding_contacts(
        session, ended_before=ended_before, limit=BATCH
    )
    if not rows:
        return 0
    addresses: dict[int, set[str]] = {}
    legacy_groups: dict[str, tuple[int, str]] = {}  # an old e-mail job's key: feedback, group
    removed: dict[int, list[str]] = defaultdict(list)
    for feedback in rows:
        details = dict(feedback.details)
        group = details.pop("group", None)
        found = _addresses(details.get("ohjaaja_sahkoposti"), group)
        addresses[feedback.id] = found
        if details.get("ohjaaja_sahkoposti") is not None:
            # Null whatever it held (even a blank), so the row is not picked again tomorrow.
            details["ohjaaja_sahkoposti"] = None
            removed[feedback.id].append(f"feedback/{feedback.id}/details/ohjaaja_sahkoposti")
        if isinstance(group, str):
            removed[feedback.id].append(f"feedback/{feedback.id}/details/group")
            legacy_groups[f"mail|{group}"] = (feedback.id, group)
        feedback.details, paths = scrub(details, found, f"feedback/{feedback.id}/details")
        removed[feedback.id].extend(paths)
    ids = set(addresses)
    for event in repository.events_of(session, ids):
        details, paths = scrub(
            event.details, addresses[event.feedback_id], f"feedback_event/{event.id}/details"
        )
        if paths:
            event.details = details
            removed[event.feedback_id].extend(paths)
    _clear_jobs(session, ids, addresses, legacy_groups, removed)
    for feedback_id, message in repository.messages_of(session, ids):
        found = addresses[feedback_id]
        if message.recipient and message.recipient.strip().lower() in found:
            message.recipient = None
            removed[feedback_id].append(f"feedback_message/{message.id}/recipient")
        if message.reason and _holds(message.reason, found):
            message.reason = _without(message.reason, found)
            removed[feedback_id].append(f"feedback_message/{message.id}/reason")
    _audit(session, rows, removed)
    return len(rows)


def _clear_jobs(
    session: Session,
    ids: set[int],
    addresses: dict[int, set[str]],
    legacy_groups: dict[str, tuple[int, str]],
    removed: dict[int, list[str]],
) -> None:
    for job in repository.jobs_of(session, ids, legacy_groups):
        owner, group = legacy_groups.get(job.key, (job.feedback_id or 0, None))
        found = addresses.get(owner, set())
        if not found:
            continue
        payload = dict(job.payload or {})
        old_group = payload.pop("group", None)
        if isinstance(old_group, str):
            # A job made before groups were named by their digest: it goes on by the digest.
            payload["mail_group"] = mail_group_digest(old_group)
            group = group or old_group
            removed[owner].append(f"feedback_job/{job.id}/payload/group")
        payload, paths = scrub(payload, found, f"feedback_job/{job.id}/payload")
        if paths or isinstance(old_group, str):
            job.payload = payload
            removed[owner].extend(paths)
        if _holds(job.key, found) and group is not None:
            key = f"mail|{mail_group_digest(group)}"
            job.key = f"{key}|{job.id}" if repository.key_taken(session, key) else key
            removed[owner].append(f"feedback_job/{job.id}/key")
        if job.last_error and _holds(job.last_error, found):
            job.last_error = _without(job.last_error, found)
            removed[owner].append(f"feedback_job/{job.id}/last_error")


def scrub(value: Any, addresses: set[str], path: str) -> tuple[Any, list[str]]:
    """`value` (JSON) without a string that names one of `addresses` (such a string becomes
    null); the paths changed."""
    if isinstance(value, dict):
        result, paths = {}, []
        for key, item in value.items():
            result[key], found = scrub(item, addresses, f"{path}/{key}")
            paths.extend(found)
        return result, paths
    if isinstance(value, list):
        items, paths = [], []
        for index, item in enumerate(value):
            kept, found = scrub(item, addresses, f"{path}/{index}")
            items.append(kept)
            paths.extend(found)
        return items, paths
    if isinstance(value, str) and _holds(value, addresses):
        return None, [path]
    return value, []


def _addresses(*values: object) -> set[str]:
    """The instructor's addresses named by the details' address and the old group (whose first
    part is the address)."""
    found = set()
    for value in values:
        if isinstance(value, str):
            address = value.split("|", 1)[0].strip().lower()
            if address:
                found.add(address)
    return found


def _holds(text: str, addresses: set[str]) -> bool:
    lowered = text.lower()
    return any(address in lowered for address in addresses)


def clear_student_messages(session: Session, hoks_id: int) -> list[str]:
    """With the student's own contact data (their study right ended three months ago): the
    address of every invitation the student was sent about the plan's surveys, and that address
    in its delivery reason; the places cleared."""
    cleared: list[str] = []
    for message in repository.student_messages_of(session, hoks_id):
        addresses = _addresses(message.recipient)
        message.recipient = None
        cleared.append(f"feedback_message/{message.id}/recipient")
        if message.reason and _holds(message.reason, addresses):
            message.reason = _without(message.reason, addresses)
            cleared.append(f"feedback_message/{message.id}/reason")
    return cleared


def _without(text: str, addresses: set[str]) -> str:
    for address in addresses:
        text = re.sub(re.escape(address), REMOVED, text, flags=re.IGNORECASE)
    return text


def _audit(session: Session, rows: list[Feedback], removed: dict[int, list[str]]) -> None:
    by_hoks: dict[tuple[int, str], list[str]] = defaultdict(list)
    for feedback in rows:
        by_hoks[(feedback.hoks_id, feedback.oppija_oid)].extend(removed.get(feedback.id, []))
    for (hoks_id, oppija_oid), paths in by_hoks.items():
        if not paths:
            continue
        audit.record(
            session,
            audit.Event(
                request_id=uuid.uuid4().hex,
                subject_kind="system",
                subject_id="feedback-worker",
                operation=OPERATION,
                outcome=audit.Outcome.SUCCESS,
                hoks_id=hoks_id,
                oppija_oid=oppija_oid,
                details={"removed": paths},
            ),
        )
