"""What the provider API answers besides the HOKS document itself (its wire models)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, RootModel

from ehoks.kit.responses import Wire, omitted_if_none


class Created(Wire):
    uri: str = Field(description="The new HOKS's address.")


class CreatedMeta(Wire):
    id: int = Field(description="The new HOKS's id.")


class BulkItem(Wire):
    """One document of a batch: created (`id`, `uri`) or refused (`error`), by its `index`."""

    index: int
    id: int | None = omitted_if_none("The new HOKS's id.")
    uri: str | None = omitted_if_none("The new HOKS's address.")
    error: dict[str, Any] | None = omitted_if_none(
        "The error body a single create gives this document."
    )


class BulkMeta(Wire):
    created: int
    refused: int


class FeedPage(Wire):
    """A page of the statistics feed."""

    last_id: int = Field(description="Ask for the next page with `from-id` = this.")
    failed_ids: list[int] = Field(description="HOKS whose stored document could not be read.")
    result: list[dict[str, Any]] = Field(
        description="HOKS without contact data and personal names (HOKSVipunen); a deleted one "
        "carries `poistettu`."
    )


class ProcuredStudyRights(RootModel[list[str]]):
    """The study-right OIDs of procured training (a bare list, as the national service answers)."""
