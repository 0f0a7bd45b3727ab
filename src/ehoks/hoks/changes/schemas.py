"""The change feed's answer, as the OpenAPI document describes it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ehoks.kit.responses import Wire, omitted_if_none


class ChangeEntry(Wire):
    """One change of one HOKS."""

    cursor: str = Field(description="The feed's place after this change.")
    change: Literal["created", "changed", "deleted", "restored"]
    hoks_id: int = Field(description="The HOKS's id.")
    revision: int = Field(description="The HOKS's version after the change (its ETag).")
    at: str = Field(description="When the change was made (UTC, ISO 8601).")
    oppija_oid: str
    opiskeluoikeus_oid: str
    hoks: dict[str, Any] | None = omitted_if_none(
        "The HOKS as this change left it, as a GET answers it (redacted as the statistics feed "
        "for a national caller); absent for a deletion."
    )


class ChangeFeedPage(Wire):
    changes: list[ChangeEntry] = Field(description="Oldest first; at most `limit`.")
    next_cursor: str = Field(description="Ask for the next changes with `after` = this.")
    waiting: bool = Field(
        description="Newer changes have been saved but wait for earlier transactions to end; "
        "ask again in a moment. False once the feed is caught up."
    )
