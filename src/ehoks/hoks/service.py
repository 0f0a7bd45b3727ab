"""Reading HOKS, and the one check every read and write of a stored HOKS goes through.

Services decide and validate; they never commit (the request does) and never see HTTP. Who may do
what is decided by `ehoks.access`; `authorise` applies that decision to a row and records it on
the audit scope. Writes are in `ehoks.hoks.writes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import orjson
from sqlalchemy.orm import Session

from ehoks.access.decision import Action
from ehoks.access.rules import Access
from ehoks.audit.scope import AuditScope
from ehoks.hoks import export
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from ehoks.hoks.repository import HoksRead, HoksView
from ehoks.hoks.stored import StoredHoks, ownership
from ehoks.hoksmodel import MODULE_ID, Variant
from ehoks.kit.errors import ApiError
from ehoks.registry import repository as registry_repository

# The field every learning period (osaamisen hankkimistapa) has, and no other record.
PERIOD_CODE: Final = "osaamisen-hankkimistapa-koodi-uri"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts on HOKS: their access, where decisions are recorded, and the validation variant.

    `student_oids`: the caller named a student (the staff routes' address); a HOKS of anyone else
    is then not found, even one the caller could read.
    """

    access: Access
    audit: AuditScope | None = None
    variant: Variant = Variant.SERVICE
    student_oids: frozenset[str] | None = None

    @property
    def name(self) -> str:
        """Recorded on the row and its history as who wrote it."""
        return self.access.subject.audit_name

    @property
    def manual_entry(self) -> bool:
        return self.variant is Variant.STAFF


def authorise(actor: Actor, row: Hoks | HoksView | HoksRead | None, action: Action) -> None:
    """Refuse unless the actor may do `action` to this HOKS; record the decision for the audit.

    A missing HOKS and one the actor may not read are the same 404.
    """
    if actor.audit is not None and row is not None:
        actor.audit.about(hoks_id=row.id, oppija_oid=row.oppija_oid)
    if row is None:
        raise ApiError(404, "hoks_not_found")
    # Decided before the student named in the address is compared: a HOKS of another student
    # then costs the same work (the same queries) as one of the named student that the caller
    # may not read, and the timing tells nothing about whose HOKS an id is.
    decision = actor.access.hoks(ownership(row), action)
    if actor.student_oids is not None and row.oppija_oid not in actor.student_oids:
        raise ApiError(404, "hoks_not_found")
    if actor.audit is not None:
        actor.audit.decided(decision)
    decision.enforce()


def get_hoks(session: Session, hoks_id: int, actor: Actor) -> StoredHoks:
    """A HOKS the actor may read; 404 alike for a missing one and one of another provider."""
    row = hoks_repository.view(session, hoks_id)
    authorise(actor, row, Action.READ)
    assert row is not None  # authorise refused a missing one  # noqa: S101
    return StoredHoks.of(row)


def get_hoks_by_study_right(session: Session, opiskeluoikeus_oid: str, actor: Actor) -> StoredHoks:
    row = hoks_repository.view_by_study_right(session, opiskeluoikeus_oid)
    authorise(actor, row, Action.READ)
    assert row is not None  # authorise refused a missing one  # noqa: S101
    return StoredHoks.of(row)


@dataclass(frozen=True, slots=True)
class ExportPage:
    """A page of the statistics feed: redacted documents, and the rows it came from."""

    result: list[dict[str, object]]
    failed_ids: list[int]
    rows: Sequence[Hoks]

    @property
    def last_id(self) -> int | None:
        return self.rows[-1].id if self.rows else None


def export_page(
    session: Session,
    actor: Actor,
    *,
    after_id: int,
    amount: int,
    updated_after: datetime | None,
) -> ExportPage:
    """The HOKS the actor may read after `after_id`, in id order, redacted for statistics.

    The rows come from the actor's list scope: exactly the HOKS a single read would give them
    (soft-deleted ones included, marked `poistettu`).
    """
    rows = hoks_repository.page_in_scope(
        session,
        actor.access.hoks_scope(procured=False),
        after_id=after_id,
        amount=amount,
        updated_after=updated_after,
    )
    result: list[dict[str, object]] = []
    failed: list[int] = []
    for row in rows:
        try:
            full = orjson.loads(StoredHoks.of(row).full_json())
        except orjson.JSONDecodeError:
            failed.append(row.id)
            continue
        result.append(export.feed_form(full, row.deleted_at))
    return ExportPage(result, failed, rows)


def learning_period(session: Session, module_id: str, actor: Actor) -> dict[str, Any]:
    """A learning period (osaamisen hankkimistapa) found by its `module-id`, from a HOKS the
    actor may read; 404 alike for a missing one and one of another provider."""
    for hoks_id in hoks_repository.ids_mentioning(session, module_id):
        row = hoks_repository.view(session, hoks_id)
        if row is None:
            continue
        try:
            authorise(actor, row, Action.READ)
        except ApiError:
            continue
        period = _period_with_id(orjson.loads(StoredHoks.of(row).document), module_id)
        if period is not None:
            return period
    raise ApiError(404, "learning_period_not_found")


def procured_study_rights(session: Session, hoks_id: int, actor: Actor) -> list[str]:
    """The procured-training study rights contained in the HOKS's study right (national
    `hankintakoulutukset`), for a HOKS the actor may read."""
    row = hoks_repository.view(session, hoks_id)
    authorise(actor, row, Action.READ)
    assert row is not None  # authorise refused a missing one  # noqa: S101
    return registry_repository.study_right_oids_contained_in(session, row.opiskeluoikeus_oid)


def _period_with_id(node: Any, module_id: str) -> dict[str, Any] | None:
    """The learning period with this module-id anywhere in a document."""
    if isinstance(node, dict):
        if node.get(MODULE_ID) == module_id and PERIOD_CODE in node:
            return node
        children: Iterable[Any] = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = _period_with_id(child, module_id)
        if found is not None:
            return found
    return None
