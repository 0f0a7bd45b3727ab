"""Importing an ePerusteet peruste: the units of its qualification by its diaarinumero, and their
names (both databases)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ehoks.registry.models import CodeName, QualificationUnit
from ehoks.registry.parsing import parse_files
from ehoks.registry.records import RegistryFileError
from tests.registry.conftest import Importer

PERUSTE = Path(__file__).parent.parent / "data" / "eperusteet" / "peruste_OPH-2531-2018.json"
DIAARINUMERO = "OPH-2531-2018"
UNITS = {
    "tutkinnonosat_106727",
    "tutkinnonosat_400012",
    "tutkinnonosat_400013",
    "tutkinnonosat_400014",
}


def units(factory: sessionmaker[Session]) -> dict[str, set[str]]:
    with factory() as session:
        found: dict[str, set[str]] = {}
        for row in session.scalars(select(QualificationUnit)):
            found.setdefault(row.diaarinumero, set()).add(row.unit_uri)
        return found


def test_a_perustes_units_are_kept_by_its_diaarinumero_with_their_names(
    db, run_import: Importer, session_factory
):
    report = run_import(PERUSTE)
    assert (report.qualifications.inserted, report.codes.inserted) == (1, 4)
    assert "qualifications' units: 1 inserted, 0 updated, 0 unchanged" in report.summary_lines()
    # The unit without a code has nothing to choose it by, and is left out.
    assert units(session_factory) == {DIAARINUMERO: UNITS}
    with session_factory() as session:
        named = session.get(CodeName, "tutkinnonosat_106727")
        assert named is not None
        assert (
            named.names["sv"]
            == "Grundläggande uppgifter inom informations- och kommunikationsteknik"
        )

    again = run_import(PERUSTE)
    assert (again.qualifications.unchanged, again.changed) == (1, False)


def test_a_new_version_of_the_peruste_replaces_its_units(
    db, run_import: Importer, session_factory, tmp_path: Path
):
    run_import(PERUSTE)
    document: dict[str, Any] = json.loads(PERUSTE.read_text())
    document["tutkinnonOsat"] = document["tutkinnonOsat"][1:3]
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps(document, ensure_ascii=False))
    report = run_import(newer)
    assert report.qualifications.updated == 1
    assert units(session_factory) == {
        DIAARINUMERO: {"tutkinnonosat_400012", "tutkinnonosat_400013"}
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"diaarinumero": " "}, "diaarinumero: expected 1-64 characters"),
        ({"tutkinnonOsat": ["tutkinnonosat_100031"]}, "tutkinnonOsat[0]: expected an ePerusteet"),
        (
            {"tutkinnonOsat": [{"nimi": {"fi": "Osa"}, "koodiUri": "not a uri"}]},
            "tutkinnonOsat[0].koodiUri",
        ),
    ],
)
def test_a_broken_peruste_is_refused_with_its_place(
    tmp_path: Path, change: dict[str, Any], message: str
):
    document = {**json.loads(PERUSTE.read_text()), **change}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document))
    with pytest.raises(RegistryFileError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_files([path])
