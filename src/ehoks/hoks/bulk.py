"""Creating many HOKS in one request: the nightly synchronisation path of a provider system.

Every document gets exactly the checks of a single create (format, rules, registries, access,
one HOKS per study right) and its own result; the valid ones are written together, in one
transaction, with their history, workplace periods and audit records. The registry rows a batch
needs are loaded with one query each instead of one per document, and the rows are inserted with
one statement per table, which is what makes this several times faster than one POST each.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from ehoks.audit import service as audit
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.hooks import HOKS_WRITTEN
from ehoks.hoks.service import Actor
from ehoks.hoks.writes import existing_error, new_row, validate_new, written_new
from ehoks.hoksmodel.formats import is_valid_opiskeluoikeus_oid, is_valid_oppija_oid
from ehoks.kit.errors import MAX_VIOLATIONS, ApiError
from ehoks.kit.jsonarray import Item, Parsed
from ehoks.registry import repository as registry_repository
from ehoks.registry.models import Person, StudyRight

MAX_BATCH = 1000
# Documents parsed and checked at a time: few enough that a batch of broken documents never
# lives in memory whole, many enough that the registry rows they need load in one query.
GROUP = 100
FORBIDDEN = 403


@dataclass(frozen=True, slots=True)
class Batch:
    """One batch request: its documents (each one's JSON, or its value when the body was
    parsed whole), who sends them, and when."""

    items: list[Item]
    actor: Actor
    today: date
    now: datetime
    audit_event: audit.Event  # the record of the request, each document's record made from it


@dataclass
class ItemResult:
    """The outcome of one document of a batch: its new id, or the error a single create gives."""

    index: int
    hoks_id: int | None = None
    oppija_oid: str | None = None
    error: ApiError | None = None


def create_many(session: Session, batch: Batch) -> tuple[list[ItemResult], list[audit.Event]]:
    """Create every valid document of the batch; each one's outcome in order, and the audit
    record of each (as a single create would write it), for the caller to write.

    Documents are parsed and checked `GROUP` at a time, and a refused one is dropped at once:
    however large and broken a batch is, only the valid documents are held together. (A body no
    larger than one document may be comes parsed whole, `ehoks.kit.jsonarray.Parsed`, and is
    held whole: no more than one large document.)
    """
    items, actor, now = batch.items, batch.actor, batch.now
    results = [ItemResult(index) for index in range(len(items))]
    accepted: list[tuple[ItemResult, dict[str, Any]]] = []
    # The answer lists at most MAX_VIOLATIONS violations in all (the first refused documents'),
    # so only those are kept: a thousand broken documents do not hold a hundred each meanwhile.
    budget = MAX_VIOLATIONS
    # The session's identity map holds its rows weakly: the registry rows the batch loaded are
    # kept here until its end, so that every later lookup of them (the checks, the new rows,
    # the listeners) finds them without asking the database again.
    registry_rows: list[object] = []
    for start in range(0, len(items), GROUP):
        group = results[start : start + GROUP]
        bodies = [_parsed(items[result.index], result) for result in group]
        registry_rows += _preload_registry(session, bodies)
        for result, body in zip(group, bodies, strict=True):
            if result.error is not None:
                continue
            result.oppija_oid = _named_student(body)
            try:
                accepted.append((result, validate_new(session, body, actor, batch.today)))
            except ApiError as error:
                del error.violations[budget:]
                budget -= len(error.violations)
                # Its traceback's frames would keep the parsed document alive.
                result.error = error.with_traceback(None)
        del bodies
    accepted = _without_existing(session, accepted)
    new_rows = [new_row(session, document, actor, now) for _, document in accepted]
    accepted, new_rows, ids = _insert_unclaimed(session, accepted, new_rows)
    written = []
    for (result, _), (row, stored), hoks_id in zip(accepted, new_rows, ids, strict=True):
        result.hoks_id = hoks_id
        result.oppija_oid = row.oppija_oid
        written.append(written_new(row, hoks_id, stored))
    HOKS_WRITTEN.notify(session, written)
    del registry_rows
    return results, [audit_event_of(batch.audit_event, r) for r in results]


Accepted = list[tuple[ItemResult, dict[str, Any]]]
NewRows = list[tuple[hoks_repository.NewHoks, dict[str, Any]]]


def _insert_unclaimed(
    session: Session, accepted: Accepted, new_rows: NewRows
) -> tuple[Accepted, NewRows, list[int]]:
    """Insert the rows; when another request created a HOKS for one of their study rights after
    `_without_existing` looked, that document gets the error a sequential duplicate gets and the
    others are inserted again (the failed statement wrote nothing). What was inserted, and ids."""
    while True:
        ids = hoks_repository.insert_many(session, [row for row, _ in new_rows])
        if ids is not None:
            return accepted, new_rows, ids
        taken = hoks_repository.by_study_rights(
            session, [row.opiskeluoikeus_oid for row, _ in new_rows]
        )
        if not taken:
            # The other transaction's row is gone again (rolled back): nothing to refuse.
            raise ApiError(409, "concurrent_update")
        kept: list[
            tuple[tuple[ItemResult, dict[str, Any]], tuple[hoks_repository.NewHoks, dict[str, Any]]]
        ] = []
        for item, pair in zip(accepted, new_rows, strict=True):
            row = taken.get(pair[0].opiskeluoikeus_oid)
            if row is None:
                kept.append((item, pair))
            else:
                item[0].error = existing_error(row)
        accepted = [item for item, _ in kept]
        new_rows = [pair for _, pair in kept]


def item_value(item: Item) -> Any:
    """A document of a batch as parsed JSON (`orjson.JSONDecodeError` if its bytes are not)."""
    return item.value if isinstance(item, Parsed) else orjson.loads(item)


def _parsed(item: Item, result: ItemResult) -> Any:
    """One document of the batch, or None with the item's error (not UTF-8, say)."""
    try:
        return item_value(item)
    except orjson.JSONDecodeError as exc:
        result.error = ApiError(400, "invalid_json", params={"detail": str(exc)})
        return None


def _named_student(body: Any) -> str | None:
    """The student a document names, when it is a well-formed student OID (for its audit)."""
    oppija = body.get("oppija-oid") if isinstance(body, dict) else None
    return oppija if is_valid_oppija_oid(oppija) else None


def audit_event_of(template: audit.Event, result: ItemResult) -> audit.Event:
    """One record per document: the HOKS written, or the refusal, as a single write records."""
    if result.error is None:
        return audit.replace_target(template, hoks_id=result.hoks_id, oppija_oid=result.oppija_oid)
    outcome = audit.Outcome.DENIED if result.error.status == FORBIDDEN else audit.Outcome.FAILED
    return dataclasses.replace(
        template,
        outcome=outcome,
        oppija_oid=result.oppija_oid,
        details={**template.details, "status": result.error.status, "code": result.error.code},
    )


def _preload_registry(session: Session, bodies: list[Any]) -> list[object]:
    """Load every study right and person the batch names, in two queries; the rows loaded.

    They land in the session's identity map, where the single-create checks find them without
    asking the database again for as long as the caller holds them.
    """
    study_rights = {b.get("opiskeluoikeus-oid") for b in bodies if isinstance(b, dict)}
    people = {b.get("oppija-oid") for b in bodies if isinstance(b, dict)}
    study_right_oids = [
        o for o in study_rights if isinstance(o, str) and is_valid_opiskeluoikeus_oid(o)
    ]
    found = registry_repository.rows_by_oid(session, StudyRight, study_right_oids).values()
    person_oids = [o for o in people if isinstance(o, str) and is_valid_oppija_oid(o)]
    person_oids += [study_right.oppija_oid for study_right in found]
    people_found = registry_repository.rows_by_oid(session, Person, person_oids).values()
    return [*found, *people_found]


def _without_existing(
    session: Session, accepted: list[tuple[ItemResult, dict[str, Any]]]
) -> list[tuple[ItemResult, dict[str, Any]]]:
    """Refuse documents whose study right already has a HOKS, or appears twice in the batch."""
    oids = [document["opiskeluoikeus-oid"] for _, document in accepted]
    existing = hoks_repository.by_study_rights(session, oids)
    kept: list[tuple[ItemResult, dict[str, Any]]] = []
    claimed: dict[str, int] = {}
    for result, document in accepted:
        oid = document["opiskeluoikeus-oid"]
        row = existing.get(oid)
        if row is not None:
            result.error = existing_error(row)
        elif oid in claimed:
            result.error = ApiError(
                400, "duplicate_in_batch", params={"oid": oid, "index": claimed[oid]}
            )
        else:
            claimed[oid] = result.index
            kept.append((result, document))
    return kept
