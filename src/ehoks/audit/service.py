"""Writing and verifying the audit log.

`record` appends an event to one of the chains inside the caller's transaction, so a change and
its audit record commit or roll back together. The chain is chosen by the student the event is
about (else by who acted): the same student's records always share one chain, in the order they
were written, which makes where a record lands predictable for verification and tests alike.
A refused or failed request rolls its transaction back; its event is then written by
`record_in_new_transaction`.

The hash of a record covers every field of it and the previous record's hash in its chain:
editing, removing or reordering any record makes `verify` fail at that place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session, sessionmaker

from ehoks.audit import repository
from ehoks.audit.models import CHAIN_COUNT, GENESIS_HASH, AuditEvent
from ehoks.audit.records import ChainedRecord


class Outcome:
    SUCCESS = "success"
    DENIED = "denied"
    FAILED = "failed"


@dataclass(frozen=True)
class Event:
    """What to record. `subject_*` say who, `hoks_id`/`oppija_oid` what, `operation` how."""

    request_id: str
    subject_kind: str
    subject_id: str
    operation: str
    outcome: str
    organisation_oid: str | None = None
    role: str | None = None
    hoks_id: int | None = None
    oppija_oid: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    occurred_at: datetime | None = None


def record(
    session: Session, event: Event, *, chain: int | None = None, relaxed: bool = False
) -> None:
    """Append `event` to a chain, holding that chain's head until the transaction ends.

    `relaxed`: the transaction changed nothing else, so its commit need not wait for the disk
    (`ehoks.kit.db.engine.relax_commit_durability`, in the same statement as the chain's head).
    """
    number = chain if chain is not None else chain_of(event)
    append_events(session, number, [event], relaxed=relaxed)


def chain_of(event: Event) -> int:
    """The chain an event goes to: by its student, else by who acted (a stable checksum, the
    same in every process; it spreads writers over the chains, it is no security measure)."""
    key = event.oppija_oid or f"{event.subject_kind}:{event.subject_id}"
    return zlib.crc32(key.encode()) % CHAIN_COUNT


def _row(number: int, position: int, prev_hash: str, event: Event, now: datetime) -> ChainedRecord:
    row = ChainedRecord(
        chain=number,
        position=position,
        occurred_at=event.occurred_at or now,
        request_id=event.request_id,
        subject_kind=event.subject_kind,
        subject_id=event.subject_id,
        organisation_oid=event.organisation_oid,
        role=event.role,
        operation=event.operation,
        outcome=event.outcome,
        hoks_id=event.hoks_id,
        oppija_oid=event.oppija_oid,
        details=event.details,
        prev_hash=prev_hash,
        hash="",
    )
    row.hash = record_hash(row)
    return row


def replace_target(event: Event, *, hoks_id: int | None, oppija_oid: str | None) -> Event:
    """The same event about another HOKS (for a batch: one record per HOKS touched)."""
    return dataclasses.replace(event, hoks_id=hoks_id, oppija_oid=oppija_oid)


def record_many(session: Session, events: Sequence[Event]) -> None:
    """Append several events to one chain at once (e.g. a batch or an export page): the chain
    of the first, so that one head lock covers the whole batch."""
    if not events:
        return
    append_events(session, chain_of(events[0]), events)


def record_removals(
    session: Session,
    operator: str,
    operation: str,
    removed: Iterable[tuple[int | None, str | None, str]],
    *,
    ids_key: str,
    fields: Sequence[str],
) -> None:
    """One record per plan of what an operator's purge stripped from a batch of rows:
    `removed` holds (HOKS id, student OID, row id) for each row; the record names the plan's
    row ids under `ids_key` and the `fields` taken from them. All on one chain (one head lock),
    as for any batch of records."""
    by_plan: dict[tuple[int | None, str | None], list[str]] = defaultdict(list)
    for hoks_id, oppija_oid, row_id in removed:
        by_plan[(hoks_id, oppija_oid)].append(row_id)
    batch = Event(
        request_id=uuid.uuid4().hex,
        subject_kind="operator",
        subject_id=operator,
        operation=operation,
        outcome=Outcome.SUCCESS,
    )
    record_many(
        session,
        [
            dataclasses.replace(
                batch,
                hoks_id=hoks_id,
                oppija_oid=oppija_oid,
                details={ids_key: ids, "removed": list(fields)},
            )
            for (hoks_id, oppija_oid), ids in by_plan.items()
        ],
    )


def at_time(event: Event, moment: datetime) -> Event:
    """The event stamped with when it happened (a read recorded a moment later)."""
    return dataclasses.replace(event, occurred_at=moment)


def append_events(
    session: Session, number: int, events: Sequence[Event], *, relaxed: bool = False
) -> None:
    """Chain `events` in order onto chain `number`, in three statements whatever their count
    (two for a single event on PostgreSQL, whose insert and head update go together).

    The head moves by len(events) at once; taking the positions locks the head and reads the
    previous hash in one round trip, and the records are chained here before one insert.
    """
    last, prev_hash = repository.advance_chain(session, number, len(events), relaxed=relaxed)
    now = datetime.now(UTC)
    rows = []
    for position, event in enumerate(events, start=last - len(events) + 1):
        row = _row(number, position, prev_hash, event, now)
        rows.append(row)
        prev_hash = row.hash
    repository.append_to_chain(session, number, rows)


def record_in_new_transaction(
    factory: sessionmaker[Session], event: Event, *, relaxed: bool = False
) -> None:
    """Record a refused or failed request after its own transaction was rolled back, or a read
    after its read-only one (`relaxed`: the commit need not wait for the disk)."""
    with factory() as session:
        record(session, event, relaxed=relaxed)
        session.commit()


def record_hash(row: AuditEvent | ChainedRecord) -> str:
    """The hash of a record's every field and its predecessor's hash (as written, or as read
    back to be verified)."""
    occurred = row.occurred_at.astimezone(UTC).isoformat(timespec="microseconds")
    content = orjson.dumps(
        [
            row.chain,
            row.position,
            occurred,
            row.request_id,
            row.subject_kind,
            row.subject_id,
            row.organisation_oid,
            row.role,
            row.operation,
            row.outcome,
            row.hoks_id,
            row.oppija_oid,
            row.details,
            row.prev_hash,
        ],
        option=orjson.OPT_SORT_KEYS,
    )
    return hashlib.sha256(content).hexdigest()


@dataclass
class VerifyReport:
    records: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session, *, batch: int = 5000) -> VerifyReport:
    """Walk every chain and recompute it; report each break (edited, removed, reordered)."""
    report = VerifyReport()
    heads = repository.chain_heads(session)
    for number in range(CHAIN_COUNT):
        head = heads.get(number)
        if head is None:
            report.problems.append(f"chain {number}: its head row is missing")
            continue
        expected_prev = GENESIS_HASH
        expected_position = 1
        for row in repository.chain_rows(session, number, batch):
            report.records += 1
            where = f"chain {number} position {row.position} (id {row.id})"
            if row.position != expected_position:
                report.problems.append(
                    f"{where}: expected position {expected_position}; a record is missing"
                )
            if row.prev_hash != expected_prev:
                report.problems.append(f"{where}: does not follow the previous record")
            if record_hash(row) != row.hash:
                report.problems.append(f"{where}: content does not match its hash (edited)")
            expected_prev = row.hash
            expected_position = row.position + 1
        if head.length != expected_position - 1 or head.head_hash != expected_prev:
            report.problems.append(
                f"chain {number}: head says {head.length} records ending {head.head_hash[:12]}, "
                f"found {expected_position - 1} ending {expected_prev[:12]} (records removed?)"
            )
    return report


def events_about_student(
    session: Session, oppija_oid: str, *, limit: int = 500
) -> Sequence[AuditEvent]:
    """Successful reads and changes of a student's data, newest first (for the student)."""
    return repository.events_about(session, oppija_oid, outcome=Outcome.SUCCESS, limit=limit)


def document_changes(old: Any, new: Any, path: str = "") -> list[dict[str, Any]]:
    """Leaf-level differences between two JSON documents, as {path, old, new} (JSON Pointers).

    `module-id`s are left out: they identify parts, they are not content.
    """
    if isinstance(old, dict) and isinstance(new, dict):
        keys = sorted((old.keys() | new.keys()) - {"module-id"})
        pairs = [(f"{path}/{k}", old.get(k, _ABSENT), new.get(k, _ABSENT)) for k in keys]
    elif isinstance(old, list) and isinstance(new, list):
        pairs = [
            (
                f"{path}/{i}",
                old[i] if i < len(old) else _ABSENT,
                new[i] if i < len(new) else _ABSENT,
            )
            for i in range(max(len(old), len(new)))
        ]
    else:
        if old == new and type(old) is type(new):
            return []
        return [_change(path, old, new)]
    changes: list[dict[str, Any]] = []
    for sub, before, after in pairs:
        if before is _ABSENT or after is _ABSENT:
            changes.append(_change(sub, before, after))
        else:
            changes += document_changes(before, after, sub)
    return changes


_ABSENT: Any = object()


def _change(path: str, old: Any, new: Any) -> dict[str, Any]:
    change: dict[str, Any] = {"path": path}
    if old is not _ABSENT:
        change["old"] = old
    if new is not _ABSENT:
        change["new"] = new
    return change
