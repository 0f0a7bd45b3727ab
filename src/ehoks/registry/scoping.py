"""Access scopes (`ehoks.access.decision.HoksScope`) as SQL over the columns that name an owner.

Both a HOKS row and a study right carry their study right's oppilaitos and koulutustoimija; a list
applies its caller's scope with `in_scope`, so that it shows exactly the rows a single read of
each would allow.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, exists, false, or_, true
from sqlalchemy.orm import aliased

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.registry.models import StudyRight

# The study rights contained in a listed one (procured training); made once, since building an
# alias copies every column.
_CONTAINED = aliased(StudyRight, name="contained_study_right")


def owned_within(
    oppilaitos: Any, koulutustoimija: Any, organisations: OrganisationSet
) -> ColumnElement[bool]:
    """Rows whose oppilaitos or koulutustoimija is one of `organisations`."""
    if organisations.every:
        return true()
    oids = sorted(organisations.oids)
    clause: ColumnElement[bool] = or_(oppilaitos.in_(oids), koulutustoimija.in_(oids))
    return clause


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
