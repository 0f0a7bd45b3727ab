"""Texts of the workplace instructors' errors (English; fi and sv in the catalogues)."""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text(
        "invalid_email",
        "Give the e-mail address in the form name@example.fi (at most 320 characters).",
    ),
    error_text("mail_unavailable", "E-mail cannot be sent right now. Try again in a moment."),
    error_text(
        "sign_in_link_invalid",
        "The sign-in link has already been used, has expired or is not valid. Ask for a new link.",
    ),
    error_text(
        "foreign_origin", "The form was sent from another site. Open the sign-in link again."
    ),
)
