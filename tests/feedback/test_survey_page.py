"""The built-in survey: links made without Arvo open a page that takes one answer."""

from __future__ import annotations

import httpx
import pytest

from ehoks.feedback.worker.run import run_once
from ehoks.feedback.worker.setup import build_context
from tests.feedback.conftest import (
    MATTI,
    events,
    feedback_rows,
    post,
    start_plan,
    today,
    weekday_morning,
)


@pytest.fixture
def built_in(session_factory, worker_settings, live_server):
    settings = worker_settings.model_copy(
        update={"arvo_url": "", "public_base_url": live_server.base_url}
    )
    return build_context(session_factory, settings)


def test_a_built_in_link_opens_a_survey_that_takes_one_answer(
    caller, session_factory, built_in, inbox, student
):
    post(caller, start_plan())
    run_once(built_in, weekday_morning(today()))
    (row,) = feedback_rows(session_factory)
    matti = student(MATTI)
    plans = matti.http.get("/ehoks/suunnittelu", headers=matti.headers, params={"lang": "en"})
    assert "You have 1 feedback survey to answer" in plans.text
    assert f'href="{row.link}"' in plans.text
    assert row.link is not None
    assert row.link in inbox.messages[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    with httpx.Client(timeout=30) as browser:
        page = browser.get(row.link, params={"lang": "en"})
        assert page.status_code == 200
        assert "Feedback on the start of your studies" in page.text
        assert 'name="arvosana"' in page.text
        wrong = browser.post(row.link, data={"lang": "en"})
        assert wrong.status_code == 400
        assert "Choose one of the five options." in wrong.text
        done = browser.post(
            row.link, data={"arvosana": "4", "kommentti": "Hyvä alku", "lang": "en"}
        )
        assert done.status_code == 200
        assert "Thank you for your answer" in done.text
        again = browser.post(row.link, data={"arvosana": "1", "lang": "en"})
        assert "Thank you for your answer" in again.text
    (answered,) = feedback_rows(session_factory)
    assert answered.state == "vastattu"
    assert answered.details["vastaus"] == {"arvosana": 4, "kommentti": "Hyvä alku"}
    assert [e.event for e in events(session_factory, row.id)][-1] == "vastaus"
    assert student(MATTI).get(f"/oppijat/{MATTI}/kyselylinkit").json()["data"] == []


def test_an_unknown_or_foreign_survey_link(http, live_server):
    missing = http.get("/palaute/ANOSUCHSURVEY", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    assert "<h1" in missing.text
    foreign = http.post(
        "/palaute/ANOSUCHSURVEY", data={"arvosana": "5"}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
