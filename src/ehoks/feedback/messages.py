"""Texts of the feedback errors (English; fi and sv in the catalogues)."""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text("survey_not_found", "There is no survey behind this link. Check the address."),
    error_text(
        "feedback_kind_unknown",
        "Unknown survey type. Use aloittaneet, tutkinnon_suorittaneet or "
        "tutkinnon_osia_suorittaneet.",
    ),
    error_text(
        "feedback_not_open",
        "This HOKS has no survey of that type whose link is still open, so there is nothing to "
        "send again.",
    ),
    error_text(
        "feedback_no_email",
        "The HOKS has no e-mail address for the student. Add one to the HOKS and send again.",
    ),
)
