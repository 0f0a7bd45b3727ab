"""Creating or replacing many HOKS by their study rights: the idempotent nightly synchronisation.

Each document of a batch names its study right (`opiskeluoikeus-oid`). A study right without a
HOKS gets one, with exactly the checks and batched writes of `ehoks.hoks.bulk`; a HOKS that exists
is replaced with exactly the checks of a PUT (`ehoks.hoks.writes.replace_hoks`), and is left alone
when the document equals the stored one. Sending the same batch twice therefore changes nothing
the second time: no revision, no history, no change-feed entry, no feedback decided again. Every
write tells the "HOKS written" listeners in the same transaction, as a single write does.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import orjson
from sqlalchemy.orm import Session

from ehoks.audit import service as audit
from ehoks.hoks import bulk, writes
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from ehoks.hoksmodel.formats import is_valid_opiskeluoikeus_oid
from ehoks.kit.errors import MAX_VIOLATIONS, ApiError
from ehoks.kit.jsonarray import Item


class Result(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass
class UpsertItem(bulk.ItemResult):
    """One document's outcome: what happened to its HOKS, or the error."""

    result: Result | None = None
    revision: int | None = None
    changes: list[dict[str, Any]] | None = None


def upsert_many(session: Session, batch: bulk.Batch) -> tuple[list[UpsertItem], list[audit.Event]]:
    """Create or replace the HOKS of each document's study right; each outcome in order, and the
    audit record of each (for the caller to write)."""
    items = batch.items
    results = [UpsertItem(index) for index in range(len(items))]
    keys = [_study_right_of(item) for item in items]
    existing = hoks_repository.by_study_rights(session, [key for key in keys if key])
    first_at: dict[str, int] = {}
    to_create: list[UpsertItem] = []
    for result, key in zip(results, keys, strict=True):
        if key is not None and key in first_at:
            params = {"oid": key, "index": first_at[key]}
            result.error = ApiError(400, "duplicate_in_batch", params=params)
            continue
        if key is not None:
            first_at[key] = result.index
        row = existing.get(key) if key is not None else None
        if row is None:
            to_create.append(result)
        elif row.deleted_at is not None:
            result.error = writes.existing_error(row)
        else:
            _replace(session, result, row, items[result.index], batch)
    new = [items[result.index] for result in to_create]
    created, _ = bulk.create_many(session, dataclasses.replace(batch, items=new))
    for result, outcome in zip(to_create, created, strict=True):
        result.hoks_id, result.oppija_oid, result.error = (
            outcome.hoks_id,
            outcome.oppija_oid,
            outcome.error,
        )
        if outcome.error is None:
            result.result, result.revision = Result.CREATED, 1
        elif outcome.error.code == "hoks_exists":
            # Another request created this study right's HOKS after the lookup above: what a
            # later batch would do to it, a replace, is done now.
            created_meanwhile = hoks_repository.get_by_study_right(
                session, keys[result.index] or ""
            )
            if created_meanwhile is not None:
                result.error = None
                _replace(session, result, created_meanwhile, items[result.index], batch)
    _share_violation_budget(results)
    return results, [_audit_event(batch.audit_event, result) for result in results]


def _study_right_of(item: Item) -> str | None:
    """The study right a document names, when it is well-formed (its key)."""
    try:
        body = bulk.item_value(item)
    except orjson.JSONDecodeError:
        return None
    oid = body.get("opiskeluoikeus-oid") if isinstance(body, dict) else None
    return oid if isinstance(oid, str) and is_valid_opiskeluoikeus_oid(oid) else None


def _replace(
    session: Session, result: UpsertItem, row: Hoks, item: Item, batch: bulk.Batch
) -> None:
    """Replace one existing HOKS (`item`, a document of the batch) as a PUT would, unless
    nothing would change."""
    body = dict(bulk.item_value(item))  # the batch's own value is left as it was sent
    # The documents are in the create shape; a replace names the HOKS it replaces.
    body.setdefault("id", row.id)
    before = row.revision
    result.hoks_id, result.oppija_oid = row.id, row.oppija_oid
    change = writes.Change(row.id, body, None, batch.today, batch.now, skip_unchanged=True)
    try:
        # A savepoint: a document refused halfway leaves nothing of itself behind.
        with session.begin_nested():
            stored = writes.replace_hoks(session, change, batch.actor)
    except ApiError as error:
        # Its traceback's frames would keep the parsed document alive.
        result.error = error.with_traceback(None)
        return
    result.revision = stored.revision
    result.result = Result.UNCHANGED if stored.revision == before else Result.CHANGED
    result.changes = stored.changes


def _share_violation_budget(results: list[UpsertItem]) -> None:
    """The answer lists at most MAX_VIOLATIONS violations in all, the first documents' first."""
    budget = MAX_VIOLATIONS
    for result in results:
        if result.error is not None:
            del result.error.violations[budget:]
            budget -= len(result.error.violations)


def _audit_event(template: audit.Event, result: UpsertItem) -> audit.Event:
    """The record a single write would leave: the HOKS and what became of it, or the refusal."""
    event = bulk.audit_event_of(template, result)
    if result.error is not None or result.result is None:
        return event
    details: dict[str, Any] = {**event.details, "result": result.result.value}
    if result.changes:
        details["changes"] = result.changes
    return dataclasses.replace(event, details=details)
