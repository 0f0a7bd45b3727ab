"""Every rule of the national model: a violating document, the exact codes and paths."""

from __future__ import annotations

import pytest

from ehoks.hoksmodel import Method, validate_hoks
from tests.hoksmodel.hoksmodel_cases import (
    CODE_URI_FIELDS,
    FIELD_CASES,
    FULL,
    RULE_CASES,
    TODAY,
    TUVA,
    TUVA_CODE_URI,
    Case,
    example,
    set_at,
    study_right,
)


def _check(case: Case) -> None:
    result = case.run()
    assert [(v.code, v.path) for v in result.violations] == case.expected
    if case.expected:
        assert result.document is None
    else:
        assert result.document is not None


@pytest.mark.parametrize("case", RULE_CASES, ids=lambda c: c.id)
def test_business_rule(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize("case", FIELD_CASES, ids=lambda c: c.id)
def test_field_rule(case: Case) -> None:
    _check(case)


@pytest.mark.parametrize("body", [None, [], "hoks", 1, True, [{"oppija-oid": "x"}]])
def test_body_must_be_an_object(body: object) -> None:
    for method in Method:
        result = validate_hoks(body, method=method, study_right=None, today=TODAY)
        assert [(v.code, v.path) for v in result.violations] == [("body_not_object", "")]
        assert result.document is None


@pytest.mark.parametrize(("path", "valid", "invalid"), [*CODE_URI_FIELDS, TUVA_CODE_URI])
def test_code_uri_patterns(path: str, valid: str, invalid: str) -> None:
    base, right = (TUVA, study_right("tuva")) if "koulutuksen-osat" in path else (FULL, None)
    doc = example(base)
    set_at(doc, path, valid)
    ok = validate_hoks(doc, method=Method.POST, study_right=right, today=TODAY)
    assert ok.violations == []
    set_at(doc, path, invalid)
    bad = validate_hoks(doc, method=Method.POST, study_right=right, today=TODAY)
    assert [(v.code, v.path) for v in bad.violations] == [("invalid_code_uri", path)]
    pattern = bad.violations[0].params["pattern"]
    assert pattern.startswith("^")
    assert pattern.endswith("$")


def test_every_violation_is_listed_at_once() -> None:
    doc = example(FULL)
    doc["versio"] = "1"
    doc["sahkoposti"] = None
    doc["extra"] = True
    del doc["ensikertainen-hyvaksyminen"]
    doc["hankittavat-ammat-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]["alku"] = "x"
    result = validate_hoks(doc, method=Method.POST, study_right=None, today=TODAY)
    assert {v.code for v in result.violations} == {
        "wrong_type",
        "null_not_allowed",
        "unknown_field",
        "required",
        "invalid_date",
    }
