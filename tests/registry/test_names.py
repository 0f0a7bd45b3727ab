"""Names of codes, organisations and study rights from the local registries (both databases)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from ehoks.hoksmodel.formats import is_valid_organisation_oid
from ehoks.registry import repository
from ehoks.registry.names import (
    collect_codes,
    complete,
    document_names,
    name_of,
    names_of,
    organisation_names,
    pick,
    study_right_names,
)
from tests.registry.conftest import DATA, ORGANISATIONS, STUDENTS, Importer

CODES = DATA / "codes.json"
EXAMPLES = DATA.parent / "examples"
DEMO_CODES = Path(__file__).parents[2] / "src" / "ehoks" / "demo" / "data" / "registry_3_codes.json"
PROVIDER_A = "1.2.246.562.10.53642770753"
OPPILAITOS_A1 = "1.2.246.562.10.54453921329"


def examples() -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.json"))]


def write(tmp_path: Path, documents: list[Any]) -> Path:
    path = tmp_path / "codes.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents))
    return path


def koodi(uri: str, **names: str) -> dict[str, Any]:
    metadata = [{"kieli": lang.upper(), "nimi": text} for lang, text in names.items()]
    return {"koodiUri": uri, "versio": 1, "metadata": metadata}


# --- fallbacks without a database ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "lang", "expected"),
    [
        ({"fi": "Suomi", "sv": "Svenska", "en": "English"}, "sv", "Svenska"),
        ({"fi": "Suomi", "sv": "Svenska"}, "en", "Suomi"),
        ({"sv": "Svenska", "en": "English"}, "fi", "Svenska"),
        ({"en": "English"}, "sv", "English"),
        ({"fi": "  ", "en": "English"}, "fi", "English"),
        ({}, "fi", "the_fallback"),
        (None, "fi", "the_fallback"),
    ],
)
def test_pick_falls_back_fi_sv_en_then_to_the_fallback(names: Any, lang: str, expected: str):
    assert pick(names, lang, "the_fallback") == expected


def test_complete_names_every_language():
    assert complete({"sv": "Läroavtal"}, "x") == {
        "fi": "Läroavtal",
        "sv": "Läroavtal",
        "en": "Läroavtal",
    }


# --- codes ---------------------------------------------------------------------------------------


def test_name_of_in_each_language_with_fallbacks(
    tmp_path: Path, run_import: Importer, session: Session
):
    run_import(
        write(
            tmp_path,
            [
                koodi("osaamisenhankkimistapa_oppisopimus", fi="Oppisopimus", sv="Läroavtal"),
                koodi("urasuunnitelma_0009", sv="Bara svenska"),
            ],
        )
    )

    assert name_of(session, "osaamisenhankkimistapa_oppisopimus", "fi") == "Oppisopimus"
    assert name_of(session, "osaamisenhankkimistapa_oppisopimus", "sv") == "Läroavtal"
    assert name_of(session, "osaamisenhankkimistapa_oppisopimus", "en") == "Oppisopimus"
    assert name_of(session, "urasuunnitelma_0009", "fi") == "Bara svenska"
    assert name_of(session, "tutkinnonosat_999999", "fi") == "tutkinnonosat_999999"
    # A version suffix or capitals do not hide a known code.
    assert name_of(session, "OSAAMISENHANKKIMISTAPA_oppisopimus#2", "sv") == "Läroavtal"


def test_names_of_many_in_one_query(run_import: Importer, session: Session, db: Engine):
    run_import(CODES)
    wanted = ["urasuunnitelma_0001", "osaamisenhankkimistapa_koulutussopimus", "nothing_1"]
    selects: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            selects.append(statement)

    event.listen(db, "before_cursor_execute", record)
    try:
        names = names_of(session, wanted)
    finally:
        event.remove(db, "before_cursor_execute", record)

    assert len(selects) == 1
    assert names == {
        "urasuunnitelma_0001": {
            "fi": "Jatko-opinnot",
            "sv": "Fortsatta studier",
            "en": "Further studies",
        },
        "osaamisenhankkimistapa_koulutussopimus": {
            "fi": "Koulutussopimus",
            "sv": "Utbildningsavtal",
            "en": "Training agreement",
        },
        "nothing_1": {"fi": "nothing_1", "sv": "nothing_1", "en": "nothing_1"},
    }
    assert names_of(session, []) == {}


# --- organisations and study rights ---------------------------------------------------------------


def test_organisation_names_fall_back_to_the_oid(run_import: Importer, session: Session):
    run_import(ORGANISATIONS, STUDENTS)
    unknown = "1.2.246.562.10.99999999999"

    names = organisation_names(session, [PROVIDER_A, OPPILAITOS_A1, unknown])

    assert names[PROVIDER_A]["fi"] == "Hämeenkylän koulutuskuntayhtymä"
    assert names[OPPILAITOS_A1]["fi"] == "Hämeenkylän ammattiopisto"
    assert all(names[OPPILAITOS_A1][lang] for lang in ("sv", "en"))
    assert names[unknown] == {"fi": unknown, "sv": unknown, "en": unknown}


def test_study_right_names(run_import: Importer, session: Session):
    run_import(ORGANISATIONS, STUDENTS)

    with_osaamisala = repository.get_study_right(session, "1.2.246.562.15.76811932045")
    without = repository.get_study_right(session, "1.2.246.562.15.76811932078")
    assert with_osaamisala is not None
    assert without is not None

    names = study_right_names(with_osaamisala)
    assert names["tutkinto"]["fi"] == "Tieto- ja viestintätekniikan perustutkinto"
    assert names["osaamisala"]["fi"] == "Ohjelmistokehityksen osaamisala"
    assert set(names["tutkinto"]) == {"fi", "sv", "en"}
    assert "osaamisala" not in study_right_names(without)


# --- HOKS documents ------------------------------------------------------------------------------


def test_collect_codes_finds_koodi_uris_and_organisations():
    document = {
        "oppija-oid": "1.2.246.562.24.44651722625",
        "opiskeluoikeus-oid": "1.2.246.562.15.76811932045",
        "tuva-opiskeluoikeus-oid": "1.2.246.562.15.76811942028",
        "urasuunnitelma-koodi-uri": "urasuunnitelma_0001",
        "hankittavat-ammat-tutkinnon-osat": [
            {
                "tutkinnon-osa-koodi-uri": "tutkinnonosat_100031",
                "koulutuksen-jarjestaja-oid": PROVIDER_A,
                "osa-alueet": [{"koodi-uri": "ammatillisenoppiaineet_fk", "koodi-versio": 1}],
                "hankkijan-edustaja": {"oppilaitos-oid": OPPILAITOS_A1, "nimi": "Heikki"},
            }
        ],
        "muu-oid": "not an oid",
        "tyhja-koodi-uri": "",
    }

    assert collect_codes(document) == {
        "urasuunnitelma_0001",
        "tutkinnonosat_100031",
        "ammatillisenoppiaineet_fk",
        PROVIDER_A,
        OPPILAITOS_A1,
    }


def test_collect_codes_on_the_national_examples():
    codes = set().union(*(collect_codes(document) for document in examples()))

    assert {
        "osaamisenhankkimistapa_oppisopimus",
        "koulutuksenosattuva_102",
        "ammatillisenoppiaineet_vvai8",
        "ammatillinenkoulutusoppimisentuentyyppi_03",
        "ammatillisentutkinnonosanryhma_1",
        OPPILAITOS_A1,
    } <= codes
    assert not any(code.startswith(("1.2.246.562.24.", "1.2.246.562.15.")) for code in codes)


def test_every_code_in_the_examples_has_a_name(run_import: Importer, session: Session):
    run_import(CODES)
    uris = {
        code
        for document in examples()
        for code in collect_codes(document)
        if not is_valid_organisation_oid(code)
    }

    names = names_of(session, uris)

    unnamed = sorted(uri for uri, found in names.items() if found["fi"] == uri)
    assert unnamed == []
    assert all(found["sv"] != uri and found["en"] != uri for uri, found in names.items())


def test_document_names_cover_codes_and_organisations(run_import: Importer, session: Session):
    run_import(CODES, ORGANISATIONS, STUDENTS)
    document = next(d for d in examples() if d["opiskeluoikeus-oid"].endswith("76811932045"))

    names = document_names(session, document)

    assert set(names) == collect_codes(document)
    assert names[OPPILAITOS_A1]["fi"] == "Hämeenkylän ammattiopisto"


def test_the_demo_copy_is_the_test_data():
    assert DEMO_CODES.read_text(encoding="utf-8") == CODES.read_text(encoding="utf-8")


def test_named_only_leaves_out_what_the_registry_named_by_its_own_code():
    from ehoks.registry.names import named_only

    names = {
        "1.2.246.562.10.1": {"fi": "Koulu", "sv": "1.2.246.562.10.1", "en": "1.2.246.562.10.1"},
        "1.2.246.562.10.2": {
            "fi": "1.2.246.562.10.2",
            "sv": "1.2.246.562.10.2",
            "en": "1.2.246.562.10.2",
        },
    }
    assert list(named_only(names)) == ["1.2.246.562.10.1"]
