"""The staff student search: what it asks for, and the rows it answers with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet


@dataclass(frozen=True, slots=True)
class StudentSearch:
    """GET /virkailija/oppijat: HOKS of organisations `within`, of those the caller's `scope`
    holds (the empty scope lists nothing)."""

    within: OrganisationSet | None = None
    scope: HoksScope = field(default_factory=HoksScope)
    name_tokens: tuple[str, ...] = ()
    tutkinto: str | None = None
    osaamisala: str | None = None
    hoks_id: int | None = None
    order_by: str = "nimi"
    descending: bool = False
    limit: int = 10
    offset: int = 0
    locale: str = "fi"


@dataclass(frozen=True, slots=True)
class StudentRow:
    oppija_oid: str
    first_names: str | None
    last_name: str | None
    opiskeluoikeus_oid: str
    hoks_id: int
    tutkinto_nimi: dict[str, Any] | None
    osaamisala_nimi: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class SearchResult:
    rows: list[StudentRow]
    total: int  # with `more`: the count stopped here, and there are more matches than this
    more: bool = False
