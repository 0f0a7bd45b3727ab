"""Every code the package can emit has a text in fi, sv and en that its params can fill."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import TYPE_CHECKING

from ehoks.hoksmodel import Method, validate_hoks
from ehoks.hoksmodel.messages import MESSAGES
from ehoks.kit.i18n import Lang, render
from ehoks.kit.messages import catalogue
from ehoks.kit.translations import placeholders
from tests.hoksmodel.hoksmodel_cases import FIELD_CASES, RULE_CASES, TODAY

if TYPE_CHECKING:
    from ehoks.kit.errors import Violation

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "ehoks" / "hoksmodel"
_FIRST_ARG_CALLS = {"add", "Violation"}


def _codes_in_source() -> set[str]:
    codes: set[str] = set()
    for source in PACKAGE.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                args = node.args
                if name in _FIRST_ARG_CALLS and args:
                    codes.update(_string(args[0]))
                elif name == "_reject_elements" and len(args) > 2:
                    codes.update(_string(args[2]))
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                codes.update(_string(node.value.elts[0]))
    return codes


def _string(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    return set()


def _emitted() -> list[Violation]:
    found: list[Violation] = []
    for case in RULE_CASES + FIELD_CASES:
        found.extend(case.run().violations)
    found.extend(validate_hoks([], method=Method.POST, study_right=None, today=TODAY).violations)
    return found


def test_source_codes_are_found() -> None:
    codes = _codes_in_source()
    assert "period_too_long" in codes
    assert "unit_not_allowed_on_tuva" in codes
    assert "body_not_object" in codes
    assert len(codes) >= 30


def test_every_code_has_three_languages() -> None:
    for code in _codes_in_source() | set(MESSAGES):
        texts = catalogue()[code]
        assert set(texts) == set(Lang), code
        assert all(text.strip() for text in texts.values()), code
        assert texts[Lang.FI] != texts[Lang.EN], code  # translated, not the English fallback
        assert texts[Lang.SV] != texts[Lang.EN], code


def test_every_code_is_exercised_and_its_placeholders_fill() -> None:
    emitted = _emitted()
    assert {v.code for v in emitted} == _codes_in_source()
    for violation in emitted:
        texts = catalogue()[violation.code]
        for lang, template in texts.items():
            assert placeholders(template) <= set(violation.params), (violation.code, lang)
            assert render(texts, lang, violation.params) == template.format(**violation.params)


def test_catalogue_merges_the_texts() -> None:
    merged = catalogue()
    assert all(code in merged for code in MESSAGES)
