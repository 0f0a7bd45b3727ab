"""Texts of the staff, student and grant errors (English; fi and sv in the catalogues)."""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text("organisation_unknown", "Organisation {oid} is not in the organisation registry."),
    error_text(
        "organisation_forbidden",
        "You have no {role} role on organisation {oid} or any organisation above it.",
    ),
    error_text(
        "staff_student_not_found", "Student {oid} is not among the students of your organisations."
    ),
    error_text(
        "hoks_role_missing",
        "You may view this HOKS, but this action needs the {role} role in the organisation "
        "that owns it.",
    ),
    error_text(
        "oppija_oid_mismatch",
        "The oppija-oid {body} in the body differs from {path} in the address.",
    ),
    error_text("not_own_data", "You can only see your own data."),
    error_text(
        "grant_refused", "The role was not given: check the OID, the organisation and the role."
    ),
    error_text(
        "client_refused",
        "The system was not added: give it a name, and choose its organisation and access.",
    ),
)
