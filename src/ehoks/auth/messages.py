"""Texts for the error codes of sign-in, sign-out and the development identity provider."""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text(
        "sign_in_not_configured",
        "Signing in this way is not available on this service: no identity provider has been "
        "set up.",
    ),
    error_text(
        "sign_in_state_invalid",
        "The sign-in has expired, was already used or was started in another browser. Start "
        "signing in again.",
    ),
    error_text(
        "sign_in_failed", "The identity provider did not sign you in ({detail}). Try again."
    ),
    error_text(
        "token_exchange_failed",
        "The identity provider refused the sign-in code ({detail}). Start signing in again.",
    ),
    error_text(
        "id_token_invalid",
        "The identity provider's token is not valid ({detail}). Sign-in was stopped.",
    ),
    error_text(
        "id_token_expired",
        "The identity provider's token has expired. Check the clocks and sign in again.",
    ),
    error_text(
        "id_token_nonce_mismatch",
        "The identity provider's token does not belong to this sign-in. Start signing in again.",
    ),
    error_text(
        "identity_provider_unavailable",
        "The identity provider {issuer} cannot be reached ({detail}). Try again in a moment.",
    ),
    error_text(
        "student_unknown",
        "You are not in the student register, so you have no HOKS in this service. A guardian"
        " cannot see their child's HOKS.",
    ),
    error_text("invalid_form", "The form data is not valid."),
    error_text(
        "dev_idp_invalid_request", "The development identity provider refused the request: {detail}"
    ),
)
