"""Contact data removed three months after it stopped being needed (ehoks-api.md 5.10)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import select, update

from ehoks.audit.models import AuditEvent
from ehoks.feedback.models import FeedbackMessage
from ehoks.feedback.retention import three_months_before
from ehoks.feedback.worker.run import run_once
from ehoks.hoks.models import Hoks, HoksRevision
from ehoks.instructor.models import WorkplacePeriod
from ehoks.registry.models import StudyRight
from tests.feedback.conftest import MATTI_RIGHTS, post, start_plan, today, weekday_morning
from tests.feedback.test_exclusions import workplace_plan

INSTRUCTOR = "vastuullinen-tyopaikka-ohjaaja"
STUDENT_EMAIL = "matti.meikalainen@example.fi"  # start_plan's


def test_three_months_before_keeps_to_real_dates():
    assert three_months_before(datetime(2026, 5, 31, tzinfo=UTC).date()).isoformat() == "2026-02-28"
    assert three_months_before(datetime(2026, 1, 15, tzinfo=UTC).date()).isoformat() == "2025-10-15"


def test_an_instructors_contact_data_goes_three_months_after_the_period(
    caller, session_factory, context
):
    document = workplace_plan()
    period = document["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    period["alku"] = (today() - timedelta(days=200)).isoformat()
    period["loppu"] = (today() - timedelta(days=100)).isoformat()
    hoks_id = post(caller, document)
    # A second revision, so that the history holds the address too.
    stored = caller.get(f"/hoks/{hoks_id}").json()["data"]
    assert (
        caller.put(f"/hoks/{hoks_id}", stored | {"puhelinnumero": "0401112222"}).status_code == 204
    )

    run_once(context, weekday_morning(today()))

    with session_factory() as session:
        row = session.get(Hoks, hoks_id)
        assert row is not None
        texts = [row.document, *session.scalars(select(HoksRevision.document))]
        assert row.revision == 3
        assert row.updated_by == "retention"
        assert session.scalars(select(WorkplacePeriod.instructor_email)).all() == [None]
        # One record for the plan's document, one for its feedback rows' copy.
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.operation == "retention.remove-contact-data")
        ).all()
        assert {record.hoks_id for record in audited} == {hoks_id}
        paths = [path for record in audited for path in record.details["removed"]]
        assert any(path.startswith("/hankittavat-ammat-tutkinnon-osat/0/") for path in paths)
        assert any(path.endswith("/details/ohjaaja_sahkoposti") for path in paths)
    for text in texts:
        kept = orjson.loads(text)["hankittavat-ammat-tutkinnon-osat"][0][
            "osaamisen-hankkimistavat"
        ][0]
        instructor = kept["tyopaikalla-jarjestettava-koulutus"][INSTRUCTOR]
        assert "sahkoposti" not in instructor
        assert instructor["nimi"]  # only the contact data goes
    assert "aimo.ohjaaja" not in " ".join(texts)
    # The student's own address stays: their study right has not ended.
    assert orjson.loads(texts[0])["sahkoposti"]


def test_a_students_contact_data_goes_three_months_after_the_study_right_ended(
    caller, session_factory, context
):
    hoks_id = post(caller, start_plan(puhelinnumero="0405556666"))
    # The start survey's invitation goes while the studies go on.
    run_once(context, weekday_morning(today()))
    with session_factory() as session:
        assert session.scalars(select(FeedbackMessage.recipient)).all() == [STUDENT_EMAIL]
    ended = today() - timedelta(days=120)
    with session_factory() as session:
        session.execute(
            update(StudyRight).where(StudyRight.oid == MATTI_RIGHTS[0]).values(paattymispaiva=ended)
        )
        session.execute(
            update(Hoks)
            .where(Hoks.id == hoks_id)
            .values(updated_at=datetime.now(UTC) - timedelta(days=100))
        )
        session.commit()
    run_once(context, weekday_morning(today() + timedelta(days=1)))
    document = caller.get(f"/hoks/{hoks_id}").json()["data"]
    assert "sahkoposti" not in document
    assert "puhelinnumero" not in document
    with session_factory() as session:
        (message,) = session.scalars(select(FeedbackMessage)).all()
        assert message.recipient is None
        assert message.state == "lahetetty"  # what happened stays
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.operation == "retention.remove-contact-data")
        ).all()
        paths = [path for record in audited for path in record.details["removed"]]
        assert f"feedback_message/{message.id}/recipient" in paths


def test_recent_contact_data_stays(caller, session_factory, context):
    hoks_id = post(caller, start_plan(puhelinnumero="0405556666"))
    run_once(context, weekday_morning(today()))
    document = caller.get(f"/hoks/{hoks_id}").json()["data"]
    assert document["sahkoposti"] == "matti.meikalainen@example.fi"
    assert document["puhelinnumero"] == "0405556666"
