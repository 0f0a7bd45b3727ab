"""Texts of the HOKS storage and registry-check errors (English; fi and sv in the catalogues)."""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text("hoks_not_found", "HOKS not found."),
    error_text(
        "learning_period_not_found", "No learning period with this id in a HOKS you may read."
    ),
    error_text(
        "study_right_forbidden",
        "Study right {oid} does not exist or does not belong to your organisation, so you cannot "
        "handle its HOKS.",
    ),
    error_text(
        "study_right_not_of_student", "Study right {study_right} does not belong to student {oid}."
    ),
    error_text(
        "study_right_contained",
        "Study right {oid} is part of study right {parent}. Make the HOKS for that study right.",
    ),
    error_text(
        "hoks_exists",
        "Study right {oid} already has a HOKS (id {id}). Update it with PUT or PATCH.",
    ),
    error_text(
        "hoks_archived",
        "The HOKS of study right {oid} has been deleted. A deleted HOKS can be restored, but "
        "no new one can be made for the same study right.",
    ),
    error_text(
        "id_mismatch",
        "The id {body_id} in the body does not match the id {path_id} in the address.",
    ),
    error_text(
        "study_right_immutable", "The study right of a HOKS cannot be changed (stored: {stored})."
    ),
    error_text(
        "student_immutable",
        "The student of a HOKS cannot be changed (stored: {stored}). Only the master OID that"
        " the person registry merged it into is accepted.",
    ),
    error_text(
        "read_only_field",
        "The service maintains this field; send the stored value {stored} or leave the field out.",
    ),
    error_text(
        "unknown_module_id",
        "No part of this kind in this HOKS has the id {module_id}. Leave module-id out of a "
        "new part.",
    ),
    error_text("duplicate_module_id", "The id {module_id} appears on more than one part."),
    error_text(
        "precondition_failed",
        "The HOKS has changed since you read it (current version {current}). Fetch it again "
        "and make your change to that.",
    ),
    error_text(
        "invalid_if_match",
        "The If-Match header is malformed; use the ETag value of a GET response.",
    ),
    error_text("concurrent_update", "The HOKS was changed elsewhere at the same time. Try again."),
    error_text(
        "part_route_gone",
        "Parts of a HOKS can no longer be handled separately. Send the whole HOKS with PUT.",
    ),
    error_text(
        "duplicate_in_batch", "The batch already has a HOKS for study right {oid} (item {index})."
    ),
    error_text(
        "invalid_cursor",
        "The cursor is not one this feed gives. Start without one, then send the previous "
        "answer's next-cursor.",
    ),
    error_text("batch_not_list", "The batch must be a JSON array of HOKS documents."),
    error_text("batch_too_large", "A batch may hold at most {max} HOKS documents; split it."),
    error_text(
        "batch_item_too_large",
        "A document of the batch is larger than a single HOKS may be (at most {limit} bytes).",
    ),
)
