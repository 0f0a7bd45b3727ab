"""The registry clients against the stand-ins: the national formats read into the import's
records, 404 as an answer, and misbehaving registries as `RegistryUnavailableError`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ehoks.config import Settings
from ehoks.registry.remote.setup import Registries, registries_from
from ehoks.registry.remote.transport import (
    RegistryAnswerError,
    RegistryUnavailableError,
    close_breakers,
)
from tests.support.registries import RegistryStandIn, http_settings

MASTER = "1.2.246.562.24.30124551023"
MERGED = "1.2.246.562.24.30124551036"
PROVIDER_A = "1.2.246.562.10.53642770753"
SCHOOL_A = "1.2.246.562.10.54453921329"
ROOT = "1.2.246.562.10.00000000001"


@pytest.fixture
def clients(stand_ins: dict[str, RegistryStandIn]) -> Iterator[Registries]:
    """Clients of the stand-ins, without a database; every stand-in well again afterwards."""
    found = registries_from(Settings(development_mode=True, **http_settings(stand_ins)))
    yield found
    found.close()
    for stand_in in stand_ins.values():
        stand_in.reset()
    close_breakers()


def test_koski_a_student_with_study_rights_and_one_study_right(clients):
    assert clients.koski is not None
    oppija = clients.koski.oppija(MERGED)  # Koski answers a merged OID with the master
    assert oppija is not None
    assert oppija.person.oid == MASTER
    assert [m.oid for m in oppija.merged] == [MERGED]
    assert [s.oid for s in oppija.study_rights] == ["1.2.246.562.15.20251000012"]

    one = clients.koski.study_right("1.2.246.562.15.20251000012", MASTER)
    assert one is not None
    assert one.study_rights[0].oppilaitos_oid == "1.2.246.562.10.73384616428"
    assert one.study_rights[0].latest_tila == "lasna"
    assert clients.koski.study_right("1.2.246.562.15.99999999990", MASTER) is None
    assert clients.koski.oppija("1.2.246.562.24.00000000001") is None


def test_onr_a_person_their_master_and_the_oids_merged_into_them(clients):
    assert clients.onr is not None
    person = clients.onr.person(MASTER)
    assert person is not None
    assert person.fields["last_name"] == "Korhonen"
    assert person.fields["hetu"] == "291104A953B"
    master = clients.onr.master(MERGED)
    assert master is not None
    assert master.oid == MASTER
    assert [(m.oid, m.master_oid) for m in clients.onr.merged_into(MASTER)] == [(MERGED, MASTER)]
    assert clients.onr.person("1.2.246.562.24.00000000001") is None


def test_organisaatio_one_several_and_the_parent_path(clients):
    assert clients.organisaatio is not None
    school = clients.organisaatio.organisation(SCHOOL_A)
    assert school is not None
    assert school.parent_oid == PROVIDER_A
    assert school.names is not None
    assert school.names["fi"] == "Hämeenkylän ammattiopisto"
    several = clients.organisaatio.organisations([SCHOOL_A, PROVIDER_A, "1.2.246.562.10.1"])
    assert sorted(o.oid for o in several) == sorted([SCHOOL_A, PROVIDER_A])
    assert clients.organisaatio.parent_path(SCHOOL_A) == [ROOT, PROVIDER_A]
    assert clients.organisaatio.organisation("1.2.246.562.10.99999999999") is None


def test_koodisto_and_eperusteet_names(clients):
    assert clients.koodisto is not None
    assert clients.eperusteet is not None
    code = clients.koodisto.code("osaamisenhankkimistapa_koulutussopimus")
    assert code is not None
    assert code.names == {
        "fi": "Koulutussopimus",
        "sv": "Utbildningsavtal",
        "en": "Training agreement",
    }
    listed = clients.koodisto.code_list("osaamisenhankkimistapa")
    assert "osaamisenhankkimistapa_oppisopimus" in {c.uri for c in listed}
    units = clients.eperusteet.units("tutkinnonosat_400014")
    assert units
    assert units[0].uri == "tutkinnonosat_400014"
    assert units[0].names["sv"] == "Kunnande om samhälle och arbetsliv"
    assert clients.eperusteet.units("tutkinnonosat_1") == []


@pytest.mark.parametrize(
    ("registry", "mode", "error"),
    [
        ("onr", "slow", RegistryUnavailableError),
        ("organisaatio", "500", RegistryUnavailableError),
        ("koodisto", "malformed", RegistryAnswerError),
        ("eperusteet", "missing-field", RegistryAnswerError),
        ("onr", "missing-field", RegistryAnswerError),
    ],
)
def test_a_misbehaving_registry_raises_and_names_itself(clients, stand_ins, registry, mode, error):
    stand_ins[registry].misbehave(mode)
    calls = {
        "onr": lambda: clients.onr.person(MASTER),
        "organisaatio": lambda: clients.organisaatio.organisation(SCHOOL_A),
        "koodisto": lambda: clients.koodisto.code("osaamisenhankkimistapa_oppisopimus"),
        "eperusteet": lambda: clients.eperusteet.units("tutkinnonosat_400014"),
    }
    with pytest.raises(error) as raised:
        calls[registry]()
    assert raised.value.registry == registry
    assert raised.value.retry_after >= 1


def test_the_breaker_opens_after_repeated_failures_and_spares_the_registry(clients, stand_ins):
    assert clients.organisaatio is not None
    stand_ins["organisaatio"].misbehave("500")
    for _ in range(3):
        with pytest.raises(RegistryUnavailableError):
            clients.organisaatio.organisation(SCHOOL_A)
    assert clients.organisaatio.transport.breaker_state() == "open"
    asked = stand_ins["organisaatio"].state.count()
    stand_ins["organisaatio"].misbehave("ok")
    with pytest.raises(RegistryUnavailableError) as refused:
        clients.organisaatio.organisation(SCHOOL_A)
    assert "not called" in refused.value.reason
    assert stand_ins["organisaatio"].state.count() == asked


def test_wrong_credentials_are_an_unusable_answer(stand_ins):
    wrong = {**http_settings(stand_ins), "koski_password": "not-the-password"}
    found = registries_from(Settings(development_mode=True, **wrong))
    try:
        assert found.koski is not None
        with pytest.raises(RegistryAnswerError, match="401"):
            found.koski.oppija(MASTER)
    finally:
        found.close()
        close_breakers()
