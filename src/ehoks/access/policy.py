"""The one place that decides who may do what.

Every route declares its policy as a dependency built by one of the functions below. The
dependency both enforces the rule and marks the route, so a test can enumerate every route of the
application and fail if one has no declared policy (deny by default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, params

from ehoks.access.subjects import SystemClientSubject

POLICY_ATTRIBUTE = "__ehoks_policy__"


def _mark(dependency: Any, description: str) -> Any:  # returns the same callable, marked
    setattr(dependency, POLICY_ATTRIBUTE, description)
    return dependency


def public(reason: str) -> params.Depends:
    """Anyone may call: only for what holds no personal data (probes, docs, token endpoint)."""

    def _allow() -> None:
        return None

    marked: params.Depends = Depends(_mark(_allow, f"public: {reason}"))
    return marked


def route_policy(dependency: Any) -> str | None:
    """The policy a dependency declares, if it is a policy dependency."""
    value = getattr(dependency, POLICY_ATTRIBUTE, None)
    return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class Ownership:
    """Which organisations own a study right (and so its HOKS)."""

    oppilaitos_oid: str | None
    koulutustoimija_oid: str | None
    ancestor_oids: frozenset[str]


# A subject's reach: does it reach what these organisations own?
Reach = Callable[[Ownership], bool]


def organisation_reaches(organisation_oid: str, owner: Ownership) -> bool:
    """An organisation reaches what it owns itself or what an organisation below it owns.

    The study right names its oppilaitos and koulutustoimija; the organisation tree adds every
    organisation above them. Nothing is inherited upward or sideways.
    """
    owners = {oid for oid in (owner.oppilaitos_oid, owner.koulutustoimija_oid) if oid}
    return organisation_oid in owners or organisation_oid in owner.ancestor_oids


def client_reach(subject: SystemClientSubject) -> Reach:
    """A provider system reaches the HOKS of its own organisation and of those below it."""

    def reaches(owner: Ownership) -> bool:
        return organisation_reaches(subject.organisation_oid, owner)

    return reaches
