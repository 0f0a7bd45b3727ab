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
    error_text("survey_link_not_found", "No kyselylinkki found"),
    error_text(
        "survey_link_taken",
        "This survey link is already recorded for another HOKS or made by this service. Send "
        "each link once, with the HOKS it belongs to.",
    ),
    error_text(
        "survey_link_body_not_object",
        "The request body must be a JSON object holding the survey link's fields.",
    ),
    error_text(
        "survey_link_field_unknown",
        "This field is not part of a survey link. Check its name or remove it.",
    ),
    error_text(
        "survey_link_not_address",
        "The survey link must be a web address beginning with https:// or http://.",
    ),
)
