"""Access scopes (`ehoks.access.decision.HoksScope`) as SQL over the columns that name an owner.

Both a HOKS row and a study right carry their study right's oppilaitos and koulutustoimija; a list
applies its caller's scope with `in_scope`, so that it shows exactly the rows a single read of
each would allow.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, true
from sqlalchemy.orm import aliased

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.registry.models import StudyRight

# The study rights contained in a listed one (procured training); made once, since building an
# alias copies every column.
_CONTAINED = aliased(StudyRight, name="contained_study_right")
# Up to this many organisations, a list ordered by name reads each one's rows from an index in
# order and merges them; beyond it (each is a branch the planner plans), one scan with the OR.
MAX_ORDERED_OWNERS = 16


def owned_within(
    oppilaitos: Any, koulutustoimija: Any, organisations: OrganisationSet
) -> ColumnElement[bool]:
    """Rows whose oppilaitos or koulutustoimija is one of `organisations`."""
    if organisations.every:
        return true()
    oids = sorted(organisations.oids)
    clause: ColumnElement[bool] = or_(oppilaitos.in_(oids), koulutustoimija.in_(oids))
    return clause


def owner_legs(
    oppilaitos: Any, koulutustoimija: Any, organisations: OrganisationSet
) -> list[ColumnElement[bool]]:
    """Disjoint conditions whose union is `owned_within`: one equality on one owner column each.

    An index on (owner, name, id) reads each in name order, so a page of a list ordered by name
    is a merge of short ordered index range scans instead of a sort of every matching row. A row
    of an oppilaitos in `organisations` belongs to that oppilaitos's leg only; its koulutustoimija's
    leg takes the rows whose oppilaitos is none of them.
    """
    if organisations.every or len(organisations.oids) > MAX_ORDERED_OWNERS:
        return [owned_within(oppilaitos, koulutustoimija, organisations)]
    oids = sorted(organisations.oids)
    if not oids:
        return [false()]
    elsewhere = or_(oppilaitos.is_(None), oppilaitos.not_in(oids))
    legs: list[ColumnElement[bool]] = [oppilaitos == oid for oid in oids]
    legs += [and_(koulutustoimija == oid, elsewhere) for oid in oids]
    return legs


def in_scope(
    scope: HoksScope,
    *,
    study_right_oid: Any,
    oppilaitos: Any,
    koulutustoimija: Any,
    oppija_oid: Any,
) -> ColumnElement[bool]:
    """The rows of `scope`, given the columns of the listed table that name its owner."""
    clauses: list[ColumnElement[bool]] = []
    if scope.owned_by is not None:
        clauses.append(owned_within(oppilaitos, koulutustoimija, scope.owned_by))
    if scope.procured_by is not None:
        clauses.append(
            exists().where(
                _CONTAINED.contained_in_oid == study_right_oid,
                owned_within(
                    _CONTAINED.oppilaitos_oid, _CONTAINED.koulutustoimija_oid, scope.procured_by
                ),
            )
        )
    if scope.oppija_oids is not None:
        clauses.append(oppija_oid.in_(sorted(scope.oppija_oids)))
    return or_(*clauses) if clauses else false()


def owner_ranges(
    oppilaitos: Any, koulutustoimija: Any, organisations: OrganisationSet
) -> list[ColumnElement[bool]]:
    """Conditions whose union is `owned_within`, each one equality on one owner column alone.

    Unlike `owner_legs` they overlap (a plan of a school of the provider is in both the school's
    and the provider's), so a list that reads them must drop the repeats; in exchange each is a
    plain range of an (owner, name, id) index that stops at the page's end, where the provider's
    leg of `owner_legs` reads all of its plans to find those of no listed school.
    """
    if organisations.every or len(organisations.oids) > MAX_ORDERED_OWNERS:
        return [owned_within(oppilaitos, koulutustoimija, organisations)]
    oids = sorted(organisations.oids)
    if not oids:
        return [false()]
    return [oppilaitos == oid for oid in oids] + [koulutustoimija == oid for oid in oids]
