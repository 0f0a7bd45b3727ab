"""The error texts: every stable error code with its text, in fi, sv and en.

Each domain package keeps the English texts of its own codes (`<package>/messages.py`, a
`MESSAGES = by_code(error_text(code, text), ...)`); this module holds the service-wide ones and
merges them all. The Finnish and Swedish texts are the gettext catalogues' entries whose context
is the code (`ehoks.kit.translations`). The catalogue test checks that every code has all three
languages with the same placeholders.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from typing import Final

from ehoks.kit.i18n import Lang, Translations, by_code, error_text
from ehoks.kit.translations import catalogue_for

# Imported by name (kit stands below the domains), and never skipped: a module that fails to
# import stops the service at start-up instead of leaving its codes without texts.
_DOMAIN_CATALOGUES: Final = (
    "ehoks.hoksmodel.messages",
    "ehoks.hoks.messages",
    "ehoks.registry.messages",
    "ehoks.client.messages",
    "ehoks.auth.messages",
    "ehoks.people.messages",
    "ehoks.instructor.messages",
    "ehoks.feedback.messages",
    "ehoks.planhistory.messages",
    "ehoks.credentials.messages",
    "ehoks.sharing.messages",
)

GENERAL: Final = by_code(
    error_text("unknown_error", "The request could not be processed."),
    error_text(
        "internal_error",
        "An unexpected error occurred in the service. Nothing was saved. Contact support and "
        "quote the request id.",
    ),
    error_text(
        "validation_failed", "The request has {count} error(s). Correct them and send it again."
    ),
    error_text("invalid_json", "The request body is not valid JSON: {detail}"),
    error_text("body_too_large", "The request body is too large (at most {limit} bytes)."),
    error_text(
        "unsupported_media_type", "The request body must be JSON (Content-Type: application/json)."
    ),
    error_text(
        "control_character",
        "The request holds a control character (such as NUL) where none is allowed; the "
        "violation's path tells where. Remove it and send the request again.",
    ),
    error_text(
        "database_unavailable",
        "The service cannot reach its database just now. Nothing was saved. Try again in a "
        "moment (Retry-After tells when).",
    ),
    error_text("not_found", "The requested resource does not exist."),
    error_text("method_not_allowed", "The method is not allowed for this address."),
    error_text("invalid_parameter", "Parameter {name} is invalid: {detail}"),
    error_text(
        "not_authenticated", "Authentication is missing or has expired. Obtain a new access token."
    ),
    error_text("forbidden", "You are not allowed to do this."),
    error_text(
        "missing_caller_id",
        "The Caller-Id header is missing. Put the calling system's identifier in it.",
    ),
    error_text("too_many_attempts", "Too many attempts. Try again in {seconds} seconds."),
    error_text(
        "csrf_failed",
        "The request lacks the session's CSRF token (header X-CSRF-Token). Reload the page.",
    ),
)


def english_texts() -> dict[str, str]:
    """Every code's English text (the source of the catalogues)."""
    merged = dict(GENERAL)
    for module_name in _DOMAIN_CATALOGUES:
        domain: dict[str, str] = import_module(module_name).MESSAGES
        clashes = merged.keys() & domain.keys()
        if clashes:
            raise ValueError(f"{module_name} redefines {sorted(clashes)}")
        merged.update(domain)
    return merged


@cache
def catalogue() -> dict[str, Translations]:
    """Every code's text in every language, read once per process."""
    return {
        code: {lang: catalogue_for(lang).pgettext(code, english) for lang in Lang}
        for code, english in english_texts().items()
    }
