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


class UpsertedItem(Wire):
    """One document of an upsert batch: what became of its study right's HOKS, or the error."""

    index: int
    result: Literal["created", "changed", "unchanged"] | None = omitted_if_none(
        "Created, replaced with a new revision, or already as sent (nothing written)."
    )
    id: int | None = omitted_if_none("The HOKS's id.")
    uri: str | None = omitted_if_none("The HOKS's address.")
    revision: int | None = omitted_if_none("The HOKS's version now (its ETag).")
    error: dict[str, Any] | None = omitted_if_none(
        "The error body a single create or replace gives this document."
    )


class UpsertMeta(Wire):
    created: int
    changed: int
    unchanged: int
    refused: int
