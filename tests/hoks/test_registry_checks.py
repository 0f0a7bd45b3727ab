"""The write checks against the registries (ehoks-api.md 5.1), through the provider API."""

from __future__ import annotations

import pytest

from tests.support.api import fresh_example, load_registry, make_caller, violations

A_SCHOOL = "1.2.246.562.10.54453921329"
CITY = "1.2.246.562.10.69154219878"
PROVIDER_A = "1.2.246.562.10.53642770753"
MATTI = "1.2.246.562.24.44651722625"
MAIJA = "1.2.246.562.24.12312312319"
VILLE = "1.2.246.562.24.30124551023"
VILLE_MERGED = "1.2.246.562.24.30124551036"


@pytest.fixture
def provider_a(http, session_factory):
    load_registry(session_factory)
    return make_caller(http, session_factory, PROVIDER_A)


def minimal(study_right: str, oppija: str) -> dict:
    return {
        "oppija-oid": oppija,
        "opiskeluoikeus-oid": study_right,
        "ensikertainen-hyvaksyminen": "2024-08-20",
        "osaamisen-hankkimisen-tarve": True,
    }


def test_unknown_study_right_is_refused_like_a_foreign_one(provider_a):
    response = provider_a.post("/hoks", minimal("1.2.246.562.15.99999999990", MAIJA))
    assert response.status_code == 403
    assert response.json()["code"] == "study_right_forbidden"


def test_study_right_of_another_student(provider_a):
    response = provider_a.post("/hoks", minimal("1.2.246.562.15.10000000009", MATTI))
    assert violations(response) == [("study_right_not_of_student", "/oppija-oid")]


def test_unknown_student_is_reported_like_another_student(provider_a):
    response = provider_a.post(
        "/hoks", minimal("1.2.246.562.15.10000000009", "1.2.246.562.24.99999999990")
    )
    assert violations(response) == [("study_right_not_of_student", "/oppija-oid")]


def test_validation_with_a_read_token_tells_nothing_about_other_providers(http, session_factory):
    """A read-only token cannot tell a person or study right of another provider from one that
    does not exist: the answers are the same, but for the OIDs echoed back."""
    load_registry(session_factory)
    reader = make_caller(http, session_factory, PROVIDER_A, access="read")
    own_study_right = "1.2.246.562.15.10000000009"  # Maija's, at A
    elsewhere = reader.post("/validointi", minimal(own_study_right, VILLE))  # Ville studies at B
    nobody = reader.post("/validointi", minimal(own_study_right, "1.2.246.562.24.99999999990"))
    assert elsewhere.status_code == nobody.status_code == 400
    assert [v["code"] for v in elsewhere.json()["violations"]] == ["study_right_not_of_student"]
    assert [v["code"] for v in nobody.json()["violations"]] == ["study_right_not_of_student"]

    foreign = reader.post("/validointi", minimal("1.2.246.562.15.20251000012", VILLE))  # at B
    missing = reader.post("/validointi", minimal("1.2.246.562.15.99999999990", VILLE))
    assert foreign.status_code == missing.status_code == 403
    assert foreign.json()["code"] == missing.json()["code"] == "study_right_forbidden"
    assert foreign.json().keys() == missing.json().keys()


def test_wrong_study_right_type(http, session_factory):
    load_registry(session_factory)
    city = make_caller(http, session_factory, CITY)
    response = city.post(
        "/hoks", minimal("1.2.246.562.15.20251000020", "1.2.246.562.24.30124551049")
    )
    assert violations(response) == [("study_right_type_not_allowed", "/opiskeluoikeus-oid")]


def test_contained_study_right(http, session_factory):
    load_registry(session_factory)
    provider_b = make_caller(http, session_factory, "1.2.246.562.10.81927839314")
    response = provider_b.post(
        "/hoks", minimal("1.2.246.562.15.20251000046", "1.2.246.562.24.30124551052")
    )
    assert violations(response) == [("study_right_contained", "/opiskeluoikeus-oid")]


def test_one_hoks_per_study_right(provider_a):
    document = fresh_example("hoks-full.json")
    first = provider_a.post("/hoks", document)
    assert first.status_code == 200
    second = provider_a.post("/hoks", document)
    assert second.status_code == 400
    assert second.json()["code"] == "hoks_exists"


def test_study_right_and_student_cannot_change(provider_a):
    hoks_id = provider_a.post("/hoks", fresh_example("hoks-full.json")).json()["meta"]["id"]
    moved = provider_a.patch(
        f"/hoks/{hoks_id}", {"id": hoks_id, "opiskeluoikeus-oid": "1.2.246.562.15.76811932045"}
    )
    assert violations(moved) == [("study_right_immutable", "/opiskeluoikeus-oid")]
    other_student = provider_a.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "oppija-oid": MATTI})
    assert violations(other_student) == [("student_immutable", "/oppija-oid")]
    same = provider_a.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "oppija-oid": MAIJA})
    assert same.status_code == 204


def test_student_may_change_to_the_master_oid(http, session_factory):
    load_registry(session_factory)
    provider_b = make_caller(http, session_factory, "1.2.246.562.10.81927839314")
    document = minimal("1.2.246.562.15.20251000012", VILLE_MERGED)
    created = provider_b.post("/hoks", document)
    assert created.status_code == 200, created.text  # the merged OID is the same person
    hoks_id = created.json()["meta"]["id"]
    assert (
        provider_b.patch(f"/hoks/{hoks_id}", {"id": hoks_id, "oppija-oid": VILLE}).status_code
        == 204
    )
    assert provider_b.get(f"/hoks/{hoks_id}").json()["data"]["oppija-oid"] == VILLE


def test_periods_must_fit_the_study_right(provider_a):
    document = fresh_example("hoks-full.json")
    period = document["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    period["alku"] = "2016-12-31"  # the study right starts 2017-01-01
    response = provider_a.post("/hoks", document)
    assert violations(response) == [
        (
            "period_starts_before_study_right",
            "/hankittavat-ammat-tutkinnon-osat/0/osaamisen-hankkimistavat/0/alku",
        )
    ]


def test_tuva_rules_use_the_registry(provider_a):
    document = fresh_example("hoks_tuva.json")
    document["opiskeluoikeus-oid"] = "1.2.246.562.15.76811932045"  # an ammatillinen study right
    response = provider_a.post("/hoks", document)
    assert violations(response) == [
        ("training_part_requires_tuva", "/hankittavat-koulutuksen-osat/0"),
        ("training_part_requires_tuva", "/hankittavat-koulutuksen-osat/1"),
    ]
