"""Deadline and data-quality alerts: one test per rule, each first clean and then broken."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from ehoks.hoks.models import Hoks
from ehoks.instructor.models import WorkplacePeriod
from ehoks.registry.models import StudyRight
from ehoks.reports.quality import DESCRIPTIONS, PLAN_RULES, RULES
from tests.support.api import Caller, fresh_example, load_registry, make_caller, owner_of

STUDY_RIGHT = fresh_example("hoks-full.json")["opiskeluoikeus-oid"]
PROVIDER_B = "1.2.246.562.10.81927839314"
VALID_Y_TUNNUS = "2911043-0"


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/Helsinki")).date()


def _edit_summary(session: Session, edit: Callable[[dict], None]) -> None:
    for period in session.query(WorkplacePeriod).all():
        summary = dict(period.summary)
        summary["tyopaikalla-jarjestettava-koulutus"] = dict(
            summary.get("tyopaikalla-jarjestettava-koulutus") or {}
        )
        edit(summary)
        period.summary = summary


def _complete(summary: dict) -> None:
    """What feedback and funding need of a period, all there."""
    summary["osa-aikaisuustieto"] = 100
    _workplace(summary)["tyopaikan-y-tunnus"] = VALID_Y_TUNNUS


def _workplace(summary: dict) -> dict:
    return summary["tyopaikalla-jarjestettava-koulutus"]


BREAK: dict[str, Callable[[Session], None]] = {
    "instructor_email_missing": lambda s: s.execute(
        update(WorkplacePeriod).values(instructor_email=None)
    ),
    "y_tunnus_missing": lambda s: _edit_summary(
        s, lambda summary: _workplace(summary).pop("tyopaikan-y-tunnus", None)
    ),
    "y_tunnus_invalid": lambda s: _edit_summary(
        s, lambda summary: _workplace(summary).update({"tyopaikan-y-tunnus": "1234567-2"})
    ),
    "part_time_missing": lambda s: _edit_summary(
        s, lambda summary: summary.pop("osa-aikaisuustieto", None)
    ),
    "period_identifier_missing": lambda s: s.execute(
        update(WorkplacePeriod).values(yksiloiva_tunniste=None)
    ),
    "approval_date_missing": lambda s: s.execute(
        update(Hoks).values(ensikertainen_hyvaksyminen=None)
    ),
    "study_right_ended_plan_open": lambda s: s.execute(
        update(StudyRight)
        .where(StudyRight.oid == STUDY_RIGHT)
        .values(paattymispaiva=_today() - timedelta(days=1))
    ),
}


def test_every_rule_has_a_case():
    assert set(BREAK) == {rule.code for rule in (*RULES, *PLAN_RULES)} == set(DESCRIPTIONS)


def _arrange(http, session_factory) -> tuple[Caller, int]:
    """A plan whose workplace periods end in five days and lack nothing."""
    load_registry(session_factory)
    school, _ = owner_of(session_factory, STUDY_RIGHT)
    caller = make_caller(http, session_factory, school)
    created = caller.post("/hoks", fresh_example("hoks-full.json"))
    assert created.status_code == 200, created.text
    today = _today()
    with session_factory() as session:
        session.execute(
            update(WorkplacePeriod).values(
                alku=today - timedelta(days=30),
                loppu=today + timedelta(days=5),
                instructor_email="olli.ohjaaja@example.fi",
                yksiloiva_tunniste="jakso-1",
            )
        )
        _edit_summary(session, _complete)
        session.execute(
            update(StudyRight)
            .where(StudyRight.oid == STUDY_RIGHT)
            .values(paattymispaiva=None, latest_tila="lasna")
        )
        session.commit()
    return caller, created.json()["meta"]["id"]


def _alerts(caller: Caller, **params: object) -> list[dict]:
    response = caller.get("/hoks/huomautukset", params=params)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"] == {"count": len(body["data"]), "truncated": False}
    return body["data"]


@pytest.mark.parametrize("rule", sorted(BREAK))
def test_a_broken_rule_is_an_alert_with_its_code_and_words(http, session_factory, rule):
    caller, hoks_id = _arrange(http, session_factory)
    assert [a for a in _alerts(caller) if a["rule"] == rule] == []

    with session_factory() as session:
        BREAK[rule](session)
        session.commit()
    found = [a for a in _alerts(caller) if a["rule"] == rule]
    assert found, rule
    alert = found[0]
    assert alert["hoks-id"] == hoks_id
    assert alert["oppija-oid"] == fresh_example("hoks-full.json")["oppija-oid"]
    messages = alert["message"]
    assert set(messages) == {"fi", "sv", "en"}
    assert messages["en"] == DESCRIPTIONS[rule]
    assert len({messages["fi"], messages["sv"], messages["en"]}) == 3
    if rule in {r.code for r in RULES}:
        assert alert["loppu"] == (_today() + timedelta(days=5)).isoformat()
        assert alert["due"] == alert["loppu"]
    else:
        assert alert["opiskeluoikeus-oid"] == STUDY_RIGHT
    # Another provider's system sees none of them.
    assert _alerts(make_caller(http, session_factory, PROVIDER_B, access="read")) == []


def test_periods_beyond_the_days_asked_for_are_not_checked(http, session_factory):
    caller, _ = _arrange(http, session_factory)
    with session_factory() as session:
        BREAK["instructor_email_missing"](session)
        session.commit()
    assert [a for a in _alerts(caller, **{"ahead-days": 4}) if a.get("loppu")] == []
    assert [a for a in _alerts(caller, **{"ahead-days": 5}) if a.get("loppu")] != []
    assert caller.get("/hoks/huomautukset", params={"ahead-days": 366}).status_code == 400
