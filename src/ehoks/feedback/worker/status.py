"""Following a survey after its link was made: when its answer time is over, Arvo says whether
it was answered (`vastattu`), and otherwise it is closed as `vastausaika_loppunut`.

One `expire` job per survey, due the day after its answer time ends (scheduled with the link).
A window that moved later (an invitation sent later counts its 30 days from then) moves the job
with it. Until then the student sees the link; afterwards it is gone from their pages.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from ehoks.feedback import repository as feedback_repository
from ehoks.feedback.initiation import helsinki_date, start_of_day
from ehoks.feedback.models import Feedback, FeedbackJob
from ehoks.feedback.rules import State
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import Context
from ehoks.feedback.worker.lease import Claim
from ehoks.feedback.worker.sending import survey_status
from ehoks.kit.db.engine import transaction

EXPIRE_JOB: Final = "expire"
CLOSE_EVENT: Final = "vanheneminen"
# States in which a survey's link is still out there to answer.
OPEN: Final = frozenset(
    {State.SURVEY_CREATED, State.TUNNUS_CREATED, State.SENT, State.SENDING_FAILED}
)


def schedule_expiry(session: Session, feedback: Feedback) -> None:
    """The survey's `expire` job, due the day after its answer time."""
    feedback_repository.schedule_job(
        session,
        key=f"{EXPIRE_JOB}|{feedback.id}",
        kind=EXPIRE_JOB,
        feedback_id=feedback.id,
        due_at=start_of_day(feedback.valid_to + timedelta(days=1)),
    )


def close_when_over(context: Context, job: FeedbackJob, now: datetime, claim: Claim) -> None:
    today = helsinki_date(now)
    with transaction(context.factory) as session:
        feedback = repository.feedback_for_update(session, job.feedback_id or 0)
        if feedback is None or feedback.state not in OPEN:
            repository.finish(session, job, now)
            return
        if today <= feedback.valid_to:
            repository.postpone(
                session, job, at=start_of_day(feedback.valid_to + timedelta(days=1))
            )
            return
        tunnus = feedback.arvo_tunniste
    claim.keep(job)
    status = survey_status(context, tunnus)
    with transaction(context.factory) as session:
        feedback = repository.feedback_for_update(session, job.feedback_id or 0)
        if feedback is not None and feedback.state in OPEN:
            answered = status is not None and status.answered
            new_state = State.ANSWERED if answered else State.EXPIRED
            reason = None if answered else "vastausaika_loppunut"
            feedback_repository.move(
                session, feedback, new_state, event=CLOSE_EVENT, now=now, reason=reason
            )
        repository.finish(session, job, now)
