"""The worker's refresh round: due study rights, persons and organisations fetched again,
changes stored, each refresh audited, and a second round changing nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from ehoks.audit.models import AuditEvent
from ehoks.kit.db.base import utcnow
from ehoks.kit.db.engine import transaction
from ehoks.registry.models import Organisation, Person, StudyRight
from ehoks.registrysync.rounds import run_round
from tests.registry.remote.test_writes import caller_for, with_period_identifiers
from tests.support.api import fresh_example

SCHOOL_A = "1.2.246.562.10.54453921329"
PROVIDER_B = "1.2.246.562.10.81927839314"
BATCH = 50


def planned(remote_http, session_factory, registries) -> dict:
    document = with_period_identifiers(fresh_example("hoks_tuva.json"))
    caller = caller_for(remote_http, session_factory, registries, document["opiskeluoikeus-oid"])
    assert caller.post("/hoks", document).status_code == 200
    return document


def age_everything(session_factory) -> None:
    long_ago = utcnow() - timedelta(days=30)
    with transaction(session_factory) as session:
        for model in (StudyRight, Person, Organisation):
            for row in session.scalars(select(model)):
                row.checked_at = long_ago
                row.updated_at = long_ago


def refresh_events(session_factory) -> list[AuditEvent]:
    with session_factory() as session:
        statement = select(AuditEvent).where(AuditEvent.operation.startswith("registry.refresh"))
        return list(session.scalars(statement.order_by(AuditEvent.id)))


def test_a_round_stores_what_the_registries_now_say_and_audits_it(
    remote_http, session_factory, registries, stand_ins
):
    document = planned(remote_http, session_factory, registries)
    oid, student = document["opiskeluoikeus-oid"], document["oppija-oid"]
    # Meanwhile, in the national registries: the study right ended, the student was merged with
    # a duplicate and renamed, and the school moved under another provider.
    study_right = stand_ins["koski"].documents[f"/koski/api/opiskeluoikeus/{oid}"]
    study_right["tila"]["opiskeluoikeusjaksot"].append(
        {"alku": "2026-06-01", "tila": {"koodiarvo": "valmistunut"}}
    )
    onr = stand_ins["onr"].documents
    base = "/oppijanumerorekisteri-service/henkilo"
    onr[f"{base}/{student}/master"] = {**onr[f"{base}/{student}"], "sukunimi": "Uusinimi"}
    duplicate = "1.2.246.562.24.30124551036"
    onr[f"{base}/{student}/slaves"] = [{"oidHenkilo": duplicate, "duplicate": True}]
    school = stand_ins["organisaatio"].documents[f"/organisaatio-service/api/{SCHOOL_A}"]
    school["parentOid"] = PROVIDER_B
    school["parentOidPath"] = f"|1.2.246.562.10.00000000001|{PROVIDER_B}|"
    age_everything(session_factory)

    outcomes = run_round(session_factory, registries, BATCH)
    assert set(outcomes) == {
        "registry.refresh.study-rights",
        "registry.refresh.persons",
        "registry.refresh.organisations",
    }
    with session_factory() as session:
        row = session.get(StudyRight, oid)
        assert row is not None
        assert row.latest_tila == "valmistunut"
        person = session.get(Person, student)
        assert person is not None
        assert person.last_name == "Uusinimi"
        merged = session.get(Person, duplicate)
        assert merged is not None
        assert merged.master_oid == student
        moved = session.get(Organisation, SCHOOL_A)
        assert moved is not None
        assert moved.parent_oid == PROVIDER_B
    events = refresh_events(session_factory)
    assert [(e.operation, e.outcome) for e in events] == [
        ("registry.refresh.study-rights", "success"),
        ("registry.refresh.persons", "success"),
        ("registry.refresh.organisations", "success"),
    ]
    assert events[0].details["changed"] == 1

    # Nothing is due any more; and made due again, nothing changes.
    assert run_round(session_factory, registries, BATCH) == {}
    age_everything(session_factory)
    again = run_round(session_factory, registries, BATCH)
    assert all(report.changed == 0 for report in again.values()), again


def test_a_registry_down_is_an_audited_failure_and_changes_nothing(
    remote_http, session_factory, registries, stand_ins
):
    document = planned(remote_http, session_factory, registries)
    age_everything(session_factory)
    stand_ins["koski"].stop()

    outcomes = run_round(session_factory, registries, BATCH)
    assert isinstance(outcomes["registry.refresh.study-rights"], str)
    failed = [e for e in refresh_events(session_factory) if e.outcome == "failed"]
    assert [e.operation for e in failed] == ["registry.refresh.study-rights"]
    assert failed[0].details["registry"] == "koski"
    with session_factory() as session:
        row = session.get(StudyRight, document["opiskeluoikeus-oid"])
        assert row is not None
        assert row.checked_at is not None
        assert row.checked_at < utcnow() - timedelta(days=1)  # still due next round
