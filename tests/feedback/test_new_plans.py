"""A batch of new plans decides its surveys together, with the outcome one by one would give."""

from __future__ import annotations

from tests.feedback.conftest import MATTI_RIGHTS, events, feedback_rows, jobs, start_plan
from tests.feedback.test_exclusions import workplace_plan


def test_a_batch_decides_as_its_plans_would_one_by_one(caller, session_factory):
    batch = [workplace_plan(), start_plan(MATTI_RIGHTS[0]), start_plan(MATTI_RIGHTS[1])]
    response = caller.post("/hoks/bulk", batch)
    assert response.status_code == 200, response.text
    workplace, first, second = [item["id"] for item in response.json()["data"]]

    def kinds(hoks_id):
        return sorted((r.kind, r.state) for r in feedback_rows(session_factory, hoks_id=hoks_id))

    assert kinds(workplace) == [
        ("aloittaneet", "odottaa_kasittelya"),
        ("tyopaikkajakson_suorittaneet", "odottaa_kasittelya"),
    ]
    # One start survey per student, provider and funding period: the batch's first plan has it.
    assert kinds(first) == [("aloittaneet", "odottaa_kasittelya")]
    assert kinds(second) == []
    surveys = feedback_rows(session_factory)
    assert len(surveys) == 3
    for survey in surveys:
        assert [
            (e.event, e.old_state, e.new_state) for e in events(session_factory, survey.id)
        ] == [("hoks_tallennus", None, "odottaa_kasittelya")]
        assert [(j.kind, j.state) for j in jobs(session_factory, feedback_id=survey.id)] == [
            ("handle", "pending")
        ]
    (period,) = feedback_rows(session_factory, kind="tyopaikkajakson_suorittaneet")
    assert period.period_tunniste == "jakso-1"
    assert period.details["ohjaaja_sahkoposti"] == "aimo.ohjaaja@esimerkki2.com"


def test_a_batch_after_an_earlier_plan_leaves_the_earlier_survey(caller, session_factory):
    earlier = caller.post("/hoks", start_plan(MATTI_RIGHTS[0])).json()["meta"]["id"]
    response = caller.post("/hoks/bulk", [workplace_plan(), start_plan(MATTI_RIGHTS[1])])
    assert response.status_code == 200, response.text
    later = response.json()["data"][1]["id"]
    assert [r.kind for r in feedback_rows(session_factory, hoks_id=earlier)] == ["aloittaneet"]
    assert feedback_rows(session_factory, hoks_id=later) == []
