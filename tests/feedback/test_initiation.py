"""Plans start their student surveys in the transaction that saves them (ehoks-api.md 5.7)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from ehoks.feedback.initiation import start_of_day
from ehoks.hoks.hooks import HOKS_WRITTEN, HoksWritten, Operation
from ehoks.kit.db.engine import transaction
from ehoks.kit.errors import ApiError
from tests.feedback.conftest import (
    MATTI,
    MATTI_RIGHTS,
    PROVIDER_A,
    events,
    feedback_rows,
    jobs,
    post,
    start_plan,
    today,
)


def test_a_plan_approved_today_records_one_start_survey_and_its_job(caller, session_factory):
    hoks_id = post(caller, start_plan())
    (survey,) = feedback_rows(session_factory, hoks_id=hoks_id)
    assert (survey.kind, survey.state, survey.reason) == ("aloittaneet", "odottaa_kasittelya", None)
    assert (survey.oppija_oid, survey.koulutustoimija_oid) == (MATTI, PROVIDER_A)
    assert survey.herate_date == today()
    assert survey.valid_from == today()
    assert survey.valid_to == today() + timedelta(days=29)
    (job,) = jobs(session_factory, feedback_id=survey.id)
    assert (job.kind, job.state) == ("handle", "pending")
    assert job.due_at == start_of_day(today())
    assert [(e.event, e.old_state, e.new_state) for e in events(session_factory, survey.id)] == [
        ("hoks_tallennus", None, "odottaa_kasittelya")
    ]


def test_saving_the_plan_again_keeps_one_start_survey(caller, session_factory):
    document = start_plan()
    hoks_id = post(caller, document)
    stored = caller.get(f"/hoks/{hoks_id}").json()["data"]
    assert (
        caller.put(f"/hoks/{hoks_id}", stored | {"sahkoposti": "uusi@example.fi"}).status_code
        == 204
    )
    assert caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "versio": 2}).status_code in {204, 400}
    (survey,) = feedback_rows(session_factory, hoks_id=hoks_id)
    assert survey.state == "odottaa_kasittelya"
    assert len(events(session_factory, survey.id)) == 1
    assert len(jobs(session_factory)) == 1


def test_one_start_survey_per_student_provider_and_funding_period(caller, session_factory):
    first = post(caller, start_plan(MATTI_RIGHTS[0]))
    second = post(caller, start_plan(MATTI_RIGHTS[1]))
    rows = feedback_rows(session_factory, kind="aloittaneet")
    assert [row.hoks_id for row in rows] == [first]
    assert feedback_rows(session_factory, hoks_id=second) == []


def test_two_concurrent_writers_still_give_one_start_survey(caller, session_factory):
    results: list[Any] = []

    def write(opiskeluoikeus: str) -> None:
        results.append(caller.post("/hoks", start_plan(opiskeluoikeus)).status_code)

    threads = [threading.Thread(target=write, args=(oid,)) for oid in MATTI_RIGHTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [200, 200]
    assert len(feedback_rows(session_factory, kind="aloittaneet")) == 1
    assert len(jobs(session_factory)) == 1


def test_concurrent_saves_of_one_plan_keep_one_survey(caller, session_factory):
    hoks_id = post(caller, start_plan())
    stored = caller.get(f"/hoks/{hoks_id}").json()["data"]
    codes: list[int] = []

    def write(n: int) -> None:
        body = stored | {"sahkoposti": f"matti{n}@example.fi"}
        codes.append(caller.put(f"/hoks/{hoks_id}", body).status_code)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(codes) <= {204, 409}
    assert len(feedback_rows(session_factory, hoks_id=hoks_id)) == 1


def test_a_plan_write_that_fails_after_the_decision_leaves_no_feedback(caller, session_factory):
    def refuse(_session: Any, _writes: Any) -> None:
        raise ApiError(409, "concurrent_update")

    # Listeners run in the order connected: feedback has decided when this one refuses.
    HOKS_WRITTEN.listen(refuse)
    try:
        response = caller.post("/hoks", start_plan())
    finally:
        HOKS_WRITTEN.forget(refuse)
    assert response.status_code == 409
    assert feedback_rows(session_factory) == []
    assert jobs(session_factory) == []


def test_the_end_survey_follows_the_study_rights_suoritus(caller, session_factory):
    hoks_id = post(caller, start_plan(**{"osaamisen-saavuttamisen-pvm": today().isoformat()}))
    kinds = {row.kind: row.state for row in feedback_rows(session_factory, hoks_id=hoks_id)}
    assert kinds == {"aloittaneet": "odottaa_kasittelya", "valmistuneet": "odottaa_kasittelya"}


def test_a_deleted_plan_closes_its_open_surveys(caller, session_factory):
    hoks_id = post(caller, start_plan())
    # Deleting is a staff action; the hook is what every delete notifies.
    with transaction(session_factory) as session:
        HOKS_WRITTEN.notify(
            session,
            [
                HoksWritten(
                    hoks_id=hoks_id,
                    operation=Operation.DELETE,
                    oppija_oid=MATTI,
                    opiskeluoikeus_oid=MATTI_RIGHTS[0],
                    document=None,
                    previous=None,
                    actor="test",
                    at=start_of_day(today()) + timedelta(hours=12),
                )
            ],
        )
    (survey,) = feedback_rows(session_factory, hoks_id=hoks_id)
    assert (survey.state, survey.reason) == ("ei_laheteta", "hoks_poistettu")
