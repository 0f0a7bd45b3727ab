"""The canonical document: trimming, number and timestamp normalisation, dropped ids."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ehoks.hoksmodel import Method, Variant, validate_hoks
from tests.hoksmodel.hoksmodel_cases import (
    FULL,
    MISSING_TUNNISTE,
    OHT,
    TODAY,
    TUVA,
    example,
    study_right,
)

TJK = f"{OHT}/tyopaikalla-jarjestettava-koulutus"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def _post(doc: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("study_right", None)
    result = validate_hoks(doc, method=Method.POST, today=TODAY, **kwargs)
    assert result.violations == []
    assert result.document is not None
    return result.document


def test_plain_strings_are_trimmed_but_patterns_are_not_touched() -> None:
    doc = example(FULL)
    oht = doc["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    oht["tyopaikalla-jarjestettava-koulutus"]["tyopaikan-nimi"] = " Ohjausyhtiö 2 Oy "
    oht["yksiloiva-tunniste"] = "\t tunniste-1 \n"
    oht["tyopaikalla-jarjestettava-koulutus"]["vastuullinen-tyopaikka-ohjaaja"]["puhelinnumero"] = (
        "  040 123 4567  "
    )
    doc["sahkoposti"] = "  a@b.fi "
    out = _post(doc)
    oht_out = out["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    tjk = oht_out["tyopaikalla-jarjestettava-koulutus"]
    assert tjk["tyopaikan-nimi"] == "Ohjausyhtiö 2 Oy"
    assert oht_out["yksiloiva-tunniste"] == "tunniste-1"
    assert tjk["vastuullinen-tyopaikka-ohjaaja"]["puhelinnumero"] == "040 123 4567"
    assert out["sahkoposti"] == "a@b.fi"
    assert doc["sahkoposti"] == "  a@b.fi "  # the input is not modified


def test_integers_and_numbers() -> None:
    doc = example(TUVA)
    doc["versio"] = 3.0
    doc["hankittavat-koulutuksen-osat"][0]["laajuus"] = 150
    doc["hankittavat-koulutuksen-osat"][1]["laajuus"] = 5.5
    doc["hankittavat-koulutuksen-osat"][1]["koulutuksen-osa-koodi-versio"] = 1.0
    out = _post(doc, study_right=study_right("tuva"))
    assert out["versio"] == 3
    assert type(out["versio"]) is int
    parts = out["hankittavat-koulutuksen-osat"]
    assert type(parts[0]["laajuus"]) is int
    assert parts[1]["laajuus"] == 5.5
    assert type(parts[1]["koulutuksen-osa-koodi-versio"]) is int


@pytest.mark.parametrize(
    ("given", "canonical"),
    [
        ("2017-10-25T21:00:00.000Z", "2017-10-25T21:00:00.000Z"),
        ("2024-05-16T00:00:00Z", "2024-05-16T00:00:00.000Z"),
        ("2024-05-16T03:00:00+03:00", "2024-05-16T00:00:00.000Z"),
        ("2024-05-16T03:00:00.123456+0300", "2024-05-16T00:00:00.123Z"),
        ("2024-05-16T10:20-05:30", "2024-05-16T15:50:00.000Z"),
        ("2024-05-16", "2024-05-15T21:00:00.000Z"),  # Helsinki summer time
        ("2024-01-16T12:00", "2024-01-16T10:00:00.000Z"),  # Helsinki winter time
    ],
)
def test_timestamps_become_utc_milliseconds(given: str, canonical: str) -> None:
    doc = example(FULL)
    doc["hyvaksytty"] = given
    out = _post(doc)
    assert out["hyvaksytty"] == canonical
    doc["hyvaksytty"] = canonical
    assert _post(doc)["hyvaksytty"] == canonical


def test_leftover_ids_and_top_level_id_are_dropped_server_keys_kept() -> None:
    doc = example(FULL)
    doc["id"] = 7
    doc["eid"] = "0f8fad5b-d9cb-469f-a165-70867728950e"
    doc["manuaalisyotto"] = True
    oht = doc["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    oht["module-id"] = "1f8fad5b-d9cb-469f-a165-70867728950e"
    oht["tyopaikalla-jarjestettava-koulutus"]["id"] = 3
    oht["jarjestajan-edustaja"]["id"] = 4
    doc["opiskeluvalmiuksia-tukevat-opinnot"][0]["id"] = 5
    result = validate_hoks(doc, method=Method.PUT, study_right=None, today=TODAY)
    assert result.violations == []
    out = result.document
    assert out is not None
    assert "id" not in out
    assert out["eid"] == doc["eid"]
    assert out["manuaalisyotto"] is True
    oht_out = out["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    assert oht_out["module-id"] == "1f8fad5b-d9cb-469f-a165-70867728950e"
    assert "id" not in oht_out["tyopaikalla-jarjestettava-koulutus"]
    assert "id" not in oht_out["jarjestajan-edustaja"]
    assert "id" not in out["opiskeluvalmiuksia-tukevat-opinnot"][0]


def test_keys_keep_input_order_and_ahato_deviation_is_kept() -> None:
    doc = example(FULL)
    doc["aiemmin-hankitut-ammat-tutkinnon-osat"][0][
        "vaatimuksista-tai-tavoitteista-poikkeaminen"
    ] = "Poikkeama"
    out = _post(doc)
    assert list(out) == list(doc)
    assert (
        out["aiemmin-hankitut-ammat-tutkinnon-osat"][0][
            "vaatimuksista-tai-tavoitteista-poikkeaminen"
        ]
        == "Poikkeama"
    )
    hato = "hankittavat-ammat-tutkinnon-osat"
    assert list(out[hato][0]) == list(doc[hato][0])


@pytest.mark.parametrize("name", sorted(MISSING_TUNNISTE))
def test_service_variant_requires_tunniste_on_workplace_periods(name: str) -> None:
    result = validate_hoks(
        example(name), method=Method.POST, study_right=study_right(), today=TODAY
    )
    assert [(v.code, v.path) for v in result.violations] == [
        ("period_identifier_required", f"{path}/yksiloiva-tunniste")
        for path in MISSING_TUNNISTE[name]
    ]


@pytest.mark.parametrize("name", sorted(MISSING_TUNNISTE))
def test_staff_variant_generates_tunniste(name: str) -> None:
    doc = example(name)
    out = _post(doc, variant=Variant.STAFF, study_right=study_right())
    seen = set()
    for path in MISSING_TUNNISTE[name]:
        node: Any = out
        for part in path.strip("/").split("/"):
            node = node[int(part)] if isinstance(node, list) else node[part]
        assert UUID.fullmatch(node["yksiloiva-tunniste"])
        seen.add(node["yksiloiva-tunniste"])
    assert len(seen) == len(MISSING_TUNNISTE[name])


def test_staff_variant_keeps_given_tunniste() -> None:
    out = _post(example(FULL), variant=Variant.STAFF)
    oht = out["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    assert oht["yksiloiva-tunniste"] == "1234567890"
