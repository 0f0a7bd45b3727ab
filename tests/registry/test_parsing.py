"""Reading registry files: shapes, line numbers, validation and what is extracted (no database)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ehoks.registry.koski import is_valid_hetu
from ehoks.registry.parsing import parse_files, read_documents
from ehoks.registry.records import RegistryFileError
from tests.registry.conftest import ORGANISATIONS, SAMPLES, STUDENTS

OPPIJA = "1.2.246.562.24.44651722625"
STUDY_RIGHT = "1.2.246.562.15.76811932045"
ORG = "1.2.246.562.10.54453921329"


def oppija(oid: str = OPPIJA, *study_rights: dict[str, Any], **henkilo: Any) -> dict[str, Any]:
    return {"henkilö": {"oid": oid, **henkilo}, "opiskeluoikeudet": list(study_rights)}


def study_right(oid: str = STUDY_RIGHT, **fields: Any) -> dict[str, Any]:
    return {"oid": oid, "tyyppi": {"koodiarvo": "ammatillinenkoulutus"}, **fields}


def write(tmp_path: Path, text: str, name: str = "data.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(*paths: Path) -> RegistryFileError:
    with pytest.raises(RegistryFileError) as caught:
        parse_files(list(paths))
    return caught.value


# --- shapes and line numbers ---------------------------------------------------------------------


def test_single_pretty_printed_document_starts_where_its_brace_is(tmp_path: Path):
    path = write(tmp_path, "\n\n" + json.dumps(oppija(), indent=2))

    assert [line for line, _ in read_documents(path)] == [3]


def test_list_elements_carry_the_line_they_start_on(tmp_path: Path):
    organisation = {"oid": ORG, "nimi": {"fi": "Opisto"}}
    text = "[\n" + json.dumps(organisation, indent=2) + ",\n\n" + json.dumps(oppija()) + "\n]\n"
    path = write(tmp_path, text)

    lines = [line for line, _ in read_documents(path)]

    assert lines == [2, 2 + len(json.dumps(organisation, indent=2).splitlines()) + 1]


def test_json_lines_use_the_line_number_and_skip_blank_lines(tmp_path: Path):
    text = json.dumps(oppija()) + "\n\n" + json.dumps(oppija("1.2.246.562.24.12312312319")) + "\n"
    path = write(tmp_path, text)

    assert [line for line, _ in read_documents(path)] == [1, 3]


def test_empty_list_holds_no_documents(tmp_path: Path):
    assert read_documents(write(tmp_path, " [ ]\n")) == []


def test_the_shared_test_data_parses():
    batch = parse_files([ORGANISATIONS, STUDENTS])

    assert len(batch.organisations) == 7
    assert len(batch.persons) == 7
    assert len(batch.study_rights) == 12
    assert [m.oid for m in batch.merged_persons] == ["1.2.246.562.24.30124551036"]


def test_real_national_samples_parse():
    batch = parse_files(
        [
            SAMPLES / "koski_api_oppija_1.2.246.562.24.44651722625.json",
            SAMPLES / "koski_api_sure_oids_1.2.246.562.24.44651722625.json",
            SAMPLES / "organisaatio-service_api_1.2.246.562.10.21122461771.json",
            SAMPLES / "organisaatio-service_api_findbyoids.json",
        ]
    )

    assert len(batch.study_rights) == 7
    assert len(batch.organisations) == 4
    # SURE documents give the henkilö with nothing but its OID.
    assert batch.persons[1].fields == {}
    # Koski leaves data out ({}): that study right still imports, with what it has.
    sparse = next(s for s in batch.study_rights if s.oid == "1.2.246.562.15.60063016194")
    assert sparse.oppilaitos_oid is None
    assert sparse.latest_tila is None
    assert sparse.suoritus_tyypit == []
    assert sparse.tutkinto_nimi["fi"] == "Sähkö- ja automaatioalan perustutkinto"


# --- errors --------------------------------------------------------------------------------------


def test_bad_json_on_line_7_of_a_pretty_document(tmp_path: Path):
    lines = json.dumps(oppija(OPPIJA, study_right()), indent=2).splitlines()
    lines[6] = lines[6].replace(":", "", 1)  # line 7: a key without its colon
    path = write(tmp_path, "\n".join(lines))

    error = error_of(path)

    assert error.line == 7
    assert error.reason.startswith("invalid JSON")
    assert str(error).startswith(f"{path}:7: invalid JSON")


def test_bad_json_on_line_7_of_json_lines(tmp_path: Path):
    good = json.dumps(oppija())
    path = write(tmp_path, "\n".join([good] * 6 + ['{"henkilö": ']) + "\n" + good + "\n")

    assert error_of(path).line == 7


def test_bad_json_inside_a_list_reports_its_line(tmp_path: Path):
    path = write(tmp_path, '[\n{"oid": "1.2.246.562.10.54453921329", "nimi": {}},\n{"oid": }\n]')

    assert error_of(path).line == 3


def test_missing_comma_between_list_elements(tmp_path: Path):
    path = write(tmp_path, '[\n{"oid": "1.2.246.562.10.54453921329", "nimi": {}}\n\n{}\n]')

    error = error_of(path)

    assert (error.line, error.reason) == (4, "invalid JSON: expected ',' or ']' in the list")


def test_invalid_oid_on_line_3_of_a_list(tmp_path: Path):
    bad = oppija("1.2.246.562.24.44651722626")  # wrong IBM check digit
    path = write(tmp_path, "[\n" + json.dumps(oppija()) + ",\n" + json.dumps(bad) + "\n]\n")

    error = error_of(path)

    assert error.line == 3
    assert "henkilö.oid" in error.reason
    assert "1.2.246.562.24.44651722626" in error.reason


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"foo": 1}, "unknown document"),
        ({"oid": "1.2.246.562.10.54453921329"}, "unknown document"),  # an OID alone says nothing
        ([1, 2], "expected a JSON object, found a list"),
        ("text", "expected a JSON object, found a string"),
        (study_right(), "a study right without its student"),
        ({"henkilö": [], "opiskeluoikeudet": []}, "henkilö: expected an object"),
        ({"henkilö": {"oid": OPPIJA}, "opiskeluoikeudet": {}}, "opiskeluoikeudet: expected a list"),
    ],
)
def test_documents_that_are_not_registry_documents(tmp_path: Path, document: Any, expected: str):
    path = write(tmp_path, json.dumps([document]))

    error = error_of(path)

    assert error.line == 1
    assert expected in error.reason


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (oppija(OPPIJA, study_right("1.2.246.562.15.123")), "opiskeluoikeudet[0].oid"),
        (oppija(OPPIJA, {"oid": STUDY_RIGHT}), "opiskeluoikeudet[0].tyyppi.koodiarvo: missing"),
        (oppija(OPPIJA, study_right(alkamispäivä="1.1.2017")), "alkamispäivä"),
        (oppija(OPPIJA, study_right(päättymispäivä="2017-02-30")), "päättymispäivä"),
        (oppija(OPPIJA, study_right(oppilaitos={"oid": "1.2.3"})), "oppilaitos.oid"),
        (
            oppija(OPPIJA, study_right(sisältyyOpiskeluoikeuteen={"oid": "x"})),
            "sisältyyOpiskeluoikeuteen.oid",
        ),
        (
            oppija(OPPIJA, study_right(tila={"opiskeluoikeusjaksot": [{"tila": {}}]})),
            "opiskeluoikeusjaksot[0].alku: missing",
        ),
        (oppija(OPPIJA, hetu="140305A9425"), "henkilö.hetu"),
        (oppija(OPPIJA, turvakielto="ei"), "henkilö.turvakielto"),
        (oppija(OPPIJA, kaikkiOidit=["1.2.246.562.24.1"]), "henkilö.kaikkiOidit"),
        (oppija(OPPIJA, syntymäaika="2005-13-01"), "henkilö.syntymäaika"),
        ({"oid": "1.2.246.562.10.5445392132", "nimi": {}}, "oid"),
        ({"oid": ORG, "parentOid": "1.2.246.562.10.1"}, "parentOid"),
        ({"oid": ORG, "parentOidPath": "|1.2.246.562.10.x|"}, "parentOidPath"),
        ({"oid": ORG, "tyypit": "organisaatiotyyppi_02"}, "tyypit"),
    ],
)
def test_invalid_fields_are_named_in_the_reason(tmp_path: Path, document: Any, expected: str):
    path = write(tmp_path, "\n" + json.dumps(document))

    error = error_of(path)

    assert error.line == 2
    assert expected in error.reason


def test_koski_study_right_oids_need_the_pattern_not_the_checksum(tmp_path: Path):
    # Koski's own data holds such OIDs (see the national samples); the HOKS API checks checksums.
    path = write(tmp_path, json.dumps(oppija(OPPIJA, study_right("1.2.246.562.15.76811932038"))))

    assert [s.oid for s in parse_files([path]).study_rights] == ["1.2.246.562.15.76811932038"]


def test_file_level_errors_have_no_line(tmp_path: Path):
    missing = tmp_path / "missing.json"
    assert (error_of(missing).line, error_of(missing).reason) == (None, "no such file")
    assert str(error_of(missing)) == f"{missing}: no such file"
    assert error_of(tmp_path).reason == "is a directory, not a file"
    assert error_of(write(tmp_path, " \n\n")).reason == "the file holds no JSON document"


def test_non_utf8_and_non_json_constants_are_rejected(tmp_path: Path):
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes(b'[\n{"oid": "x"},\n{"nimi": "\xe4"}\n]')
    assert error_of(latin1).line == 3
    assert error_of(latin1).reason == "the file is not UTF-8 text"

    nan = write(tmp_path, '{"oid": "1.2.246.562.10.54453921329", "nimi": NaN}')
    assert "NaN is not JSON" in error_of(nan).reason


def test_text_after_a_single_document_is_rejected(tmp_path: Path):
    path = write(tmp_path, json.dumps(oppija(), indent=2) + "\n\nx")

    error = error_of(path)

    assert error.reason == "unexpected text after the JSON document"


def test_a_later_file_error_rejects_the_whole_run(tmp_path: Path):
    bad = write(tmp_path, "{}", "bad.json")

    error = error_of(ORGANISATIONS, STUDENTS, bad)

    assert error.path == bad


# --- what is extracted ---------------------------------------------------------------------------


def _one_study_right(tmp_path: Path, **fields: Any) -> Any:
    path = write(tmp_path, json.dumps(oppija(OPPIJA, study_right(**fields))))
    return parse_files([path]).study_rights[0]


def test_latest_tila_is_the_jakso_with_the_greatest_alku(tmp_path: Path):
    jaksot = [
        {"alku": "2021-03-15", "tila": {"koodiarvo": "eronnut"}},
        {"alku": "2019-08-01", "tila": {"koodiarvo": "lasna"}},
    ]
    record = _one_study_right(tmp_path, tila={"opiskeluoikeusjaksot": jaksot})

    assert record.latest_tila == "eronnut"


def test_tutkinto_comes_from_the_main_suoritus_and_osaamisala_from_it(tmp_path: Path):
    def suoritus(tyyppi: str, nimi: str, osaamisala: str | None = None) -> dict[str, Any]:
        result: dict[str, Any] = {
            "tyyppi": {"koodiarvo": tyyppi},
            "koulutusmoduuli": {"tunniste": {"nimi": {"fi": nimi, "xx": "dropped"}}},
        }
        if osaamisala:
            result["osaamisala"] = [{"osaamisala": {"nimi": {"fi": osaamisala, "sv": "S"}}}]
        return result

    suoritukset = [
        suoritus("muukuinsaanneltykoulutus", "Muu"),
        suoritus("telma", "TELMA", "Ala"),
    ]
    record = _one_study_right(tmp_path, suoritukset=suoritukset)

    assert record.suoritus_tyypit == ["muukuinsaanneltykoulutus", "telma"]
    assert record.tutkinto_nimi == {"fi": "TELMA"}
    assert record.osaamisala_nimi == {"fi": "Ala", "sv": "S"}


def test_students_file_extracts_dates_organisations_and_procurement():
    batch = parse_files([STUDENTS])
    by_oid = {s.oid: s for s in batch.study_rights}

    first = by_oid[STUDY_RIGHT]
    assert (first.alkamispaiva, first.arvioitu_paattymispaiva) == (
        date(2017, 1, 1),
        date(2029, 12, 31),
    )
    assert (first.oppilaitos_oid, first.koulutustoimija_oid) == (
        ORG,
        "1.2.246.562.10.53642770753",
    )
    assert first.latest_tila == "lasna"
    assert first.tutkinto_nimi["en"].startswith("Vocational Qualification in Information")
    assert first.document["oid"] == STUDY_RIGHT

    procured = by_oid["1.2.246.562.15.20251000046"]
    assert procured.contained_in_oid == "1.2.246.562.15.20251000038"
    assert procured.contained_in_oppilaitos_oid == ORG

    resigned = by_oid["1.2.246.562.15.20251000061"]
    assert (resigned.latest_tila, resigned.paattymispaiva) == ("eronnut", date(2021, 3, 15))
    assert by_oid["1.2.246.562.15.76811942028"].tyyppi == "tuva"
    assert by_oid["1.2.246.562.15.20251000053"].suoritus_tyypit == ["telma"]
    assert by_oid["1.2.246.562.15.20251000020"].tyyppi == "perusopetus"


def test_person_fields_are_only_those_the_document_gives(tmp_path: Path):
    path = write(
        tmp_path,
        json.dumps(oppija(OPPIJA, etunimet="Matti Juhani", turvakielto=True, hetu="140305A9424")),
    )

    person = parse_files([path]).persons[0]

    assert person.fields == {
        "first_names": "Matti Juhani",
        "protection_order": True,
        "hetu": "140305A9424",
    }


@pytest.mark.parametrize(
    "hetu",
    [
        "250103-5360",  # the national sample
        "140305A9424",
        "010100Y900F",  # the extra century signs of 2023
    ],
)
def test_valid_hetu(hetu: str):
    assert is_valid_hetu(hetu)


@pytest.mark.parametrize(
    "hetu",
    [
        "140305A9425",  # wrong check character
        "310205A9424",  # no 31 February
        "140305Z9424",  # no such century sign
        "140305A942",
    ],
)
def test_invalid_hetu(hetu: str):
    assert not is_valid_hetu(hetu)
