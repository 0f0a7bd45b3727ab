"""Queries of the HOKS change feed: the settled changes after a cursor, within an access scope;
and what a change row is written with (`change_row`: the HOKS repository writes them).

A change row carries its plan's owners, copied from the plan as the row is inserted (a plan's
owners never change after it is created), so that a provider's feed reads a range of its own
organisations' changes instead of walking every provider's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Subquery,
    and_,
    bindparam,
    case,
    exists,
    false,
    or_,
    select,
    text,
    tuple_,
    union,
)
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope
from ehoks.hoks.models import Hoks, HoksChangeEntry, HoksRevision
from ehoks.kit.db.ordering import settled_horizon, writing_transaction
from ehoks.registry.scoping import MAX_ORDERED_OWNERS, in_scope


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


# The HOKS id of each row of an insert of change rows, by this name in its parameters.
PLAN: Final = "plan"


def change_row(session: Session, at: datetime) -> dict[str, Any]:
    """The values of an insert of change rows besides `revision` and `kind`; each row's
    parameters name its HOKS id as `plan`."""
    plan: Any = bindparam(PLAN)
    return {
        "txid": writing_transaction(session),
        "at": at,
        "hoks_id": plan,
        "oppilaitos_oid": select(Hoks.oppilaitos_oid).where(Hoks.id == plan).scalar_subquery(),
        "koulutustoimija_oid": (
            select(Hoks.koulutustoimija_oid).where(Hoks.id == plan).scalar_subquery()
        ),
    }


# Many changes at once on PostgreSQL (a batch create): one array per column and the owners
# joined from the plans, instead of a statement per row each reading its plan twice.
_CHANGES_AS_ARRAYS = text(
    """
    INSERT INTO hoks_change (txid, hoks_id, revision, kind, at, oppilaitos_oid,
        koulutustoimija_oid)
    SELECT pg_current_xact_id()::text::bigint, c.plan, c.revision, c.kind, :at,
        h.oppilaitos_oid, h.koulutustoimija_oid
    FROM unnest(CAST(:plans AS integer[]), CAST(:revisions AS integer[]),
        CAST(:kinds AS varchar[])) WITH ORDINALITY AS c (plan, revision, kind, n)
    LEFT JOIN hoks h ON h.id = c.plan
    ORDER BY c.n
    """
).bindparams(bindparam("at", type_=HoksChangeEntry.__table__.c.at.type))


def insert_many_changes(
    session: Session, changes: Sequence[tuple[int, int, str]], at: datetime
) -> None:
    """Change rows (HOKS id, new revision, kind) of many plans in one statement, in order, their
    owners read from the plans (PostgreSQL; `ehoks.hoks.repository.record_changes`)."""
    plans, revisions, kinds = zip(*changes, strict=True)
    session.connection().execute(
        _CHANGES_AS_ARRAYS,
        {
            "plans": list(plans),
            "revisions": list(revisions),
            "kinds": list(map(str, kinds)),
            "at": at,
        },
    )


def _in_scope_of(scope: HoksScope) -> ColumnElement[bool]:
    """The plans of an access scope (as `ehoks.hoks.repository.in_scope_of`, which imports this
    module for `change_row`)."""
    return in_scope(
        scope,
        study_right_oid=Hoks.opiskeluoikeus_oid,
        oppilaitos=Hoks.oppilaitos_oid,
        koulutustoimija=Hoks.koulutustoimija_oid,
        oppija_oid=Hoks.oppija_oid,
    )


def _after(txid: int, seq: int) -> ColumnElement[bool]:
    return tuple_(_ENTRY.txid, _ENTRY.seq) > tuple_(txid, seq)


def _owner_ranges(scope: HoksScope) -> list[ColumnElement[bool]] | None:
    """Conditions on the change rows' own owner columns whose union is the scope, each one
    range of an (owner, txid, seq) index; None when the scope is not only organisations (or is
    every one: the national feed reads all changes anyway)."""
    owned = scope.owned_by
    if owned is None or owned.every or scope.procured_by is not None or scope.oppija_oids:
        return None
    oids = sorted(owned.oids)
    if not oids:
        return [false()]
    if len(oids) > MAX_ORDERED_OWNERS:
        return [or_(_ENTRY.oppilaitos_oid.in_(oids), _ENTRY.koulutustoimija_oid.in_(oids))]
    return [_ENTRY.koulutustoimija_oid == oid for oid in oids] + [
        _ENTRY.oppilaitos_oid == oid for oid in oids
    ]


def _page_of_ranges(
    ranges: list[ColumnElement[bool]],
    after: tuple[int, int],
    horizon: ColumnElement[int] | None,
    limit: int,
) -> Subquery:
    """The (txid, seq) of the page's changes: each range read in order up to `limit`, merged.

    A change is in two ranges when both its owners are the caller's (a school of the provider):
    the UNION keeps it once. Each range in a subquery of its own, as SQLite wants no ORDER BY in
    a UNION's member.
    """
    parts = []
    for condition in ranges:
        leg = select(_ENTRY.txid, _ENTRY.seq).where(condition, _after(*after))
        if horizon is not None:
            leg = leg.where(_ENTRY.txid < horizon)
        parts.append(leg.order_by(_ENTRY.txid, _ENTRY.seq).limit(limit).subquery())
    if len(parts) == 1:
        return parts[0]
    merged = union(*(select(part.c.txid, part.c.seq) for part in parts)).subquery()
    ordered = select(merged.c.txid, merged.c.seq).order_by(merged.c.txid, merged.c.seq)
    return ordered.limit(limit).subquery()


def settled_changes(
    session: Session, scope: HoksScope, *, after: tuple[int, int], limit: int
) -> Sequence[ChangeRow]:
    """Up to `limit` changes after the cursor (`after`: transaction id, sequence), oldest first,
    of HOKS in `scope`, all written by transactions that have ended (`ehoks.kit.db.ordering`).

    A provider's page is read from its own organisations' ranges of the change rows (their
    owner columns), never walking other providers' changes; the plan's own owners are checked
    again on the join, as every list does.
    """
    horizon = settled_horizon(session)
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
        .where(_in_scope_of(scope))
        .order_by(_ENTRY.txid, _ENTRY.seq)
        .limit(limit)
    )
    ranges = _owner_ranges(scope)
    if ranges is not None:
        page = _page_of_ranges(ranges, after, horizon, limit)
        statement = statement.join(page, page.c.seq == _ENTRY.seq)
    else:
        statement = statement.where(_after(*after))
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
        .where(_after(*after), _ENTRY.txid >= horizon, _in_scope_of(scope))
    )
    return bool(session.scalar(select(exists(waiting))))
