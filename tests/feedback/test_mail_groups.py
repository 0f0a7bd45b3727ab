"""The workplace e-mail group is kept as an HMAC with the service's key, not as a plain hash an
address could be checked against; rows linked before keep their plain hash and still get their
e-mail."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from ehoks.feedback.mailgroups import group_key, keyed_digest
from ehoks.feedback.models import Feedback, FeedbackJob
from ehoks.feedback.rules import next_first_of_month
from ehoks.feedback.worker.run import run_once
from ehoks.feedback.worker.setup import build_context
from tests.feedback.conftest import feedback_rows, jobs, post, today, weekday_morning
from tests.feedback.test_exclusions import workplace_plan

AIMO = "aimo.ohjaaja@esimerkki2.com"
WORKPLACE = "tyopaikkajakson_suorittaneet"


def _always(session_factory, context):
    settings = context.settings.model_copy(update={"feedback_sending_window": "always"})
    return build_context(session_factory, settings)


def _linked(caller, session_factory, context):
    """A workplace period's survey linked (its e-mail not due yet); the survey and its group."""
    post(caller, workplace_plan())
    run_once(context, weekday_morning(today()))
    (survey,) = feedback_rows(session_factory, kind=WORKPLACE)
    assert survey.state == "vastaajatunnus_muodostettu"
    mailed = datetime.combine(next_first_of_month(today()), datetime.min.time(), UTC)
    group = f"{AIMO}|1234569-8|{survey.koulutustoimija_oid}|371101|{survey.valid_from:%Y-%m}"
    return survey, group, mailed


def test_the_group_is_kept_as_a_keyed_digest(caller, session_factory, context, arvo, inbox):
    context = _always(session_factory, context)
    survey, group, mailed = _linked(caller, session_factory, context)
    plain = hashlib.sha256(group.encode()).hexdigest()
    assert survey.mail_group != plain
    key = group_key(session_factory, context.settings)
    assert survey.mail_group == keyed_digest(group, key)
    assert keyed_digest(group, b"another key" * 3) != survey.mail_group
    (mail,) = jobs(session_factory, kind="workplace_mail")
    assert mail.payload == {"mail_group": survey.mail_group}
    assert AIMO not in mail.key

    run_once(context, mailed + timedelta(hours=8))
    assert len(inbox.to(AIMO)) == 1
    assert feedback_rows(session_factory, kind=WORKPLACE)[0].state == "lahetetty"


def test_a_configured_signing_key_gives_the_group_key(session_factory, settings):
    configured = settings.model_copy(update={"token_signing_key": "k" * 40})
    other = settings.model_copy(update={"token_signing_key": "j" * 40})
    key = group_key(session_factory, configured)
    assert key == group_key(session_factory, configured)
    assert key != group_key(session_factory, other)
    assert key != ("k" * 40).encode()  # a key of its own, not the token key itself


def test_a_survey_linked_before_the_groups_were_keyed_still_gets_its_email(
    caller, session_factory, context, arvo, inbox
):
    context = _always(session_factory, context)
    survey, group, mailed = _linked(caller, session_factory, context)
    plain = hashlib.sha256(group.encode()).hexdigest()
    with session_factory() as session:  # as the service before the key left them
        session.execute(update(Feedback).where(Feedback.id == survey.id).values(mail_group=plain))
        session.execute(
            update(FeedbackJob)
            .where(FeedbackJob.kind == "workplace_mail")
            .values(key=f"mail|{plain}", payload={"mail_group": plain})
        )
        session.commit()

    run_once(context, mailed + timedelta(hours=8))
    assert len(inbox.to(AIMO)) == 1
    (survey,) = feedback_rows(session_factory, kind=WORKPLACE)
    assert survey.state == "lahetetty"
    assert survey.mail_group == plain
