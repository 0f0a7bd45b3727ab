"""The workplace-period projection follows every write of a HOKS, and holds only what it may."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from ehoks.hoks import writes as hoks_writes
from ehoks.instructor.models import WorkplacePeriod
from ehoks.instructor.projection import refresh_periods
from tests.instructor.conftest import DEMONSTRATION_PLACE, INSTRUCTOR, OTHER_INSTRUCTOR
from tests.instructor.test_sign_in import create_hoks, today
from tests.support.actors import trusted_actor


def rows(session_factory, hoks_id):
    with session_factory() as session:
        found = session.scalars(
            select(WorkplacePeriod)
            .where(WorkplacePeriod.hoks_id == hoks_id)
            .order_by(WorkplacePeriod.id)
        ).all()
        return [(r.yksiloiva_tunniste, r.instructor_email, r.module_id) for r in found]


def test_projection_follows_create_put_patch_delete_and_restore(web, session_factory):
    caller, hoks_id = create_hoks(web, session_factory)
    created = rows(session_factory, hoks_id)
    # Three periods of the vocational unit, one of the local unit, one of the common unit
    # (an oppisopimus without workplace details: no instructor), in document order.
    assert [(t, e) for t, e, _ in created] == [
        ("current", INSTRUCTOR),
        ("past", INSTRUCTOR),
        ("coming", INSTRUCTOR),
        ("abcd", OTHER_INSTRUCTOR),
        ("1", None),
    ]
    stored = caller.get(f"/hoks/{hoks_id}").json()["data"]
    vocational = stored["hankittavat-ammat-tutkinnon-osat"][0]
    assert created[0][2] == vocational["osaamisen-hankkimistavat"][0]["module-id"]

    # PUT: one period fewer, the rest keep their module-id.
    vocational["osaamisen-hankkimistavat"].pop(1)
    assert caller.put(f"/hoks/{hoks_id}", stored).status_code == 204
    replaced = rows(session_factory, hoks_id)
    assert [t for t, _, _ in replaced] == ["current", "coming", "abcd", "1"]
    assert replaced[0][2] == created[0][2]

    # PATCH touches top-level fields only: the periods stay as they were.
    patched = caller.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "sahkoposti": "uusi@example.fi"})
    assert patched.status_code == 204, patched.text
    assert rows(session_factory, hoks_id) == replaced

    now = datetime.now(UTC)
    with session_factory() as session:
        hoks_writes.soft_delete_hoks(session, hoks_id, trusted_actor(session), now=now)
        session.commit()
    assert rows(session_factory, hoks_id) == []

    with session_factory() as session:
        hoks_writes.restore_hoks(session, hoks_id, trusted_actor(session), now=now)
        session.commit()
    assert rows(session_factory, hoks_id) == replaced


def test_summary_holds_only_what_the_instructor_may_see(web, session_factory):
    create_hoks(web, session_factory)
    with session_factory() as session:
        period = session.scalars(
            select(WorkplacePeriod).where(WorkplacePeriod.yksiloiva_tunniste == "current")
        ).one()
    assert period.alku < today() < period.loppu
    assert period.workplace_name == "Ohjausyhtiö Oy"
    assert period.instructor_name == "Aimo Ohjaaja"
    summary = period.summary
    assert set(summary) == {
        "alku",
        "loppu",
        "osaamisen-hankkimistapa-koodi-uri",
        "ajanjakson-tarkenne",
        "osa-aikaisuustieto",
        "keskeytymisajanjaksot",
        "tyopaikalla-jarjestettava-koulutus",
        "tutkinnon-osa",
        "jarjestajan-edustaja",
        "naytot",
    }
    # Only the demonstration held during the period, without criteria or assessors.
    assert summary["naytot"] == [
        {
            "alku": (today() - timedelta(days=2)).isoformat(),
            "loppu": (today() + timedelta(days=1)).isoformat(),
            "sisallon-kuvaus": ["Testaus"],
            "nayttoymparisto": {"nimi": DEMONSTRATION_PLACE, "kuvaus": "Testi test"},
        }
    ]
    assert summary["tyopaikalla-jarjestettava-koulutus"] == {
        "tyopaikan-nimi": "Ohjausyhtiö Oy",
        "tyopaikan-y-tunnus": "1234569-8",
        "keskeiset-tyotehtavat": ["Testitehtävä"],
        "vastuullinen-tyopaikka-ohjaaja": {"nimi": "Aimo Ohjaaja"},
    }


def test_common_unit_periods_name_the_sub_area(session_factory, db):
    document = {
        "hankittavat-yhteiset-tutkinnon-osat": [
            {
                "module-id": "yto",
                "tutkinnon-osa-koodi-uri": "tutkinnonosat_106727",
                "osa-alueet": [
                    {
                        "module-id": "area",
                        "osa-alue-koodi-uri": "ammatillisenoppiaineet_ku",
                        "osaamisen-hankkimistavat": [
                            {
                                "module-id": "period",
                                "osaamisen-hankkimistapa-koodi-uri": (
                                    "osaamisenhankkimistapa_koulutussopimus"
                                ),
                                "alku": "2030-01-01",
                                "loppu": "2030-02-01",
                                "tyopaikalla-jarjestettava-koulutus": {
                                    "tyopaikan-nimi": "Yritys",
                                    "keskeiset-tyotehtavat": [],
                                    "vastuullinen-tyopaikka-ohjaaja": {
                                        "nimi": "Outi",
                                        "sahkoposti": " Outi@Example.FI ",
                                        "puhelinnumero": "040 1",
                                    },
                                },
                            },
                            {
                                "module-id": "school",
                                "osaamisen-hankkimistapa-koodi-uri": (
                                    "osaamisenhankkimistapa_oppilaitosmuotoinenkoulutus"
                                ),
                                "alku": "2030-01-01",
                                "loppu": "2030-02-01",
                            },
                        ],
                    }
                ],
            }
        ]
    }
    with session_factory() as session:
        hoks_id = _bare_hoks(session)
        refresh_periods(session, hoks_id, document)
        session.flush()
        (period,) = session.scalars(select(WorkplacePeriod)).all()
        assert period.module_id == "period"
        assert period.unit_module_id == "area"
        assert period.instructor_email == "outi@example.fi"
        assert period.summary["tutkinnon-osa"] == {
            "tyyppi": "yhteinen",
            "tutkinnon-osa-koodi-uri": "tutkinnonosat_106727",
            "osa-alue-koodi-uri": "ammatillisenoppiaineet_ku",
        }
        assert "puhelinnumero" not in str(period.summary)
        session.rollback()


def _bare_hoks(session):
    from ehoks.hoks.models import Hoks

    row = Hoks(
        eid="00000000-0000-0000-0000-000000000001",
        oppija_oid="1.2.246.562.24.12312312319",
        opiskeluoikeus_oid="1.2.246.562.15.10000000009",
        document="{}",
        created_by="test",
        updated_by="test",
    )
    session.add(row)
    session.flush()
    return row.id
