"""Texts of the export errors (English; fi and sv in the catalogues)."""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text(
        "pdf_unavailable",
        "The PDF cannot be made on this server just now (a part it needs is not installed). "
        "Your plan is safe: use the browser's print command on the plan page instead, and tell "
        "your school.",
    ),
)
