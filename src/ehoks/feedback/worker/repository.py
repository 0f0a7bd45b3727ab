"""The worker's queries: claiming due jobs, finishing them, and what handling reads and writes.

Claiming takes due jobs with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so workers side by side
never take the same job; SQLite (one worker) ignores the clause and its write lock serialises
claims anyway. A claimed job carries a lease: another worker takes it only once the lease has
run out (its worker died mid-job). A batch is claimed, and finished, with one statement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, update
from sqlalchemy.orm import Session

from ehoks.feedback.models import Feedback, FeedbackJob, FeedbackMessage, FeedbackMessageItem
from ehoks.feedback.repository import insert_builder
from ehoks.feedback.rules import Kind
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import ChangeKind, Hoks, HoksRevision
from ehoks.instructor.models import WorkplacePeriod
from ehoks.kit.db.json_text import json_member
from ehoks.registry.models import Person, StudyRight

PENDING = "pending"
DONE = "done"
PARKED = "parked"
WORKPLACE_KIND = Kind.WORKPLACE.value


def claim(
    session: Session, *, now: datetime, limit: int, lease: timedelta, token: str
) -> list[FeedbackJob]:
    due = (
        select(FeedbackJob.id)
        .where(
            FeedbackJob.state == PENDING,
            FeedbackJob.due_at <= now,
            or_(FeedbackJob.leased_until.is_(None), FeedbackJob.leased_until < now),
        )
        .order_by(FeedbackJob.due_at, FeedbackJob.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return _lease(session, due, now=now, lease=lease, token=token)


def _lease(
    session: Session, due: Select[int], *, now: datetime, lease: timedelta, token: str
) -> list[FeedbackJob]:
    """Mark the `due` jobs as this worker's (their lease) and load them, in one statement (the
    subquery's row locks skip what another worker holds)."""
    statement = (
        update(FeedbackJob)
        .where(FeedbackJob.id.in_(due.scalar_subquery()))
        .values(
            lease_token=token,
            leased_until=now + lease,
            attempts=FeedbackJob.attempts + 1,
        )
        .returning(FeedbackJob)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    return sorted(session.scalars(statement), key=lambda job: job.id)


def _mine(job: FeedbackJob) -> Any:
    return (FeedbackJob.id == job.id) & (FeedbackJob.lease_token == job.lease_token)


def finish(session: Session, job: FeedbackJob, now: datetime) -> bool:
    """Mark the job done; False if it is no longer this worker's (its lease was taken over)."""
    result = session.execute(
        update(FeedbackJob)
        .where(_mine(job))
        .values(state=DONE, finished_at=now, lease_token=None, leased_until=None, last_error=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def renew(session: Session, job: FeedbackJob, now: datetime, lease: timedelta) -> bool:
    """Extend the job's lease to `now + lease`; False if it is no longer this worker's (its
    lease ran out and another worker took it over, or finished it)."""
    result = session.execute(update(FeedbackJob).where(_mine(job)).values(leased_until=now + lease))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def renew_claim(
    session: Session, ids: Sequence[int], *, token: str | None, until: datetime
) -> set[int]:
    """Extend the leases of a claim's pending jobs to `until`; the ids of those that are still
    the claim's (a job finished, or taken over by another worker, is left as it is)."""
    if not ids or token is None:
        return set()
    result = session.execute(
        update(FeedbackJob)
        .where(
            FeedbackJob.id.in_(sorted(ids)),
            FeedbackJob.lease_token == token,
            FeedbackJob.state == PENDING,
        )
        .values(leased_until=until)
        .returning(FeedbackJob.id)
        .execution_options(synchronize_session=False)
    )
    return set(result.scalars())


def withdraw_message(session: Session, message_id: int) -> bool:
    """Delete a message row that was never handed over (still `odottaa_lahetysta`), with its
    items: its job stopped before sending. False if the row is gone or no longer waiting."""
    result = session.execute(
        delete(FeedbackMessage).where(
            FeedbackMessage.id == message_id, FeedbackMessage.state == "odottaa_lahetysta"
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def retry(session: Session, job: FeedbackJob, *, at: datetime, error: str) -> None:
    session.execute(
        update(FeedbackJob)
        .where(_mine(job))
        .values(due_at=at, last_error=error[:2000], lease_token=None, leased_until=None)
    )


def postpone(session: Session, job: FeedbackJob, *, at: datetime) -> None:
    """Due again at `at`, without counting this as a failed attempt (the window was closed)."""
    session.execute(
        update(FeedbackJob)
        .where(_mine(job))
        .values(due_at=at, attempts=FeedbackJob.attempts - 1, lease_token=None, leased_until=None)
    )


def park(session: Session, job: FeedbackJob, *, now: datetime, error: str) -> None:
    session.execute(
        update(FeedbackJob)
        .where(_mine(job))
        .values(
            state=PARKED,
            finished_at=now,
            last_error=error[:2000],
            lease_token=None,
            leased_until=None,
        )
    )


def parked(session: Session, limit: int = 200) -> list[FeedbackJob]:
    statement = (
        select(FeedbackJob)
        .where(FeedbackJob.state == PARKED)
        .order_by(FeedbackJob.finished_at.desc(), FeedbackJob.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def feedback_for_update(session: Session, feedback_id: int) -> Feedback | None:
    statement = select(Feedback).where(Feedback.id == feedback_id).with_for_update()
    return session.scalars(statement.execution_options(populate_existing=True)).one_or_none()


def plan(session: Session, hoks_id: int) -> Hoks | None:
    return session.get(Hoks, hoks_id)


def study_right(session: Session, oid: str) -> StudyRight | None:
    return session.get(StudyRight, oid)


def person(session: Session, oid: str) -> Person | None:
    return session.get(Person, oid)


def group_members(session: Session, digest: str, state: str) -> list[Feedback]:
    """Workplace feedback of one e-mail group that has a link and no invitation yet: none that
    went or may have gone (a failure known before the hand-over does not count)."""
    invited = (
        select(FeedbackMessageItem.feedback_id)
        .join(FeedbackMessage, FeedbackMessage.id == FeedbackMessageItem.message_id)
        .where(
            or_(
                FeedbackMessage.state != "lahetys_epaonnistunut",
                FeedbackMessage.reason == "toimitus_tuntematon",
            )
        )
    )
    statement = (
        select(Feedback)
        .where(
            Feedback.state == state,
            Feedback.mail_group == digest,
            Feedback.id.not_in(invited),
        )
        .order_by(Feedback.herate_date, Feedback.id)
        .with_for_update()
    )
    return list(session.scalars(statement))


def add_message(
    session: Session, feedback_ids: Sequence[int], values: dict[str, Any]
) -> FeedbackMessage:
    message = FeedbackMessage(**values)
    session.add(message)
    session.flush()
    session.add_all(FeedbackMessageItem(message_id=message.id, feedback_id=f) for f in feedback_ids)
    return message


def update_message(session: Session, message_id: int, values: dict[str, Any]) -> None:
    session.execute(
        update(FeedbackMessage).where(FeedbackMessage.id == message_id).values(**values)
    )


def retention_candidates(
    session: Session,
    *,
    cutoff: date,
    unchanged_since: datetime,
    limit: int,
    after: int,
) -> list[tuple[int, bool]]:
    """(HOKS id, whether the student's own contact data goes) of at most `limit` plans holding
    data due for removal, in id order after `after`: an instructor's (an e-mail address, a phone,
    or both: the period's `has_instructor_contact`) of a period that ended before `cutoff`, or
    the student's own (the plan's top-level `sahkoposti`, `puhelinnumero`)
    when their study right ended before `cutoff` and the plan has not changed since
    `unchanged_since`.

    Each of the two sources reads one page of `limit` ids after `after` (keyset paging: a run
    reads each candidate about once, however far it has got). A plan found by both comes once,
    in one batch: the batch stops at the lower last id of a full page, beyond which the other
    source has not been read yet."""
    instructors = (
        select(WorkplacePeriod.hoks_id)
        .where(
            WorkplacePeriod.hoks_id > after,
            WorkplacePeriod.loppu < cutoff,
            # An e-mail address or a phone alone: either is the instructor's contact data.
            WorkplacePeriod.has_instructor_contact,
        )
        .distinct()
        .order_by(WorkplacePeriod.hoks_id)
        .limit(limit)
    )
    students = (
        select(Hoks.id)
        .join(StudyRight, StudyRight.oid == Hoks.opiskeluoikeus_oid)
        .where(
            Hoks.id > after,
            Hoks.deleted_at.is_(None),
            Hoks.updated_at < unchanged_since,
            StudyRight.paattymispaiva < cutoff,
            # The names anywhere in the text (cheap) and then as the plan's own members: an
            # instructor's address not yet due must not bring the plan back every day.
            or_(Hoks.document.contains('"sahkoposti"'), Hoks.document.contains('"puhelinnumero"')),
            or_(
                json_member(Hoks.document, "sahkoposti").is_not(None),
                json_member(Hoks.document, "puhelinnumero").is_not(None),
            ),
        )
        .order_by(Hoks.id)
        .limit(limit)
    )
    student_ids = list(session.scalars(students))
    instructor_ids = list(session.scalars(instructors))
    full = [page[-1] for page in (student_ids, instructor_ids) if len(page) == limit]
    end = min(full, default=None)
    found = dict.fromkeys(instructor_ids, False) | dict.fromkeys(student_ids, True)
    ids = sorted(hoks_id for hoks_id in found if end is None or hoks_id <= end)
    return [(hoks_id, found[hoks_id]) for hoks_id in ids[:limit]]


def rewrite_plan(session: Session, row: Hoks, document: str, *, actor: str, now: datetime) -> bool:
    """The scrubbed document as a new revision, if nobody changed the plan meanwhile."""
    result = session.execute(
        update(Hoks)
        .where(Hoks.id == row.id, Hoks.revision == row.revision)
        .values(document=document, revision=row.revision + 1, updated_at=now, updated_by=actor)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False
    # Providers following the change feed learn that the plan lost its contact data.
    hoks_repository.record_changes(session, [(row.id, row.revision + 1, ChangeKind.CHANGED)], now)
    return True


def revisions_of(session: Session, hoks_id: int) -> list[tuple[int, str]]:
    statement = select(HoksRevision.id, HoksRevision.document).where(
        HoksRevision.hoks_id == hoks_id
    )
    return [(row_id, text) for row_id, text in session.execute(statement)]


def rewrite_revision(session: Session, revision_id: int, document: str) -> None:
    session.execute(
        update(HoksRevision).where(HoksRevision.id == revision_id).values(document=document)
    )


def ensure_job(session: Session, *, key: str, kind: str, due_at: datetime) -> None:
    """A job with `key`, unless one exists (whatever its state)."""
    session.execute(
        insert_builder(session, FeedbackJob)
        .values(key=key, kind=kind, state=PENDING, due_at=due_at, attempts=0, payload={})
        .on_conflict_do_nothing(index_elements=["key"])
    )


def claim_selected(
    session: Session,
    *,
    now: datetime,
    lease: timedelta,
    token: str,
    limit: int,
    job_kind: str,
    workplace: bool,
    hoks_id: int | None,
    feedback_id: int | None,
) -> list[FeedbackJob]:
    """Claim due jobs of one kind, of workplace feedback or of student surveys, optionally of
    one HOKS or one feedback, as `claim` claims (a route runs them at once)."""
    due = (
        select(FeedbackJob.id)
        .join(Feedback, Feedback.id == FeedbackJob.feedback_id)
        .where(
            FeedbackJob.state == PENDING,
            FeedbackJob.kind == job_kind,
            FeedbackJob.due_at <= now,
            or_(FeedbackJob.leased_until.is_(None), FeedbackJob.leased_until < now),
            (Feedback.kind == WORKPLACE_KIND) if workplace else (Feedback.kind != WORKPLACE_KIND),
        )
        .order_by(FeedbackJob.due_at, FeedbackJob.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=FeedbackJob)
    )
    if hoks_id is not None:
        due = due.where(Feedback.hoks_id == hoks_id)
    if feedback_id is not None:
        due = due.where(Feedback.id == feedback_id)
    return _lease(session, due, now=now, lease=lease, token=token)


def feedback_by_ids(session: Session, ids: Sequence[int]) -> list[Feedback]:
    statement = select(Feedback).where(Feedback.id.in_(ids)).order_by(Feedback.id)
    return list(session.scalars(statement.execution_options(populate_existing=True)))


def latest_deliveries(session: Session, feedback_ids: Sequence[int]) -> dict[int, str]:
    """The delivery state of each feedback's newest invitation."""
    statement = (
        select(FeedbackMessageItem.feedback_id, FeedbackMessage.state)
        .join(FeedbackMessage, FeedbackMessage.id == FeedbackMessageItem.message_id)
        .where(FeedbackMessageItem.feedback_id.in_(feedback_ids))
        .order_by(FeedbackMessage.id)
    )
    return {feedback_id: state for feedback_id, state in session.execute(statement)}  # noqa: C416 - rows, not pairs


def unknown_delivery(session: Session, header_prefix: str, *, reason: str) -> bool:
    """Mark a job's message still being handed over (its worker died) as of unknown delivery;
    whether there was one."""
    result = session.execute(
        update(FeedbackMessage)
        .where(
            FeedbackMessage.message_id.startswith(header_prefix, autoescape=True),
            FeedbackMessage.state == "odottaa_lahetysta",
        )
        .values(state="lahetys_epaonnistunut", reason=reason)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def job_counts(session: Session, now: datetime) -> tuple[dict[str, int], int]:
    """How many jobs there are in each state, and how many pending ones are due (the queue)."""
    by_state = {
        str(state): int(count)
        for state, count in session.execute(
            select(FeedbackJob.state, func.count()).group_by(FeedbackJob.state)
        )
    }
    due = session.scalar(
        select(func.count()).where(FeedbackJob.state == PENDING, FeedbackJob.due_at <= now)
    )
    return by_state, int(due or 0)
