"""Texts of the share links' errors (English; fi and sv in the catalogues)."""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import by_code, error_text

MESSAGES: Final = by_code(
    error_text(
        "share_invalid_content",
        "Choose what to share: one unit, the recognised prior competence or a summary of the plan.",
    ),
    error_text("share_unknown_part", "The plan has no such part to share."),
    error_text("share_invalid_type", "The type must be one of: {allowed}."),
    error_text("share_label_required", "Say whom the link is for (at most 200 characters)."),
    error_text("share_invalid_date", "Give the date as 31.12.2026."),
    error_text("share_end_in_past", "The link's last day cannot be in the past."),
    error_text("share_end_before_start", "The link's last day cannot be before its first day."),
    error_text("share_too_long", "A link can be open for at most a year."),
    error_text("share_link_not_found", "There is no such share link."),
    error_text("share_link_revoked", "The student has withdrawn this link."),
    error_text("share_link_plan_deleted", "The plan this link showed has been removed."),
    error_text("share_link_expired", "This link's time has run out."),
    error_text("share_link_not_yet_open", "This link opens on {day}."),
    error_text("share_link_gone", "What this link showed is no longer in the plan."),
)
