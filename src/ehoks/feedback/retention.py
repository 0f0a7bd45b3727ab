"""Removing contact data that is no longer needed (ehoks-api.md 5.10), as a daily worker job.

* A workplace instructor's e-mail and phone, three months after their period ended.
* A student's e-mail and phone, three months after their study right ended (the local Koski
  copy's `päättymispäivä`), on plans not changed for three months; with them the recipient of
  the invitations the student was sent.

Removal is real: the HOKS document, every earlier revision of it in the history and the
feedback rows' copies (`ehoks.feedback.contacts.removal`) all lose the data. The HOKS gets a new
revision (its ETag changes) and "HOKS written" fires, so the workplace-period projection
follows: the cleared periods' `has_instructor_contact` goes down, and the plan is not a
candidate again. Every HOKS changed has its audit record (operation
`retention.remove-contact-data`, the paths removed).
"""

from __future__ import annotations

import time
import uuid
from datetime import date, datetime, timedelta
from typing import Any, Final

import orjson

from ehoks.audit import service as audit
from ehoks.feedback.contacts import removal as contact_removal
from ehoks.feedback.initiation import helsinki_date
from ehoks.feedback.models import FeedbackJob
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import LEASE, Context
from ehoks.feedback.worker.lease import Claim
from ehoks.hoks.hooks import HOKS_WRITTEN, HoksWritten, Operation
from ehoks.kit.db.engine import transaction

BATCH: Final = 100
ACTOR: Final = "retention"
CONTACT_KEYS: Final = ("sahkoposti", "puhelinnumero")
WORKPLACE_CODES: Final = frozenset(
    {"osaamisenhankkimistapa_koulutussopimus", "osaamisenhankkimistapa_oppisopimus"}
)


def three_months_before(day: date) -> date:
    month = day.month - 3
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    return date(year, month, 28)  # pragma: no cover - 28 always exists


def scrub(document: dict[str, Any], *, periods_ended_before: date, student: bool) -> list[str]:
    """Remove the contact data due for removal from `document`; the JSON paths removed."""
    removed: list[str] = []
    if student:
        removed.extend(f"/{key}" for key in CONTACT_KEYS if document.pop(key, None) is not None)
    for path, period in _periods(document):
        end = period.get("loppu")
        if not isinstance(end, str) or date.fromisoformat(end) >= periods_ended_before:
            continue
        workplace = period.get("tyopaikalla-jarjestettava-koulutus") or {}
        instructor = workplace.get("vastuullinen-tyopaikka-ohjaaja")
        if not isinstance(instructor, dict):
            continue
        where = f"{path}/tyopaikalla-jarjestettava-koulutus/vastuullinen-tyopaikka-ohjaaja"
        removed.extend(
            f"{where}/{key}" for key in CONTACT_KEYS if instructor.pop(key, None) is not None
        )
    return removed


def _periods(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for key in ("hankittavat-ammat-tutkinnon-osat", "hankittavat-paikalliset-tutkinnon-osat"):
        for i, unit in enumerate(document.get(key) or []):
            for j, period in enumerate(unit.get("osaamisen-hankkimistavat") or []):
                if period.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_CODES:
                    found.append((f"/{key}/{i}/osaamisen-hankkimistavat/{j}", period))
    for i, unit in enumerate(document.get("hankittavat-yhteiset-tutkinnon-osat") or []):
        for k, area in enumerate(unit.get("osa-alueet") or []):
            for j, period in enumerate(area.get("osaamisen-hankkimistavat") or []):
                if period.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_CODES:
                    path = f"/hankittavat-yhteiset-tutkinnon-osat/{i}/osa-alueet/{k}"
                    found.append((f"{path}/osaamisen-hankkimistavat/{j}", period))
    return found


def remove_contact_data(context: Context, job: FeedbackJob, now: datetime, claim: Claim) -> None:
    """The daily job: every plan due for removal, a batch per transaction.

    Each batch renews the job's lease as it commits, so a long run (the first after a national
    catch-up) stays this worker's; a run whose lease another worker took over stops after the
    batch in hand and leaves the rest to the next run. (Its lease is its own to renew: the
    claim's renewals, `claim`, come from the claim's other jobs.)"""
    del claim
    cutoff = three_months_before(helsinki_date(now))
    started = time.monotonic()
    # The run goes through the plans in id order once: a plan it could not rewrite (a writer
    # changed it meanwhile) lies behind the cursor and waits for the next run.
    after = 0
    while True:
        with transaction(context.factory) as session:
            candidates = repository.retention_candidates(
                session,
                cutoff=cutoff,
                unchanged_since=now - timedelta(days=91),
                limit=BATCH,
                after=after,
            )
            if not candidates:
                break
            for hoks_id, student in candidates:
                _remove(session, hoks_id, cutoff=cutoff, student=student, now=now)
            after = candidates[-1][0]
            if not _renew(session, job, now, started):
                return
    # The feedback rows' copies (every survey of a period that ended, linked or not), a batch
    # per transaction, after the plans: their re-decision has settled the rows by now.
    while True:
        with transaction(context.factory) as session:
            if not contact_removal.clear_batch(session, ended_before=cutoff):
                repository.finish(session, job, now)
                return
            if not _renew(session, job, now, started):
                return


def _renew(session: Any, job: FeedbackJob, now: datetime, started: float) -> bool:
    """Extend the lease from this moment (the job's `now` plus the time it has run); False if
    the job is no longer this worker's."""
    moment = now + timedelta(seconds=time.monotonic() - started)
    return repository.renew(session, job, moment, LEASE)


def _remove(session: Any, hoks_id: int, *, cutoff: date, student: bool, now: datetime) -> None:
    row = repository.plan(session, hoks_id)
    if row is None:
        return
    document = orjson.loads(row.document)
    removed = scrub(document, periods_ended_before=cutoff, student=student)
    if not removed:
        return
    changed = repository.rewrite_plan(
        session, row, orjson.dumps(document).decode(), actor=ACTOR, now=now
    )
    if not changed:
        return  # a writer got there first; the next run looks again
    if student:
        # The invitations the student was sent keep their address as their recipient.
        removed.extend(contact_removal.clear_student_messages(session, hoks_id))
    for revision_id, text in repository.revisions_of(session, hoks_id):
        old = orjson.loads(text)
        if scrub(old, periods_ended_before=cutoff, student=student):
            repository.rewrite_revision(session, revision_id, orjson.dumps(old).decode())
    HOKS_WRITTEN.notify(
        session,
        [
            HoksWritten(
                hoks_id=hoks_id,
                operation=Operation.PATCH,
                oppija_oid=row.oppija_oid,
                opiskeluoikeus_oid=row.opiskeluoikeus_oid,
                document=document,
                previous=None,
                actor=ACTOR,
                at=now,
            )
        ],
    )
    audit.record(
        session,
        audit.Event(
            request_id=uuid.uuid4().hex,
            subject_kind="system",
            subject_id="feedback-worker",
            operation="retention.remove-contact-data",
            outcome=audit.Outcome.SUCCESS,
            hoks_id=hoks_id,
            oppija_oid=row.oppija_oid,
            details={"removed": removed},
        ),
    )
