"""Access scopes (`ehoks.access.decision.HoksScope`) as SQL over the columns that name an owner.

Both a HOKS row and a study right carry their study right's oppilaitos and koulutustoimija; a list
applies its caller's scope with `in_scope`, so that it shows exactly the rows a single read of
each would allow.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, exists, false, or_, true
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


# --- the same conditions with their values bound at execution (`kit.db.shapes`) --------------
#
# A statement built once per shape names its values instead of holding them: the shape says which
# parts a condition has (and how many organisations), the values go in the parameters under the
# names below.

ScopeShape = tuple[str, str, bool]
# None: no organisation condition; "every": all of them; "many": more than MAX_ORDERED_OWNERS
# (one condition); a number: that many organisations, each a leg of its own.
WithinShape = int | str | None
SCOPE_OWNED: Final = "scope_owned"
SCOPE_PROCURED: Final = "scope_procured"
SCOPE_STUDENTS: Final = "scope_students"
OWNERS: Final = "owners"


def scope_shape(scope: HoksScope) -> ScopeShape:
    return (
        _set_shape(scope.owned_by),
        _set_shape(scope.procured_by),
        scope.oppija_oids is not None,
    )


def _set_shape(organisations: OrganisationSet | None) -> str:
    if organisations is None:
        return ""
    return "every" if organisations.every else "oids"


def scope_values(scope: HoksScope) -> dict[str, Any]:
    """The parameters of `in_bound_scope` for `scope`."""
    values: dict[str, Any] = {}
    if scope.owned_by is not None:
        values[SCOPE_OWNED] = sorted(scope.owned_by.oids)
    if scope.procured_by is not None:
        values[SCOPE_PROCURED] = sorted(scope.procured_by.oids)
    if scope.oppija_oids is not None:
        values[SCOPE_STUDENTS] = sorted(scope.oppija_oids)
    return values


def in_bound_scope(
    shape: ScopeShape,
    *,
    study_right_oid: Any,
    oppilaitos: Any,
    koulutustoimija: Any,
    oppija_oid: Any,
) -> ColumnElement[bool]:
    """`in_scope` of a scope of this shape, its organisations and students bound by name."""
    owned, procured, students = shape
    clauses: list[ColumnElement[bool]] = []
    if owned:
        clauses.append(
            _bound_within(oppilaitos, koulutustoimija, SCOPE_OWNED, every=owned == "every")
        )
    if procured:
        clauses.append(
            exists().where(
                _CONTAINED.contained_in_oid == study_right_oid,
                _bound_within(
                    _CONTAINED.oppilaitos_oid,
                    _CONTAINED.koulutustoimija_oid,
                    SCOPE_PROCURED,
                    every=procured == "every",
                ),
            )
        )
    if students:
        clauses.append(oppija_oid.in_(bindparam(SCOPE_STUDENTS, expanding=True)))
    return or_(*clauses) if clauses else false()


def _bound_within(
    oppilaitos: Any, koulutustoimija: Any, name: str, *, every: bool
) -> ColumnElement[bool]:
    if every:
        return true()
    oids: BindParameter[Any] = bindparam(name, expanding=True)
    clause: ColumnElement[bool] = or_(oppilaitos.in_(oids), koulutustoimija.in_(oids))
    return clause


def within_shape(organisations: OrganisationSet | None) -> WithinShape:
    if organisations is None:
        return None
    if organisations.every:
        return "every"
    if len(organisations.oids) > MAX_ORDERED_OWNERS:
        return "many"
    return len(organisations.oids)


def within_values(organisations: OrganisationSet | None) -> dict[str, Any]:
    """The parameters of `bound_owned_within`, `owner_legs` and `owner_ranges`: every OID as
    `owners`, and (up to MAX_ORDERED_OWNERS) each as `owner_<n>`, sorted."""
    if organisations is None or organisations.every:
        return {}
    oids = sorted(organisations.oids)
    values: dict[str, Any] = {OWNERS: oids}
    if len(oids) <= MAX_ORDERED_OWNERS:
        values.update({f"{OWNERS}_{index}": oid for index, oid in enumerate(oids)})
    return values


def bound_owned_within(
    oppilaitos: Any, koulutustoimija: Any, shape: WithinShape
) -> ColumnElement[bool]:
    """`owned_within` of organisations of this shape (not None)."""
    return _bound_within(oppilaitos, koulutustoimija, OWNERS, every=shape == "every")


def owner_legs(
    oppilaitos: Any, koulutustoimija: Any, shape: WithinShape
) -> list[ColumnElement[bool]]:
    """Disjoint conditions whose union is `owned_within`: one equality on one owner column each.

    An index on (owner, name, id) reads each in name order, so a page of a list ordered by name
    is a merge of short ordered index range scans instead of a sort of every matching row. A row
    of an oppilaitos in the organisations belongs to that oppilaitos's leg only; its
    koulutustoimija's leg takes the rows whose oppilaitos is none of them. Without organisations
    (`None`) one leg takes every row.
    """
    if shape is None:
        return [true()]
    if not isinstance(shape, int):
        return [bound_owned_within(oppilaitos, koulutustoimija, shape)]
    if not shape:
        return [false()]
    owners: list[BindParameter[Any]] = [bindparam(f"{OWNERS}_{i}") for i in range(shape)]
    elsewhere = or_(oppilaitos.is_(None), oppilaitos.not_in(bindparam(OWNERS, expanding=True)))
    legs: list[ColumnElement[bool]] = [oppilaitos == owner for owner in owners]
    legs += [and_(koulutustoimija == owner, elsewhere) for owner in owners]
    return legs


def owner_ranges(
    oppilaitos: Any, koulutustoimija: Any, shape: WithinShape
) -> list[ColumnElement[bool]]:
    """Conditions whose union is `owned_within`, each one equality on one owner column alone.

    Unlike `owner_legs` they overlap (a plan of a school of the provider is in both the school's
    and the provider's), so a list that reads them must drop the repeats; in exchange each is a
    plain range of an (owner, name, id) index that stops at the page's end, where the provider's
    leg of `owner_legs` reads all of its plans to find those of no listed school. Without
    organisations (`None`) one leg takes every row.
    """
    if shape is None:
        return [true()]
    if not isinstance(shape, int):
        return [bound_owned_within(oppilaitos, koulutustoimija, shape)]
    if not shape:
        return [false()]
    owners: list[BindParameter[Any]] = [bindparam(f"{OWNERS}_{i}") for i in range(shape)]
    return [oppilaitos == owner for owner in owners] + [
        koulutustoimija == owner for owner in owners
    ]
