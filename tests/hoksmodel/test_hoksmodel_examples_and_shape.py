"""Examples validate; the GET shape; a GET response goes back unchanged as a PUT."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from ehoks.hoksmodel import (
    PART_LISTS,
    Method,
    Variant,
    iter_module_records,
    stored_form,
    validate_hoks,
)
from ehoks.hoksmodel.spec import MODULE_RECORDS
from tests.hoksmodel.hoksmodel_cases import (
    EXAMPLE_FILES,
    FULL,
    MISSING_TUNNISTE,
    TODAY,
    example,
    right_for,
)


def _post(name: str) -> dict[str, Any]:
    variant = Variant.STAFF if name in MISSING_TUNNISTE else Variant.SERVICE
    result = validate_hoks(
        example(name), method=Method.POST, variant=variant, study_right=right_for(name), today=TODAY
    )
    assert result.violations == []
    assert result.document is not None
    return result.document


def test_examples_are_all_here() -> None:
    assert len(EXAMPLE_FILES) == 6


@pytest.mark.parametrize("name", sorted(set(EXAMPLE_FILES) - set(MISSING_TUNNISTE)))
def test_example_is_valid_post(name: str) -> None:
    result = validate_hoks(
        example(name), method=Method.POST, study_right=right_for(name), today=TODAY
    )
    assert result.violations == []
    assert result.document == example(name)  # already canonical: nothing to trim or convert


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_example_is_valid_without_study_right(name: str) -> None:
    result = validate_hoks(
        example(name), method=Method.POST, variant=Variant.STAFF, study_right=None, today=TODAY
    )
    assert result.violations == []


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_get_shape_goes_back_as_put(name: str) -> None:
    stored = stored_form(_post(name))
    get_body = copy.deepcopy(stored)
    get_body["id"] = 41
    get_body["eid"] = str(uuid.uuid4())
    get_body["manuaalisyotto"] = False
    for _, _, record in iter_module_records(get_body):
        record["module-id"] = str(uuid.uuid4())
    result = validate_hoks(
        copy.deepcopy(get_body), method=Method.PUT, study_right=right_for(name), today=TODAY
    )
    assert result.violations == []
    assert result.document is not None
    expected = dict(get_body)
    del expected["id"]
    assert stored_form(result.document) == expected


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_stored_form_is_idempotent(name: str) -> None:
    once = stored_form(_post(name))
    assert stored_form(once) == once
    assert stored_form(copy.deepcopy(once)) == once


def test_stored_form_defaults() -> None:
    doc = example("hoks_ainoastaan_ammatillisia.json")
    del doc["hankittavat-yhteiset-tutkinnon-osat"]
    del doc["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-osoittaminen"]
    doc["aiemmin-hankitut-ammat-tutkinnon-osat"] = [
        {"tutkinnon-osa-koodi-uri": "tutkinnonosat_1", "tutkinnon-osa-koodi-versio": 1},
        {
            "tutkinnon-osa-koodi-uri": "tutkinnonosat_2",
            "tutkinnon-osa-koodi-versio": 1,
            "tarkentavat-tiedot-osaamisen-arvioija": {"lahetetty-arvioitavaksi": "2020-01-01"},
        },
    ]
    result = validate_hoks(
        doc, method=Method.POST, variant=Variant.STAFF, study_right=None, today=TODAY
    )
    assert result.document is not None
    out = stored_form(result.document)
    assert all(out[key] == [] or isinstance(out[key], list) for key in PART_LISTS)
    assert out["hankittavat-yhteiset-tutkinnon-osat"] == []
    assert out["oppimisen-tuki"] == []
    first, second = out["aiemmin-hankitut-ammat-tutkinnon-osat"]
    assert first["tarkentavat-tiedot-naytto"] == []
    assert first["tarkentavat-tiedot-osaamisen-arvioija"] == {
        "aiemmin-hankitun-osaamisen-arvioijat": []
    }
    assert second["tarkentavat-tiedot-osaamisen-arvioija"] == {
        "lahetetty-arvioitavaksi": "2020-01-01",
        "aiemmin-hankitun-osaamisen-arvioijat": [],
    }
    hato = out["hankittavat-ammat-tutkinnon-osat"][0]
    assert hato["osaamisen-osoittaminen"] == []
    oht = hato["osaamisen-hankkimistavat"][0]
    assert oht["muut-oppimisymparistot"] == []
    assert oht["keskeytymisajanjaksot"] == []
    assert "manuaalisyotto" not in out  # the storage layer sets it
    assert "tyopaikalla-jarjestettava-koulutus" not in oht  # optional records are not invented


def test_stored_form_child_lists_and_empty_organiser() -> None:
    doc = example(FULL)
    hato = doc["hankittavat-ammat-tutkinnon-osat"][0]
    oo = hato["osaamisen-osoittaminen"][0]
    for key in ("osa-alueet", "yksilolliset-kriteerit", "tyoelama-osaamisen-arvioijat"):
        oo.pop(key, None)
    oo["koulutuksen-jarjestaja-osaamisen-arvioijat"] = []
    oo["jarjestaja"] = {"id": 9}
    tjk = hato["osaamisen-hankkimistavat"][0]["tyopaikalla-jarjestettava-koulutus"]
    tjk["keskeiset-tyotehtavat"] = []
    yto_area = doc["hankittavat-yhteiset-tutkinnon-osat"][0]["osa-alueet"][0]
    yto_area.pop("osaamisen-osoittaminen", None)
    result = validate_hoks(doc, method=Method.POST, study_right=None, today=TODAY)
    assert result.document is not None
    out = stored_form(result.document)
    oo_out = out["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-osoittaminen"][0]
    assert "jarjestaja" not in oo_out
    for key in (
        "osa-alueet",
        "yksilolliset-kriteerit",
        "tyoelama-osaamisen-arvioijat",
        "koulutuksen-jarjestaja-osaamisen-arvioijat",
    ):
        assert oo_out[key] == []
    area = out["hankittavat-yhteiset-tutkinnon-osat"][0]["osa-alueet"][0]
    assert area["osaamisen-osoittaminen"] == []
    assert isinstance(area["osaamisen-hankkimistavat"], list)
    assert (
        result.document["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-osoittaminen"][0][
            "jarjestaja"
        ]
        == {}
    )  # stored_form returns a new dict; the document is untouched


def test_iter_module_records_order_and_types() -> None:
    doc = stored_form(_post(FULL))
    found = list(iter_module_records(doc))
    assert {name for name, _, _ in found} == MODULE_RECORDS
    paths = [path for _, path, _ in found]
    # Parents come before their children.
    for index, path in enumerate(paths):
        for earlier in paths[index + 1 :]:
            assert not path.startswith(earlier + "/")
    assert paths[0] == "/aiemmin-hankitut-yhteiset-tutkinnon-osat/0"
    assert (
        "HankittavaAmmatillinenTutkinnonOsa",
        "/hankittavat-ammat-tutkinnon-osat/0",
    ) in [(name, path) for name, path, _ in found]
    for _, path, record in found:
        node: Any = doc
        for part in path.strip("/").split("/"):
            node = node[int(part)] if isinstance(node, list) else node[part]
        assert node is record
    assert len(found) == 18


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_new_ids_come_with_the_stored_form_parents_first(name: str) -> None:
    def numbered() -> Callable[[], str]:
        counter = iter(range(1_000))
        return lambda: f"id-{next(counter)}"

    document = _post(name)
    stored = stored_form(document, numbered())
    # The same as giving the stored form its ids in a walk of its own: the same id on the same
    # part (parents before children, in document order), the keys in the same order.
    two_walks = stored_form(document)
    new_id = numbered()
    for _, _, record in iter_module_records(two_walks):
        record["module-id"] = new_id()
    assert repr(stored) == repr(two_walks)
    assert "module-id" not in repr(document)


def test_part_lists() -> None:
    assert len(PART_LISTS) == 9
    assert PART_LISTS[0] == "hankittavat-ammat-tutkinnon-osat"
    assert "oppimisen-tuki" in PART_LISTS
