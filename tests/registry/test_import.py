"""Importing registry files into the database (every test runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from ehoks.registry import repository
from ehoks.registry.models import Organisation, Person, StudyRight
from ehoks.registry.records import RegistryFileError
from tests.registry.conftest import ORGANISATIONS, SAMPLES, STUDENTS, Importer

ROOT = "1.2.246.562.10.00000000001"
PROVIDER_A = "1.2.246.562.10.53642770753"
OPPILAITOS_A1 = "1.2.246.562.10.54453921329"
TOIMIPISTE_A1 = "1.2.246.562.10.47213582301"
CITY = "1.2.246.562.10.69154219878"
CITY_SCHOOL = "1.2.246.562.10.39412873527"
MATTI = "1.2.246.562.24.44651722625"
VILLE = "1.2.246.562.24.30124551023"
VILLE_DUPLICATE = "1.2.246.562.24.30124551036"


def counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Organisation)) or 0,
        session.scalar(select(func.count()).select_from(Person)) or 0,
        session.scalar(select(func.count()).select_from(StudyRight)) or 0,
    )


def snapshot(session: Session) -> dict[str, Any]:
    session.expire_all()
    rows: dict[str, Any] = {}
    for model in (Organisation, Person, StudyRight):
        for row in session.scalars(select(model)):
            rows[row.oid] = (row.updated_at, row.content_hash)
    session.rollback()
    return rows


@pytest.fixture
def updates(db: Engine) -> Iterator[list[str]]:
    """Every UPDATE statement the database receives during the test."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            seen.append(statement)

    event.listen(db, "before_cursor_execute", record)
    yield seen
    event.remove(db, "before_cursor_execute", record)


def write(tmp_path: Path, documents: list[Any], name: str = "extra.json") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents))
    return path


def test_importing_the_test_data(run_import: Importer, session: Session):
    report = run_import(ORGANISATIONS, STUDENTS)

    assert report.summary_lines() == [
        "organisations: 9 inserted, 0 updated, 0 unchanged",
        "persons: 8 inserted, 0 updated, 0 unchanged",
        "study rights: 12 inserted, 0 updated, 0 unchanged",
    ]
    matti = repository.get_person(session, MATTI)
    assert matti is not None
    assert (matti.first_names, matti.calling_name, matti.last_name) == (
        "Matti Juhani",
        "Matti",
        "Meikäläinen",
    )
    assert (matti.hetu, matti.birth_date, matti.protection_order) == (
        "140305A9424",
        date(2005, 3, 14),
        False,
    )
    study_right = repository.get_study_right(session, "1.2.246.562.15.10000000009")
    assert study_right is not None
    assert study_right.oppija_oid == "1.2.246.562.24.12312312319"
    assert (study_right.oppilaitos_oid, study_right.koulutustoimija_oid) == (
        OPPILAITOS_A1,
        PROVIDER_A,
    )
    assert study_right.alkamispaiva == date(2017, 1, 1)
    assert study_right.arvioitu_paattymispaiva == date(2029, 12, 31)
    assert study_right.latest_tila == "lasna"
    assert study_right.osaamisala_nimi["fi"] == "Lähihoidon osaamisala"
    assert study_right.document["suoritukset"][0]["tyyppi"]["koodiarvo"] == "ammatillinentutkinto"
    procured = repository.get_study_right(session, "1.2.246.562.15.20251000046")
    assert procured is not None
    assert (procured.contained_in_oid, procured.contained_in_oppilaitos_oid) == (
        "1.2.246.562.15.20251000038",
        OPPILAITOS_A1,
    )


def test_every_hoks_example_finds_its_study_right(run_import: Importer, session: Session):
    run_import(ORGANISATIONS, STUDENTS)
    examples = Path(__file__).parent.parent / "data" / "examples"

    for example in sorted(examples.glob("*.json")):
        hoks = json.loads(example.read_text())
        study_right = repository.get_study_right(session, hoks["opiskeluoikeus-oid"])
        assert study_right is not None, example.name
        assert study_right.oppija_oid == hoks["oppija-oid"], example.name
        assert study_right.tyyppi in {"ammatillinenkoulutus", "tuva"}, example.name
        assert study_right.latest_tila == "lasna", example.name


def test_reimport_changes_nothing(run_import: Importer, session: Session, updates: list[str]):
    run_import(ORGANISATIONS, STUDENTS)
    before = snapshot(session)
    updates.clear()

    # The same files again, in another order and with one of them twice.
    report = run_import(STUDENTS, ORGANISATIONS, STUDENTS)

    assert report.summary_lines() == [
        "organisations: 0 inserted, 0 updated, 9 unchanged",
        "persons: 0 inserted, 0 updated, 8 unchanged",
        "study rights: 0 inserted, 0 updated, 12 unchanged",
    ]
    assert not report.changed
    assert updates == []
    assert snapshot(session) == before


def test_changed_data_updates_only_the_rows_that_changed(
    run_import: Importer, session: Session, tmp_path: Path, updates: list[str]
):
    run_import(ORGANISATIONS, STUDENTS)
    before = snapshot(session)
    updates.clear()
    lines = STUDENTS.read_text(encoding="utf-8").splitlines()
    document = json.loads(lines[6])  # Eetu: change the study right's expected end
    document["opiskeluoikeudet"][0]["arvioituPäättymispäivä"] = "2022-06-30"
    changed = write(tmp_path, [document])

    report = run_import(changed)

    assert str(report.study_rights) == "0 inserted, 1 updated, 0 unchanged"
    assert str(report.persons) == "0 inserted, 0 updated, 1 unchanged"
    assert str(report.organisations) == "0 inserted, 0 updated, 0 unchanged"  # known for real
    after = snapshot(session)
    differing = {oid for oid in before if before[oid] != after[oid]}
    assert differing == {"1.2.246.562.15.20251000061"}
    assert len(updates) == 1
    study_right = repository.get_study_right(session, "1.2.246.562.15.20251000061")
    assert study_right is not None
    assert study_right.arvioitu_paattymispaiva == date(2022, 6, 30)


def test_a_bad_file_rejects_the_whole_run(run_import: Importer, session: Session, tmp_path: Path):
    bad = tmp_path / "bad.json"
    good = json.dumps({"oid": ROOT, "nimi": {"fi": "OPH"}})
    bad.write_text("[\n" + good + ",\n" + '{"oid": "1.2.246.562.10.1", "nimi": {}}' + "\n]\n")

    with pytest.raises(RegistryFileError) as caught:
        run_import(ORGANISATIONS, STUDENTS, bad)

    assert (caught.value.path, caught.value.line) == (bad, 3)
    assert counts(session) == (0, 0, 0)


def test_a_bad_file_leaves_earlier_imports_untouched(
    run_import: Importer, session: Session, tmp_path: Path
):
    run_import(ORGANISATIONS, STUDENTS)
    before = snapshot(session)
    document = json.loads(STUDENTS.read_text(encoding="utf-8").splitlines()[0])
    document["henkilö"]["sukunimi"] = "Muutettu"
    unknown = {"kind": "something else"}

    with pytest.raises(RegistryFileError) as caught:
        run_import(write(tmp_path, [document, unknown]))

    assert caught.value.line == 2
    assert "unknown document" in caught.value.reason
    assert snapshot(session) == before


def test_provisional_organisations_come_from_study_rights(run_import: Importer, session: Session):
    run_import(STUDENTS)

    school = repository.get_organisation(session, CITY_SCHOOL)
    city = repository.get_organisation(session, CITY)
    assert school is not None
    assert city is not None
    assert (school.provisional, city.provisional) == (True, True)
    assert school.names["fi"] == "Hämeenkylän yhtenäiskoulu"
    assert (school.parent_oid, city.parent_oid) == (CITY, ROOT)
    assert repository.organisation_ancestors(session, CITY_SCHOOL) == [ROOT, CITY]
    assert repository.organisation_ancestors(session, CITY) == [ROOT]


def test_organisation_documents_replace_provisional_rows(run_import: Importer, session: Session):
    run_import(STUDENTS)
    provisional = repository.get_organisation(session, OPPILAITOS_A1)
    assert provisional is not None
    assert provisional.provisional
    session.rollback()

    report = run_import(ORGANISATIONS)

    assert str(report.organisations) == "2 inserted, 5 updated, 0 unchanged"
    session.expire_all()
    replaced = repository.get_organisation(session, OPPILAITOS_A1)
    assert replaced is not None
    assert not replaced.provisional
    assert replaced.types == ["organisaatiotyyppi_02"]


def test_study_rights_never_overwrite_organisation_documents(
    run_import: Importer, session: Session, tmp_path: Path
):
    run_import(ORGANISATIONS)
    document = json.loads(STUDENTS.read_text(encoding="utf-8").splitlines()[0])
    document["opiskeluoikeudet"][0]["oppilaitos"]["nimi"] = {"fi": "Väärä nimi"}

    report = run_import(write(tmp_path, [document]))

    assert str(report.organisations) == "0 inserted, 0 updated, 0 unchanged"
    organisation = repository.get_organisation(session, OPPILAITOS_A1)
    assert organisation is not None
    assert organisation.names["fi"] == "Hämeenkylän ammattiopisto"
    assert not organisation.provisional


def test_ancestors_nearest_last(run_import: Importer, session: Session):
    run_import(ORGANISATIONS)

    assert repository.organisation_ancestors(session, TOIMIPISTE_A1) == [
        ROOT,
        PROVIDER_A,
        OPPILAITOS_A1,
    ]
    assert repository.organisation_ancestors(session, ROOT) == []
    assert repository.organisation_ancestors(session, "1.2.246.562.10.99999999999") == []


def test_parent_path_is_derived_when_only_parent_oid_is_given(
    run_import: Importer, session: Session, tmp_path: Path
):
    run_import(ORGANISATIONS)
    unit = "1.2.246.562.10.11122233344"
    sub_unit = "1.2.246.562.10.11122233355"
    # The child comes before its parent in the file: order does not matter within a run.
    path = write(
        tmp_path,
        [
            {"oid": sub_unit, "nimi": {"fi": "Alayksikkö"}, "parentOid": unit},
            {"oid": unit, "nimi": {"fi": "Yksikkö"}, "parentOid": TOIMIPISTE_A1},
        ],
    )

    run_import(path)

    assert repository.organisation_ancestors(session, sub_unit) == [
        ROOT,
        PROVIDER_A,
        OPPILAITOS_A1,
        TOIMIPISTE_A1,
        unit,
    ]


def test_merged_person_oids_point_at_their_master(run_import: Importer, session: Session):
    run_import(STUDENTS)

    duplicate = repository.get_person(session, VILLE_DUPLICATE)
    assert duplicate is not None
    assert duplicate.master_oid == VILLE
    assert duplicate.hetu is None
    assert repository.master_oid_of(session, VILLE_DUPLICATE) == VILLE
    assert repository.master_oid_of(session, VILLE) == VILLE
    assert repository.master_oid_of(session, "1.2.246.562.24.99999999990") is None


def test_a_person_merged_later_gives_up_hetu_and_keeps_names(
    run_import: Importer, session: Session, tmp_path: Path
):
    run_import(STUDENTS)
    eetu = "1.2.246.562.24.30124551078"
    # The register merges Eetu into Matti, who now owns Eetu's hetu as well.
    path = write(
        tmp_path,
        [
            {
                "henkilö": {"oid": MATTI, "hetu": "300902A979P", "kaikkiOidit": [MATTI, eetu]},
                "opiskeluoikeudet": [],
            }
        ],
    )

    report = run_import(path)

    assert str(report.persons) == "0 inserted, 2 updated, 0 unchanged"
    session.expire_all()
    merged = repository.get_person(session, eetu)
    master = repository.get_person(session, MATTI)
    assert merged is not None
    assert master is not None
    assert (merged.master_oid, merged.hetu, merged.first_names) == (MATTI, None, "Eetu Kalevi")
    assert (master.hetu, master.first_names) == ("300902A979P", "Matti Juhani")
    assert repository.master_oid_of(session, eetu) == MATTI
    # Eetu's study right stays recorded under the OID Koski gave it.
    assert [s.oid for s in repository.study_rights_of_person(session, eetu)] == [
        "1.2.246.562.15.20251000061"
    ]


def test_merge_chains_are_followed(run_import: Importer, session: Session, tmp_path: Path):
    first, second, third = MATTI, VILLE, "1.2.246.562.24.30124551049"
    path = write(
        tmp_path,
        [
            {"henkilö": {"oid": second, "kaikkiOidit": [first]}, "opiskeluoikeudet": []},
            {"henkilö": {"oid": third, "linkitetytOidit": [second]}, "opiskeluoikeudet": []},
        ],
    )

    run_import(path)

    assert repository.master_oid_of(session, first) == third


def test_a_hetu_held_by_another_person_is_rejected(
    run_import: Importer, session: Session, tmp_path: Path
):
    run_import(STUDENTS)
    path = write(
        tmp_path,
        [
            {"henkilö": {"oid": "1.2.246.562.24.30124551094"}, "opiskeluoikeudet": []},
            {
                "henkilö": {"oid": "1.2.246.562.24.12312312319", "hetu": "140305A9424"},
                "opiskeluoikeudet": [],
            },
        ],
    )

    with pytest.raises(RegistryFileError) as caught:
        run_import(path)

    assert caught.value.line == 2
    assert MATTI in caught.value.reason
    assert repository.get_person(session, "1.2.246.562.24.30124551094") is None


def test_the_same_hetu_twice_in_a_run_is_rejected(run_import: Importer, tmp_path: Path):
    path = write(
        tmp_path,
        [
            {"henkilö": {"oid": MATTI, "hetu": "140305A9424"}, "opiskeluoikeudet": []},
            {"henkilö": {"oid": VILLE, "hetu": "140305A9424"}, "opiskeluoikeudet": []},
        ],
    )

    with pytest.raises(RegistryFileError) as caught:
        run_import(path)

    assert caught.value.line == 2


def test_study_rights_of_a_person_oldest_first(run_import: Importer, session: Session):
    run_import(STUDENTS)

    juho = [s.oid for s in repository.study_rights_of_person(session, "1.2.246.562.24.30124551052")]

    assert juho == ["1.2.246.562.15.20251000038", "1.2.246.562.15.20251000046"]
    assert repository.study_rights_of_person(session, VILLE_DUPLICATE) == []


def test_a_later_document_in_the_run_wins(run_import: Importer, session: Session, tmp_path: Path):
    first = {"oid": ROOT, "nimi": {"fi": "Ensin"}, "tyypit": ["organisaatiotyyppi_05"]}
    later = {"oid": ROOT, "nimi": {"fi": "Sitten"}}
    path = write(tmp_path, [first, later])

    report = run_import(path)

    assert str(report.organisations) == "1 inserted, 0 updated, 0 unchanged"
    root = repository.get_organisation(session, ROOT)
    assert root is not None
    assert (root.names, root.types) == ({"fi": "Sitten"}, ["organisaatiotyyppi_05"])


def test_real_national_samples_import(run_import: Importer, session: Session):
    files = [
        SAMPLES / "organisaatio-service_api_1.2.246.562.10.21122461771.json",
        SAMPLES / "organisaatio-service_api_findbyoids.json",
        SAMPLES / "koski_api_oppija_1.2.246.562.24.44651722625.json",
        SAMPLES / "koski_api_sure_oids_1.2.246.562.24.44651722625.json",
    ]

    first = run_import(*files)
    again = run_import(*files)

    assert first.changed
    assert not again.changed
    person = repository.get_person(session, MATTI)
    assert person is not None
    # The SURE document (OID only) does not erase what the oppija document said.
    assert (person.first_names, person.hetu) == ("Aarto Maurits", "250103-5360")
    assert repository.organisation_ancestors(session, "1.2.246.562.10.21122461771") == [
        ROOT,
        "1.2.246.562.10.63964626889",
        "1.2.246.562.10.84189747029",
    ]
    study_rights = repository.study_rights_of_person(session, MATTI)
    assert len(study_rights) == 6
    sparse = repository.get_study_right(session, "1.2.246.562.15.60063016194")
    assert sparse is not None
    assert sparse.document["oppilaitos"] == {}
