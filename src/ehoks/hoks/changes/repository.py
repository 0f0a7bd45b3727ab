"""Queries of the HOKS change feed: the settled changes after a cursor, within an access scope."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, exists, select, tuple_
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope
from ehoks.hoks.models import Hoks, HoksChangeEntry, HoksRevision
from ehoks.hoks.repository import in_scope_of
from ehoks.kit.db.ordering import settled_horizon


@dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change and the HOKS it happened to, with the document as that change left it."""

    txid: int
    seq: int
    hoks_id: int
    revision: int
    kind: str
    at: datetime
    eid: str
    manuaalisyotto: bool
    oppija_oid: str
    opiskeluoikeus_oid: str
    document: str | None


_ENTRY = HoksChangeEntry
# The document as of the change: the current one when the change made the current revision,
# else the superseded revision it made (kept in the history).
_DOCUMENT_THEN = case(
    (Hoks.revision == _ENTRY.revision, Hoks.document), else_=HoksRevision.document
).label("document")


def _after(txid: int, seq: int) -> ColumnElement[bool]:
    return tuple_(_ENTRY.txid, _ENTRY.seq) > tuple_(txid, seq)


def settled_changes(
    session: Session, scope: HoksScope, *, after: tuple[int, int], limit: int
) -> Sequence[ChangeRow]:
    """Up to `limit` changes after the cursor (`after`: transaction id, sequence), oldest first,
    of HOKS in `scope`, all written by transactions that have ended (`ehoks.kit.db.ordering`)."""
    statement = (
        select(
            _ENTRY.txid,
            _ENTRY.seq,
            _ENTRY.hoks_id,
            _ENTRY.revision,
            _ENTRY.kind,
            _ENTRY.at,
            Hoks.eid,
            Hoks.manuaalisyotto,
            Hoks.oppija_oid,
            Hoks.opiskeluoikeus_oid,
            _DOCUMENT_THEN,
        )
        .join(Hoks, Hoks.id == _ENTRY.hoks_id)
        .outerjoin(
            HoksRevision,
            and_(HoksRevision.hoks_id == _ENTRY.hoks_id, HoksRevision.revision == _ENTRY.revision),
        )
        .where(_after(*after), in_scope_of(scope))
        .order_by(_ENTRY.txid, _ENTRY.seq)
        .limit(limit)
    )
    horizon = settled_horizon(session)
    if horizon is not None:
        statement = statement.where(_ENTRY.txid < horizon)
    return [ChangeRow(*row) for row in session.execute(statement)]


def unsettled_changes_exist(session: Session, scope: HoksScope, *, after: tuple[int, int]) -> bool:
    """Whether changes after the cursor have committed but wait for older transactions to end
    before the feed may show them."""
    horizon = settled_horizon(session)
    if horizon is None:
        return False
    waiting = (
        select(_ENTRY.seq)
        .join(Hoks, Hoks.id == _ENTRY.hoks_id)
        .where(_after(*after), _ENTRY.txid >= horizon, in_scope_of(scope))
    )
    return bool(session.scalar(select(exists(waiting))))
