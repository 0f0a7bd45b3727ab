"""Handling a feedback when its heräte date comes: re-check, create the link, schedule sending.

The target group is checked again with the plan and study right as they are now (5.7), then
the link is created outside any transaction (Arvo may be slow) and saved in a short one. A link
that cannot be saved, or that another worker saved first, is deleted in Arvo again: no survey
is left behind for a record that does not hold it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Final

import orjson
from sqlalchemy.orm import Session

from ehoks.feedback import repository as feedback_repository
from ehoks.feedback.arvo import ArvoRefusedError, ArvoUnavailableError, Link, NoOpenSurveyError
from ehoks.feedback.bodies import student_body, vocational_suoritus, workplace_body
from ehoks.feedback.initiation import helsinki_date, start_of_day
from ehoks.feedback.mailgroups import group_key, keyed_digest
from ehoks.feedback.models import Feedback, FeedbackJob
from ehoks.feedback.rules import (
    Kind,
    State,
    StudyRightFacts,
    plan_exclusion,
    study_right_exclusion,
)
from ehoks.feedback.worker import repository
from ehoks.feedback.worker.context import Context, PermanentError, RetryableError
from ehoks.feedback.worker.lease import Claim
from ehoks.feedback.worker.status import schedule_expiry
from ehoks.kit.db.engine import transaction
from ehoks.registry.models import StudyRight

log = logging.getLogger("ehoks.feedback.worker")
HANDLING_EVENT: Final = "kasittely"
LINK_EVENT: Final = "arvo_luonti"


def handle(context: Context, job: FeedbackJob, now: datetime, claim: Claim) -> None:
    feedback_id = job.feedback_id or 0
    today = helsinki_date(now)
    with transaction(context.factory) as session:
        feedback = repository.feedback_for_update(session, feedback_id)
        if feedback is None or feedback.state != State.PENDING:
            repository.finish(session, job, now)
            return
        plan = repository.plan(session, feedback.hoks_id)
        document = orjson.loads(plan.document) if plan and plan.deleted_at is None else None
        right = repository.study_right(session, feedback.opiskeluoikeus_oid)
        reason = exclusion(feedback, document, right, today)
        if reason is not None:
            feedback_repository.move(
                session, feedback, State.NOT_SENT, event=HANDLING_EVENT, now=now, reason=reason
            )
            repository.finish(session, job, now)
            return
        assert document is not None  # exclusion said so  # noqa: S101
        study = dict(right.document) if right else {}
        workplace = feedback.kind == Kind.WORKPLACE
        body = (
            workplace_body(feedback, study, today)
            if workplace
            else student_body(feedback, document, study, today)
        )
    link = _create(context, claim, body, job, now, workplace=workplace)
    if link is None:
        return
    key = group_key(context.factory, context.settings)
    try:
        with transaction(context.factory) as session:
            saved = save(session, job, link, study, now, group_key=key)
    except Exception as error:
        delete_quietly(context, link, workplace=workplace)
        raise RetryableError(f"link not saved: {type(error).__name__}") from error
    if not saved:
        delete_quietly(context, link, workplace=workplace)


def exclusion(
    feedback: Feedback,
    document: dict[str, Any] | None,
    right: StudyRight | None,
    today: Any,
) -> str | None:
    if document is None:
        return "hoks_poistettu"
    facts = (
        StudyRightFacts(
            right.tyyppi, list(right.suoritus_tyypit), right.contained_in_oid, dict(right.document)
        )
        if right
        else None
    )
    return plan_exclusion(document, feedback.herate_date, today) or study_right_exclusion(
        facts, feedback.herate_date
    )


def _create(
    context: Context,
    claim: Claim,
    body: dict[str, Any],
    job: FeedbackJob,
    now: datetime,
    *,
    workplace: bool,
) -> Link | None:
    feedback_id = job.feedback_id or 0
    claim.keep(job)  # no link made for a job another worker took over
    try:
        return context.issuer.create(body, workplace=workplace)
    except NoOpenSurveyError:
        with transaction(context.factory) as session:
            feedback = repository.feedback_for_update(session, feedback_id)
            if feedback is not None and feedback.state == State.PENDING:
                feedback_repository.move(
                    session,
                    feedback,
                    State.NOT_SENT,
                    event=LINK_EVENT,
                    now=now,
                    reason="ei_kyselya",
                )
            repository.finish(session, job, now)
        return None
    except ArvoUnavailableError as error:
        raise RetryableError(str(error)) from error
    except ArvoRefusedError as error:
        raise PermanentError(str(error)) from error


def save(
    session: Session,
    job: FeedbackJob,
    link: Link,
    study: dict[str, Any],
    now: datetime,
    *,
    group_key: bytes,
) -> bool:
    """Keep the link on its feedback; False when no survey holds it (to be deleted).
    `group_key`: the key of the workplace e-mail groups (`feedback.mailgroups`)."""
    feedback = repository.feedback_for_update(session, job.feedback_id or 0)
    if feedback is None or feedback.state != State.PENDING:
        repository.finish(session, job, now)
        return holds(feedback, link)
    workplace = feedback.kind == Kind.WORKPLACE
    state = State.TUNNUS_CREATED if workplace else State.SURVEY_CREATED
    values: dict[str, Any] = {"arvo_tunniste": link.tunnus, "link": link.url}
    if workplace:
        # Only the group's digest is kept: the group names the instructor's address.
        values["mail_group"] = keyed_digest(group_of(feedback, study), group_key)
        feedback_repository.schedule_job(
            session,
            restart=False,
            # Keyed by the group's digest (the survey's `mail_group`): no address in the key.
            key=f"mail|{values['mail_group']}",
            kind="workplace_mail",
            due_at=max(now, start_of_day(feedback.valid_from)),
            payload={"mail_group": values["mail_group"]},
        )
    else:
        feedback_repository.schedule_job(
            session,
            key=f"invite|{feedback.id}",
            kind="invite",
            feedback_id=feedback.id,
            due_at=max(now, start_of_day(feedback.valid_from)),
        )
    feedback_repository.move(session, feedback, state, event=LINK_EVENT, now=now, extra=values)
    schedule_expiry(session, feedback)
    repository.finish(session, job, now)
    session.flush()
    return True


def holds(feedback: Feedback | None, link: Link) -> bool:
    """Whether the survey already holds this link: a worker that took over an expired lease
    named the same request, and Arvo answered with the same link. It must not be deleted."""
    return feedback is not None and feedback.arvo_tunniste == link.tunnus


def group_of(feedback: Feedback, study: dict[str, Any]) -> str:
    """One e-mail per instructor, workplace, provider, qualification and month."""
    details = feedback.details
    tunniste = ((vocational_suoritus(study).get("koulutusmoduuli") or {}).get("tunniste")) or {}
    return "|".join(
        [
            str(details.get("ohjaaja_sahkoposti") or ""),
            str(details.get("tyopaikan_y_tunnus") or ""),
            feedback.koulutustoimija_oid,
            str(tunniste.get("koodiarvo") or ""),
            feedback.valid_from.strftime("%Y-%m"),
        ]
    )


def delete_quietly(context: Context, link: Link, *, workplace: bool) -> None:
    try:
        context.issuer.delete(link.tunnus, workplace=workplace)
    except (ArvoUnavailableError, ArvoRefusedError) as error:
        # Left in Arvo unanswered and unsent; logged for the operators, nothing refers to it.
        log.warning("survey link %s not deleted: %s", link.tunnus, error)
