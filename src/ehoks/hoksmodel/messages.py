"""Texts of the HOKS model's violation codes (English; fi and sv in the catalogues).

Placeholders are filled from the `params` of each Violation (see `checkers.py` and `rules.py`).
"""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text(
        "body_not_object", "The request body must be a JSON object holding the HOKS fields."
    ),
    error_text(
        "unknown_field",
        "This field is not part of the HOKS data model. Check its name or remove it.",
    ),
    error_text("field_not_allowed", "This field may not be sent in this request. Remove it."),
    error_text("required", "A required field is missing. Add it."),
    error_text(
        "null_not_allowed",
        "null is not accepted. Leave the field out entirely when it has no value.",
    ),
    error_text("wrong_type", "The value has the wrong type. Expected JSON type: {expected}."),
    error_text(
        "out_of_range", "The number is too large or too small. Allowed range: {min} to {max}."
    ),
    error_text(
        "invalid_character",
        "The text holds a character that cannot be stored (such as NUL, \\u0000). Remove it.",
    ),
    error_text(
        "invalid_date", "The date is invalid. Use the form YYYY-MM-DD and a day that exists."
    ),
    error_text(
        "invalid_timestamp",
        "The timestamp is invalid. Use ISO 8601, for example 2024-05-16T10:20:30.000Z.",
    ),
    error_text(
        "invalid_oid",
        "The identifier does not have the form of a valid {kind} OID. Check the value.",
    ),
    error_text(
        "invalid_oid_checksum",
        "The check digit of the {kind} OID does not match; the identifier probably has a "
        "typing error.",
    ),
    error_text(
        "invalid_business_id",
        "The business ID has the wrong form. Use seven digits, a hyphen and a check digit, "
        "e.g. 1234567-1, without spaces.",
    ),
    error_text(
        "invalid_business_id_checksum",
        "The check digit of the business ID does not match. Check the ID.",
    ),
    error_text("invalid_code_uri", "The code URI has the wrong form. It must match {pattern}."),
    error_text(
        "invalid_uuid",
        "The identifier must be a lowercase UUID, such as 0f8fad5b-d9cb-469f-a165-70867728950e.",
    ),
    error_text(
        "invalid_phone_number",
        "A phone number may hold only digits, spaces and the characters + - ( ), with at most"
        " {max} characters.",
    ),
    error_text("empty_value", "The value may not be empty. Give a value or leave the field out."),
    error_text("too_long", "The value is too long: at most {max} characters."),
    error_text(
        "achievement_date_out_of_range",
        "The competence achievement date must be between {earliest} and {latest} (from 2 "
        "January 2018, and at most two weeks ahead of today).",
    ),
    error_text("negative_value", "The value may not be negative. Give zero or a positive number."),
    error_text(
        "part_time_required",
        "The workplace period needs a part-time percentage, a whole number from {min} to "
        "{max} (100 = full time).",
    ),
    error_text(
        "period_identifier_required",
        "The workplace period has no unique identifier. Add your system's identifier for the "
        "period.",
    ),
    error_text(
        "workplace_business_id_required",
        "The workplace's business ID is missing. It is needed for workplace periods ending "
        "after {after}.",
    ),
    error_text(
        "apprenticeship_basis_required",
        "The code URI of the apprenticeship's legal basis is missing. It is needed for "
        "apprenticeship periods ending on or after {since}.",
    ),
    error_text(
        "period_dates_reversed",
        "The end date is before the start date ({alku}). Put the dates the right way round.",
    ),
    error_text(
        "period_starts_before_study_right",
        "The period starts before the study right does ({alkamispaiva}). Make it start on "
        "{alkamispaiva} or later.",
    ),
    error_text(
        "period_ends_after_study_right",
        "The period ends after the study right's estimated end date "
        "{arvioitu_paattymispaiva}. Make it end on {arvioitu_paattymispaiva} or earlier.",
    ),
    error_text(
        "period_too_long",
        "The period is longer than {years} years. The end date may be {latest} at the latest.",
    ),
    error_text(
        "interruptions_overlap",
        "The interruptions overlap. Each must end before the next one starts, and only the "
        "last may lack an end date.",
    ),
    error_text(
        "learning_support_shape",
        "For remedial teaching (type _01) give the start and end dates and the unit type. For"
        " the other support types (_02, _03) leave those three fields out.",
    ),
    error_text(
        "study_right_type_not_allowed",
        "A HOKS can only belong to vocational or TUVA (preparatory) education. This study "
        "right is of type {tyyppi}.",
    ),
    error_text(
        "tuva_study_right_not_allowed",
        "Remove tuva-opiskeluoikeus-oid: it belongs only on the HOKS of a study right running"
        " alongside TUVA, not on the TUVA study right's own HOKS.",
    ),
    error_text(
        "unit_not_allowed_on_tuva",
        "A HOKS of a TUVA study right cannot contain units. Remove this one.",
    ),
    error_text(
        "supporting_studies_not_allowed_on_tuva",
        "A HOKS of a TUVA study right cannot contain studies supporting study skills. Remove "
        "this one.",
    ),
    error_text(
        "training_part_requires_tuva",
        "Training parts belong only on the HOKS of a TUVA study right. Remove this one.",
    ),
)
