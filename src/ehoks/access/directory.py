"""What access decisions need to know about the world, and how far an organisation reaches.

`access` stands below every domain package: it never queries a table. The registries answer its
questions through a `Directory` that the caller passes in (`ehoks.registry.directory`
implements it over the local registry tables).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

OPH_ROOT_OID = "1.2.246.562.10.00000000001"


@dataclass(frozen=True, slots=True)
class Owners:
    """The organisations a study right names: its oppilaitos and its koulutustoimija."""

    oppilaitos_oid: str | None
    koulutustoimija_oid: str | None

    def oids(self) -> tuple[str, ...]:
        return tuple(oid for oid in (self.oppilaitos_oid, self.koulutustoimija_oid) if oid)


class Directory(Protocol):
    """The registry facts access decisions rest on."""

    def organisations_below(self, oid: str) -> frozenset[str]:
        """`oid` and every organisation under it in the organisation tree."""
        ...

    def organisations_above(self, oid: str) -> frozenset[str]:
        """Every organisation whose `organisations_below` holds `oid` (itself excluded)."""
        ...

    def procured_owners(self, study_right_oid: str) -> Sequence[Owners]:
        """The owners of the study rights contained in this one (procured training)."""
        ...

    def master_oid(self, oppija_oid: str) -> str | None:
        """The person's master OID after the person register's merges; None if unknown."""
        ...

    def same_person(self, oppija_oid: str) -> frozenset[str]:
        """The OID, its master and every duplicate merged into that master: one human being."""
        ...


@dataclass(frozen=True, slots=True)
class Reach:
    """The organisations one organisation reaches: itself and everything below it.

    The national root is recognised by its OID, never by an empty place in the tree, and reaches
    every organisation whatever the tree says (`every`). An organisation imported without a
    parent is an ordinary organisation that reaches only itself and what lies under it.
    """

    organisation_oid: str
    below: frozenset[str]

    @property
    def every(self) -> bool:
        return self.organisation_oid == OPH_ROOT_OID

    def covers(self, oid: str | None) -> bool:
        return oid is not None and (self.every or oid in self.below)

    def covers_any(self, owners: Owners) -> bool:
        return any(self.covers(oid) for oid in owners.oids())


def reach_of(directory: Directory, organisation_oid: str) -> Reach:
    """How far `organisation_oid` reaches (no tree lookup for the national root)."""
    if organisation_oid == OPH_ROOT_OID:
        return Reach(organisation_oid, frozenset({OPH_ROOT_OID}))
    return Reach(organisation_oid, directory.organisations_below(organisation_oid))


@dataclass(frozen=True, slots=True)
class OrganisationSet:
    """Organisations a list may show rows of: every one, or exactly these."""

    every: bool
    oids: frozenset[str]

    @classmethod
    def of(cls, reaches: Sequence[Reach]) -> OrganisationSet:
        if any(reach.every for reach in reaches):
            return cls(every=True, oids=frozenset())
        return cls(every=False, oids=frozenset().union(*(r.below for r in reaches)))

    def covers(self, oid: str | None) -> bool:
        return oid is not None and (self.every or oid in self.oids)
