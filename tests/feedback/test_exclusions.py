"""Every national exclusion ends in "not sent" with its reason (ehoks-api.md 5.7).

The plan's own rules and the workplace periods' rules are decided when the plan is saved; the
study right's rules (4-9) when the survey falls due (tests/feedback/test_worker.py).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from ehoks.hoks.hooks import HOKS_WRITTEN, HoksWritten, Operation
from ehoks.kit.db.engine import transaction
from tests.feedback.conftest import feedback_rows, jobs, post, start_plan, today
from tests.support.api import fresh_example

FULL_RIGHT = "1.2.246.562.15.10000000009"  # Maija's, the study right of hoks-full.json
MAIJA = "1.2.246.562.24.12312312319"


def test_no_need_to_acquire_competence(caller, session_factory):
    hoks_id = post(caller, start_plan(**{"osaamisen-hankkimisen-tarve": False}))
    (row,) = feedback_rows(session_factory, hoks_id=hoks_id)
    assert (row.state, row.reason) == ("ei_laheteta", "ei_osaamisen_hankkimisen_tarvetta")
    assert jobs(session_factory) == []


def test_herate_date_in_an_earlier_funding_period(caller, session_factory):
    earlier = today().replace(year=today().year - 2)
    hoks_id = post(caller, start_plan(**{"ensikertainen-hyvaksyminen": earlier.isoformat()}))
    (row,) = feedback_rows(session_factory, hoks_id=hoks_id)
    assert (row.state, row.reason) == ("ei_laheteta", "rahoituskausi_paattynyt")


def test_tuva_plan(caller, session_factory):
    document = fresh_example("hoks_tuva.json")
    document["ensikertainen-hyvaksyminen"] = today().isoformat()
    hoks_id = post(caller, document)
    (row,) = feedback_rows(session_factory, hoks_id=hoks_id)
    assert (row.state, row.reason) == ("ei_laheteta", "tuva")


def workplace_plan(**period_changes: Any) -> dict[str, Any]:
    """hoks-full.json with one workplace period that ended yesterday, changed by the caller."""
    document = fresh_example("hoks-full.json")
    document["ensikertainen-hyvaksyminen"] = today().isoformat()
    unit = document["hankittavat-ammat-tutkinnon-osat"][0]
    period = copy.deepcopy(unit["osaamisen-hankkimistavat"][0])
    period.update(
        {
            "yksiloiva-tunniste": "jakso-1",
            "alku": (today() - timedelta(days=40)).isoformat(),
            "loppu": (today() - timedelta(days=1)).isoformat(),
            "keskeytymisajanjaksot": [],
            "muut-oppimisymparistot": [],
            "osa-aikaisuustieto": 100,
            "oppisopimuksen-perusta-koodi-uri": "oppisopimuksenperusta_01",
        }
    )
    for path, value in period_changes.items():
        target = period
        *parents, last = path.split("/")
        for name in parents:
            target = target[name]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    unit["osaamisen-hankkimistavat"] = [period]
    # Only this one period: the other units' periods go.
    document["hankittavat-paikalliset-tutkinnon-osat"] = []
    document["hankittavat-yhteiset-tutkinnon-osat"] = []
    return document


def workplace_feedback(session_factory, hoks_id: int):
    (row,) = feedback_rows(session_factory, hoks_id=hoks_id, kind="tyopaikkajakson_suorittaneet")
    return row


def test_an_ended_workplace_period_records_its_feedback(caller, session_factory):
    hoks_id = post(caller, workplace_plan())
    row = workplace_feedback(session_factory, hoks_id)
    assert (row.state, row.period_tunniste) == ("odottaa_kasittelya", "jakso-1")
    assert row.herate_date == today() - timedelta(days=1)
    assert row.valid_from.day == 1
    assert row.details["ohjaaja_sahkoposti"] == "aimo.ohjaaja@esimerkki2.com"
    assert len(jobs(session_factory, feedback_id=row.id)) == 1


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"tyopaikalla-jarjestettava-koulutus/vastuullinen-tyopaikka-ohjaaja/sahkoposti": None},
            "ohjaaja_puuttuu",
        ),
        (
            {"keskeytymisajanjaksot": [{"alku": (today() - timedelta(days=5)).isoformat()}]},
            "keskeytynyt",
        ),
    ],
    ids=["instructor", "interrupted"],
)
def test_workplace_period_exclusions(caller, session_factory, change, reason):
    row = workplace_feedback(session_factory, post(caller, workplace_plan(**change)))
    assert (row.state, row.reason) == ("ei_laheteta", reason)
    assert jobs(session_factory, feedback_id=row.id) == []


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"tyopaikalla-jarjestettava-koulutus/tyopaikan-nimi": None}, "tyopaikan_nimi_puuttuu"),
        ({"tyopaikalla-jarjestettava-koulutus/tyopaikan-y-tunnus": None}, "y_tunnus_puuttuu"),
        ({"osa-aikaisuustieto": None}, "osa_aikaisuus_puuttuu"),
    ],
    ids=["workplace-name", "y-tunnus", "part-time-share"],
)
def test_exclusions_of_plans_stored_before_the_models_rules(
    caller, session_factory, change, reason
):
    """Validation refuses such periods today; plans stored earlier may hold them, and a save of
    their feedback (a catch-up, a restore) decides on the document as stored."""
    hoks_id = post(caller, workplace_plan())
    with transaction(session_factory) as session:
        HOKS_WRITTEN.notify(
            session,
            [
                HoksWritten(
                    hoks_id=hoks_id,
                    operation=Operation.RESTORE,
                    oppija_oid=MAIJA,
                    opiskeluoikeus_oid=FULL_RIGHT,
                    document=workplace_plan(**change),
                    previous=None,
                    actor="test",
                    at=datetime.now(UTC),
                )
            ],
        )
    row = workplace_feedback(session_factory, hoks_id)
    assert (row.state, row.reason) == ("ei_laheteta", reason)


def test_a_removed_period_is_not_sent(caller, session_factory):
    hoks_id = post(caller, workplace_plan())
    stored = caller.get(f"/hoks/{hoks_id}").json()["data"]
    stored["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"] = []
    assert caller.put(f"/hoks/{hoks_id}", stored).status_code == 204
    row = workplace_feedback(session_factory, hoks_id)
    assert (row.state, row.reason) == ("ei_laheteta", "jakso_poistettu")
