"""Every text a person reads exists in Finnish, Swedish and English, with the same placeholders.

The catalogues must also be current: the test extracts the texts from the code and the
templates exactly as `make messages` does and fails when the committed catalogues lag behind.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from ehoks.kit.i18n import Lang
from ehoks.kit.messages import _DOMAIN_CATALOGUES, catalogue, english_texts
from ehoks.kit.translations import LOCALE_DIR, TRANSLATED, catalogue_for, placeholders, po_path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "ehoks"


def _read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=lang)


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _strings(entry: Message | None) -> tuple[str, ...]:
    if entry is None:
        return ()
    return entry.string if isinstance(entry.string, tuple) else (entry.string,)


def _entries(catalog: Catalog) -> dict[tuple[str | None, str], Message]:
    return {_key(m): m for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        ["make", "-s", "messages-extract", f"POT={pot}", f"BIN={Path(sys.executable).parent}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return _read(pot)


def test_the_committed_template_catalogue_is_current(extracted):
    committed = _entries(_read(LOCALE_DIR / "messages.pot"))
    fresh = _entries(extracted)
    assert len(fresh) > 150  # the extraction itself must find the texts
    missing = sorted(str(key) for key in fresh.keys() - committed.keys())
    stale = sorted(str(key) for key in committed.keys() - fresh.keys())
    assert (missing, stale) == ([], []), "run `make messages` and translate the new entries"


@pytest.mark.parametrize("lang", TRANSLATED, ids=str)
def test_every_text_is_translated_with_the_same_placeholders(extracted, lang):
    translated = _entries(_read(po_path(lang), lang.value))
    problems = []
    for key, source in _entries(extracted).items():
        entry = translated.get(key)
        strings = _strings(entry)
        if entry is None or entry.fuzzy or not strings or not all(t.strip() for t in strings):
            problems.append(f"untranslated: {key}")
            continue
        wanted = placeholders(key[1])
        if isinstance(source.id, tuple):
            wanted |= placeholders(source.id[1])
        problems.extend(
            f"placeholders differ: {key} -> {text!r}"
            for text in strings
            if placeholders(text) != wanted
        )
    assert problems == []


def test_every_error_code_has_three_languages():
    texts = catalogue()
    assert len(texts) == len(english_texts()) > 80
    for code, by_lang in texts.items():
        assert set(by_lang) == set(Lang), code
        english = by_lang[Lang.EN]
        for lang in TRANSLATED:
            assert by_lang[lang].strip(), (code, lang)
            assert by_lang[lang] != english, (code, lang)  # not the English fallback
            assert placeholders(by_lang[lang]) == placeholders(english), (code, lang)


def _raised_codes() -> set[str]:
    """Codes written literally in `ApiError(status, "code")` anywhere in the service."""
    codes: set[str] = set()
    for source in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", "")) == "ApiError"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
            ):
                codes.add(node.args[1].value)
    return codes


def test_every_raised_error_code_has_a_text():
    raised = _raised_codes()
    assert {"not_found", "sign_in_link_invalid", "hoks_not_found"} <= raised
    assert sorted(raised - set(catalogue())) == []


def test_the_extraction_marker_is_defined_once_and_imported_from_the_kit():
    """`N_` marks a text for `make messages` without translating it: one definition, so a module
    that uses it cannot drift into a marker extraction does not know."""
    defined, imported_elsewhere = [], []
    for source in SOURCE.rglob("*.py"):
        name = str(source.relative_to(SOURCE))
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.Lambda | ast.Assign) and (
                getattr(node, "name", None) == "N_"
                or any(getattr(t, "id", None) == "N_" for t in getattr(node, "targets", []))
            ):
                defined.append(name)
            if (
                isinstance(node, ast.ImportFrom)
                and any(alias.name == "N_" for alias in node.names)
                and node.module != "ehoks.kit.translations"
            ):
                imported_elsewhere.append(name)
    assert defined == ["kit/translations.py"]
    assert imported_elsewhere == []


def test_every_domain_catalogue_is_listed_and_imports():
    on_disk = {
        "ehoks." + ".".join(path.relative_to(SOURCE).with_suffix("").parts)
        for path in SOURCE.glob("*/messages.py")
        if path.parent.name != "kit"
    }
    assert set(_DOMAIN_CATALOGUES) == on_disk


def test_a_missing_translation_falls_back_to_english_and_is_reported(tmp_path, monkeypatch):
    """The run-time reading skips a fuzzy entry (the test above is what catches it)."""
    from ehoks.kit import translations

    po = tmp_path / "fi" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        '#, fuzzy\nmsgid "Sign out"\nmsgstr "Kirjaudu ulos"\n\n'
        'msgid "Sign in"\nmsgstr "Kirjaudu"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(translations, "LOCALE_DIR", tmp_path)
    catalogue_for.cache_clear()
    try:
        finnish = catalogue_for(Lang.FI)
        assert finnish.gettext("Sign in") == "Kirjaudu"
        assert finnish.gettext("Sign out") == "Sign out"
    finally:
        catalogue_for.cache_clear()


def test_templates_hold_no_inline_script_or_style():
    inline = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", re.IGNORECASE)
    found = [
        str(path.relative_to(SOURCE))
        for path in (SOURCE / "templates").rglob("*.html")
        if inline.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
