"""Importing code names: koodisto code elements and ePerusteet tutkinnon osat (both databases)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ehoks.registry.models import CodeName
from ehoks.registry.parsing import parse_files
from ehoks.registry.records import RegistryFileError
from tests.registry.conftest import DATA, ORGANISATIONS, SAMPLES, STUDENTS, Importer

CODES = DATA / "codes.json"
URASUUNNITELMA = SAMPLES / "koodisto-service_rest_json_urasuunnitelma_koodi.json"
TUTKINNONOSA_100031 = SAMPLES / "koodisto-service_rest_codeelement_tutkinnonosat__100031.json"
RAVINTOLAKOKKI = SAMPLES / "rest_codeelement_ravintolakokinatjarjestys__4_2.json"
EPERUSTEET_PAGE = SAMPLES / "eperusteet-service_api_tutkinnonosat.json"
EPERUSTEET_400014 = SAMPLES / "eperusteet-service_api_tutkinnonosat_400014.json"
NATIONAL_CODE_SAMPLES = (
    URASUUNNITELMA,
    TUTKINNONOSA_100031,
    RAVINTOLAKOKKI,
    EPERUSTEET_PAGE,
    EPERUSTEET_400014,
)


def stored(session: Session) -> dict[str, dict[str, Any]]:
    session.expire_all()
    names = {row.uri: dict(row.names) for row in session.scalars(select(CodeName))}
    session.rollback()
    return names


def timestamps(session: Session) -> dict[str, Any]:
    session.expire_all()
    rows = {
        row.uri: (row.updated_at, row.content_hash) for row in session.scalars(select(CodeName))
    }
    session.rollback()
    return rows


def koodi(uri: str, versio: int = 1, **names: str) -> dict[str, Any]:
    return {
        "koodiUri": uri,
        "koodiArvo": uri.split("_", 1)[1],
        "versio": versio,
        "metadata": [{"kieli": lang.upper(), "nimi": text} for lang, text in names.items()],
    }


def write(tmp_path: Path, documents: list[Any], name: str = "codes.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents))
    return path


def test_national_koodisto_and_eperusteet_samples_import(run_import: Importer, session: Session):
    report = run_import(*NATIONAL_CODE_SAMPLES)

    names = stored(session)
    assert names["urasuunnitelma_0001"] == {"fi": "Jatko-opinnot", "sv": "Fortsatta studier"}
    assert names["urasuunnitelma_0005"] == {"fi": "Opintojen jatkaminen"}
    assert names["tutkinnonosat_100031"] == {
        "fi": "Moottorin ja voimansiirron huolto ja korjaus",
        "sv": "Motor- och transmissionsservice och -reparation",
    }
    assert names["ravintolakokinatjarjestys_4"] == {"fi": "Fine dining ‑ruoanvalmistus"}
    # ePerusteet: the unit, and the osa-alue codes inside it.
    assert names["tutkinnonosat_100054"] == {
        "fi": "Elintarviketuotannossa toimiminen",
        "sv": "Arbete inom livsmedelsproduktion",
    }
    assert names["tutkinnonosat_400014"] == {
        "fi": "Yhteiskunta- ja työelämäosaaminen",
        "sv": "Kunnande om samhälle och arbetsliv",
        "en": "Citizenship and working life competence",
    }
    assert names["ammatillisenoppiaineet_ytyk"]["en"] == (
        "Operating as a member of society and a citizen"
    )
    assert len(names) == 5 + 1 + 1 + 1 + 1 + 6
    assert report.summary_lines()[-1] == f"codes: {len(names)} inserted, 0 updated, 0 unchanged"
    assert report.changed


def test_reimport_changes_nothing(run_import: Importer, session: Session):
    run_import(CODES, *NATIONAL_CODE_SAMPLES)
    before = timestamps(session)

    report = run_import(*reversed(NATIONAL_CODE_SAMPLES), CODES)

    assert timestamps(session) == before
    assert report.codes.inserted == report.codes.updated == 0
    assert report.codes.unchanged == len(before)
    assert not report.changed


def test_a_changed_name_is_updated(run_import: Importer, session: Session, tmp_path: Path):
    run_import(CODES)
    renamed = write(tmp_path, [koodi("urasuunnitelma_0001", fi="Jatko-opinnot", en="Studies")])

    report = run_import(renamed)

    assert (report.codes.inserted, report.codes.updated) == (0, 1)
    # The document gives every name it has: Swedish is gone with it.
    assert stored(session)["urasuunnitelma_0001"] == {"fi": "Jatko-opinnot", "en": "Studies"}


def test_without_code_documents_there_is_no_codes_line(run_import: Importer):
    report = run_import(ORGANISATIONS, STUDENTS)

    assert len(report.summary_lines()) == 3
    assert report.codes.inserted == 0


def test_a_higher_koodisto_version_wins_within_a_run(
    tmp_path: Path, run_import: Importer, session: Session
):
    path = write(
        tmp_path,
        [
            koodi("urasuunnitelma_0009", versio=3, fi="Uusi"),
            koodi("urasuunnitelma_0009", versio=2, fi="Vanha", sv="Gammal"),
        ],
    )

    run_import(path)

    # The lower version does not replace the name, but fills the language the winner lacks.
    assert stored(session)["urasuunnitelma_0009"] == {"fi": "Uusi", "sv": "Gammal"}


def test_code_documents_mix_with_registry_documents(
    tmp_path: Path, run_import: Importer, session: Session
):
    organisation = json.loads(ORGANISATIONS.read_text(encoding="utf-8"))[0]
    path = write(tmp_path, [organisation, koodi("oppisopimuksenperusta_01", fi="Työsopimus")])

    report = run_import(path)

    assert report.organisations.inserted == 1
    assert report.codes.inserted == 1


def test_a_single_eperusteet_unit_and_a_list_of_code_elements(tmp_path: Path):
    page = json.loads(EPERUSTEET_PAGE.read_text(encoding="utf-8"))
    single = tmp_path / "unit.json"
    single.write_text(json.dumps(page["data"][0], indent=2))
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps([koodi("a_1", fi="A"), koodi("b_2", sv="B")], indent=2))

    batch = parse_files([single, listed])

    assert [(c.uri, c.names, c.source.line) for c in batch.codes] == [
        ("tutkinnonosat_100054", page["data"][0]["koodi"]["nimi"], 1),
        ("a_1", {"fi": "A"}, 2),
        ("b_2", {"sv": "B"}, 13),
    ]


# --- malformed documents -------------------------------------------------------------------------


def error_of(*paths: Path) -> RegistryFileError:
    with pytest.raises(RegistryFileError) as caught:
        parse_files(list(paths))
    return caught.value


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            {"koodiUri": 5, "metadata": []},
            "koodiUri: 5 is not a koodi-URI such as tutkinnonosat_100031",
        ),
        (
            {"koodiUri": "ei uri", "metadata": []},
            "koodiUri: 'ei uri' is not a koodi-URI such as tutkinnonosat_100031",
        ),
        (
            {"koodiUri": "urasuunnitelma_0001", "metadata": {}},
            "metadata: expected a list of {kieli, nimi} objects",
        ),
        (
            {"koodiUri": "urasuunnitelma_0001", "metadata": ["Jatko-opinnot"]},
            "metadata[0]: expected an object with kieli and nimi",
        ),
        (
            {"koodiUri": "urasuunnitelma_0001", "metadata": [{"nimi": "Jatko-opinnot"}]},
            "metadata[0].kieli: expected a language code such as FI",
        ),
        (
            {"koodiUri": "urasuunnitelma_0001", "metadata": [{"kieli": "FI", "nimi": ["x"]}]},
            "metadata[0].nimi: expected a string",
        ),
        (
            {"koodiUri": "urasuunnitelma_0001", "metadata": [{"kieli": "EN"}]},
            "metadata: urasuunnitelma_0001 has no name in FI, SV or EN",
        ),
        (
            {**koodi("urasuunnitelma_0001", fi="x"), "versio": "2"},
            "versio: expected a whole number, found '2'",
        ),
        (
            {
                "nimi": {"fi": "Osa"},
                "koodi": {"uri": "tutkinnonosat_1"},
                "koodiUri": "tutkinnonosat_2",
            },
            "koodiUri: 'tutkinnonosat_2' differs from koodi.uri 'tutkinnonosat_1'",
        ),
        (
            {"nimi": {"_id": "1"}, "koodiUri": "tutkinnonosat_1"},
            "nimi: tutkinnonosat_1 has no name in fi, sv or en",
        ),
        (
            {"nimi": {"fi": "Osa"}, "koodiUri": "tutkinnonosat_1", "osaAlueet": {}},
            "osaAlueet: expected a list",
        ),
        (
            {"data": [{"nimi": {"fi": "Osa"}, "koodi": "tutkinnonosat_1"}], "sivu": 0},
            "data[0].koodi: expected an object with uri",
        ),
        (
            {"data": [koodi("urasuunnitelma_0001", fi="x")], "sivu": 0},
            "data[0]: expected an ePerusteet tutkinnon osa object",
        ),
    ],
)
def test_malformed_code_documents_name_their_line(tmp_path: Path, document: Any, expected: str):
    good = koodi("urasuunnitelma_0001", fi="Jatko-opinnot")
    path = write(tmp_path, [good, good, document])

    error = error_of(path)

    assert (error.line, error.reason) == (3, expected)
    assert str(error) == f"{path}:3: {expected}"


def test_a_bad_code_document_in_a_list_reports_its_line(tmp_path: Path):
    path = tmp_path / "list.json"
    path.write_text(
        "[\n"
        + json.dumps(koodi("a_1", fi="A"))
        + ",\n"
        + json.dumps({"koodiUri": "b_2", "metadata": [{"kieli": "FI", "nimi": 1}]})
        + "\n]\n"
    )

    assert error_of(path).line == 3


def test_unknown_documents_are_still_unknown(tmp_path: Path):
    path = write(tmp_path, [{"koodiUri": "urasuunnitelma_0001"}])  # no names of any kind

    assert error_of(path).reason.startswith("unknown document")


def test_a_bad_code_file_stores_nothing(tmp_path: Path, run_import: Importer, session: Session):
    bad = write(tmp_path, [{"koodiUri": "urasuunnitelma_0001", "metadata": "x"}])

    with pytest.raises(RegistryFileError):
        run_import(CODES, ORGANISATIONS, bad)

    assert session.scalar(select(func.count()).select_from(CodeName)) == 0
