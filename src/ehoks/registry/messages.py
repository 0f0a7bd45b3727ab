"""Texts of the registry package's error codes (English; fi and sv in the catalogues).

The import's errors go to operators on the command line, in English, as `FILE:LINE: reason`;
these are the answers of a write that needed a national registry over HTTP.
"""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text(
        "registry_unavailable",
        "The national registry {registry} cannot be reached just now, and the service needs it "
        "to check this request. Nothing was saved. Try again later (Retry-After tells when).",
    ),
    error_text(
        "registry_answer_invalid",
        "The national registry {registry} gave an answer that cannot be used, and the service "
        "needs it to check this request. Nothing was saved. Try again later (Retry-After tells "
        "when).",
    ),
)
