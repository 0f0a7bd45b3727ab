"""The change feed of provider systems: what happened to their HOKS since their cursor.

A cursor names a place in commit order (`ehoks.kit.db.ordering`): a consumer that asks again
with the `next` cursor of each answer sees every change once, never one twice, however the
writers' transactions interleaved. Each change carries the document as that change left it, so
that a consumer can apply the changes in order; a deleted HOKS carries none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import orjson
from sqlalchemy.orm import Session

from ehoks.hoks.changes import repository
from ehoks.hoks.changes.repository import ChangeRow
from ehoks.hoks.export import feed_form, format_instant
from ehoks.hoks.models import ChangeKind
from ehoks.hoks.service import Actor
from ehoks.hoks.stored import StoredHoks
from ehoks.kit.errors import ApiError, Violation
from ehoks.kit.responses import Raw

START: Final = "0.0"
_CURSOR = re.compile(r"(\d{1,19})\.(\d{1,10})", re.ASCII)
_MAX_TXID = 2**63 - 1
_MAX_SEQ = 2**31 - 1


def parse_cursor(text: str | None) -> tuple[int, int]:
    """(transaction id, sequence) of a cursor this feed handed out; the start when none."""
    match = _CURSOR.fullmatch(text or START)
    if match is None:
        raise _bad_cursor()
    txid, seq = int(match[1]), int(match[2])
    if txid > _MAX_TXID or seq > _MAX_SEQ:
        raise _bad_cursor()
    return txid, seq


def _bad_cursor() -> ApiError:
    where = Violation("invalid_cursor", "/query/after")
    return ApiError(400, "invalid_cursor", violations=[where])


def format_cursor(txid: int, seq: int) -> str:
    return f"{txid}.{seq}"


@dataclass(frozen=True, slots=True)
class ChangePage:
    changes: list[dict[str, object]]
    next: str
    waiting: bool
    rows: Sequence[ChangeRow]


def change_page(session: Session, actor: Actor, *, after: str | None, limit: int) -> ChangePage:
    """The changes after `after` of the HOKS the actor may read, oldest first.

    A provider system gets each document whole, as a read of it would answer; a caller whose
    scope is every organisation (national statistics) gets it redacted as the statistics feed.
    """
    cursor = parse_cursor(after)
    scope = actor.access.hoks_scope(procured=False)
    national = scope.owned_by is not None and scope.owned_by.every
    rows = repository.settled_changes(session, scope, after=cursor, limit=limit)
    changes = [_entry(row, redacted=national) for row in rows]
    last = format_cursor(rows[-1].txid, rows[-1].seq) if rows else format_cursor(*cursor)
    waiting = len(rows) < limit and repository.unsettled_changes_exist(
        session, scope, after=(rows[-1].txid, rows[-1].seq) if rows else cursor
    )
    return ChangePage(changes, last, waiting, rows)


def _entry(row: ChangeRow, *, redacted: bool) -> dict[str, object]:
    entry: dict[str, object] = {
        "cursor": format_cursor(row.txid, row.seq),
        "change": row.kind,
        "hoks-id": row.hoks_id,
        "revision": row.revision,
        "at": format_instant(row.at),
        "oppija-oid": row.oppija_oid,
        "opiskeluoikeus-oid": row.opiskeluoikeus_oid,
    }
    if row.kind == ChangeKind.DELETED or row.document is None:
        return entry
    stored = StoredHoks(
        id=row.hoks_id,
        eid=row.eid,
        revision=row.revision,
        manuaalisyotto=row.manuaalisyotto,
        document=row.document.encode(),
        oppija_oid=row.oppija_oid,
    )
    if redacted:
        entry["hoks"] = feed_form(orjson.loads(stored.full_json()), None)
    else:
        entry["hoks"] = Raw(stored.full_json())
    return entry
