"""The public identifier checks of §7."""

from __future__ import annotations

import pytest

from ehoks.hoksmodel.formats import (
    canonical_timestamp,
    is_uuid,
    is_valid_business_id,
    is_valid_opiskeluoikeus_oid,
    is_valid_oppija_oid,
    is_valid_organisation_oid,
    parse_date,
)
from tests.hoksmodel.hoksmodel_cases import EXAMPLE_FILES, example


def test_worked_examples() -> None:
    assert is_valid_opiskeluoikeus_oid("1.2.246.562.15.10000000009")
    assert is_valid_oppija_oid("1.2.246.562.24.12312312319")
    assert is_valid_business_id("1234567-1")
    assert not is_valid_business_id("1234567-2")
    assert not is_valid_business_id("7654321-8")
    assert not is_valid_business_id("1234567-1 ")


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_example_identifiers(name: str) -> None:
    doc = example(name)
    assert is_valid_opiskeluoikeus_oid(doc["opiskeluoikeus-oid"])
    assert is_valid_oppija_oid(doc["oppija-oid"])


@pytest.mark.parametrize(
    "value",
    [
        "1.2.246.562.15.1000000000",  # too short
        "1.2.246.562.15.00000000009",  # payload starts with 0
        "1.2.246.562.15.10000000008",  # wrong check digit
        "1.2.246.562.24.10000000009",  # wrong node
        " 1.2.246.562.15.10000000009",
        "1.2.246.562.15.10000000009\n",
        None,
        123,
    ],
)
def test_invalid_opiskeluoikeus_oids(value: object) -> None:
    assert not is_valid_opiskeluoikeus_oid(value)


def test_check_digit_written_as_10() -> None:
    # The first payload whose check digit is 0 may also end in the legacy "10".
    payload = next(
        p
        for p in (str(n) for n in range(1_000_000_000, 1_000_000_100))
        if is_valid_opiskeluoikeus_oid(f"1.2.246.562.15.{p}0")
    )
    assert is_valid_opiskeluoikeus_oid(f"1.2.246.562.15.{payload}10")
    assert not is_valid_opiskeluoikeus_oid(f"1.2.246.562.15.{payload}1")
    other = str(int(payload) + 1)
    assert not is_valid_opiskeluoikeus_oid(f"1.2.246.562.15.{other}10")


def test_oppija_nodes() -> None:
    # Node 24 uses IBM 1-3-7: the same payload has a different check digit under Luhn.
    assert is_valid_oppija_oid("1.2.246.562.24.12312312319")
    assert not is_valid_oppija_oid("1.2.246.562.98.12312312319")
    luhn_digit = "1.2.246.562.15.12312312310"
    assert is_valid_opiskeluoikeus_oid(luhn_digit) == is_valid_oppija_oid(
        luhn_digit.replace(".15.", ".98.")
    )
    for node in ("98", "198", "298"):
        assert is_valid_oppija_oid(f"1.2.246.562.{node}.10000000009")
    assert not is_valid_oppija_oid("1.2.246.562.398.10000000009")


def test_organisation_oids_pattern_only() -> None:
    assert is_valid_organisation_oid("1.2.246.562.10.54453921329")
    assert is_valid_organisation_oid("1.2.246.562.10.12345678901")  # no checksum
    assert is_valid_organisation_oid("1.2.246.562.10.00000000001")
    assert is_valid_organisation_oid("1.2.246.562.199.12345678901")
    assert is_valid_organisation_oid("1.2.246.562.10.2014123456789012345678")
    assert not is_valid_organisation_oid("1.2.246.562.10.2015123456789012345678")
    assert not is_valid_organisation_oid("1.2.246.562.24.12312312319")


def test_business_id_remainder_one_is_never_valid() -> None:
    # Find a payload whose weighted sum leaves remainder 1: no check digit can fit.
    payload = next(
        f"{n:07d}"
        for n in range(10_000_000)
        if sum(int(c) * w for c, w in zip(f"{n:07d}", (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        == 1
    )
    assert not any(is_valid_business_id(f"{payload}-{digit}") for digit in range(10))


def test_uuid_dates_and_timestamps() -> None:
    assert is_uuid("0f8fad5b-d9cb-469f-a165-70867728950e")
    assert not is_uuid("0F8FAD5B-D9CB-469F-A165-70867728950E")
    assert not is_uuid("0f8fad5bd9cb469fa16570867728950e")
    assert parse_date("2024-02-29") is not None
    assert parse_date("2023-02-29") is None
    assert parse_date("2023-2-28") is None
    assert canonical_timestamp("2024-05-16T00:00:00+24:00") is None
    assert canonical_timestamp("0000-01-01T00:00:00Z") is None
    assert canonical_timestamp("9999-12-31T23:00:00-05:00") is None
    assert canonical_timestamp("2024-05-16T25:00:00Z") is None
    assert canonical_timestamp("2024-05-16T10:00:00.5Z") == "2024-05-16T10:00:00.500Z"
