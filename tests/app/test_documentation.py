"""The documentation keeps up with the code: every HOKS error code is described."""

from __future__ import annotations

from pathlib import Path

from ehoks.hoks.messages import MESSAGES as STORAGE_MESSAGES
from ehoks.hoksmodel.messages import MESSAGES as MODEL_MESSAGES

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def test_every_validation_and_storage_code_is_documented():
    text = (DOCS / "validation.md").read_text(encoding="utf-8")
    missing = sorted(
        code for code in {*MODEL_MESSAGES, *STORAGE_MESSAGES} if f"`{code}`" not in text
    )
    assert missing == []
