"""Texts of the plan history's errors (English; fi and sv in the catalogues)."""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text("version_not_found", "The plan has no version {version}."),
    error_text("invalid_history_date", "Give the date as day.month.year, for example 2.12.2026."),
)
