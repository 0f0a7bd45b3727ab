"""Texts for error codes raised by the `client` package (English; fi and sv in the catalogues).

The bearer dependency raises service-wide codes (`not_authenticated`, `forbidden`,
`missing_caller_id`, in `ehoks.kit.messages`), and the token endpoint answers in the RFC 6749
§5.2 shape with English ASCII descriptions, as that section requires. The codes here are CAS's.
"""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text(
        "cas_credentials_missing",
        "Send the CAS user name and password as the form fields username and password.",
    ),
    error_text(
        "cas_authentication_failed",
        "The CAS user name or password is wrong, or the system client has been disabled.",
    ),
    error_text(
        "cas_form_expected",
        "Send the fields as a form (Content-Type: application/x-www-form-urlencoded).",
    ),
    error_text("cas_service_missing", "Send the service URL as the form field service."),
    error_text(
        "cas_unknown_service",
        "Service tickets are issued only for the service {service}.",
    ),
    error_text(
        "cas_unknown_ticket",
        "The ticket-granting ticket is unknown, has expired or has been ended. Get a new one.",
    ),
    error_text(
        "invalid_ticket",
        "The service ticket is unknown, already used, expired or for another service. "
        "Get a new service ticket for each request.",
    ),
)
