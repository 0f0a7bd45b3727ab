"""The registries as access decisions see them: `ehoks.access.directory.Directory` over our tables.

The organisation tree changes only when a registry import runs, and every request asks how far
its caller's organisations reach; a short in-process cache saves those queries. A moved
organisation is seen everywhere within `TREE_CACHE_SECONDS` (at once in the process that ran
the import, which forgets the cache).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy.orm import Session

from ehoks.access.decision import Ownership
from ehoks.access.directory import OPH_ROOT_OID, Owners
from ehoks.access.rules import Access
from ehoks.access.subjects import Subject
from ehoks.registry import repository
from ehoks.registry.models import StudyRight

TREE_CACHE_SECONDS = 60.0
_Key = tuple[Hashable, str, Hashable]  # (database URL, question, what it is about)
_cache: dict[_Key, tuple[float, Any]] = {}
_cache_lock = threading.Lock()
# Questions about the tree are few (each organisation's, each grant set's), but bounded anyway.
MAX_CACHED = 20_000
T = TypeVar("T")


def forget_cached_tree() -> None:
    """Drop cached tree answers (after an import in this process, and between tests)."""
    with _cache_lock:
        _cache.clear()


class RegistryDirectory:
    """Answers access questions from the local registry tables, in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def organisations_below(self, oid: str) -> frozenset[str]:
        return self._cached(
            "below", oid, lambda: repository.organisations_below(self._session, oid)
        )

    def organisations_above(self, oid: str) -> frozenset[str]:
        def above() -> frozenset[str]:
            found = repository.organisations_above(self._session, oid)
            # The national root reaches every organisation (`Reach`), so it is above all others.
            return (found | {OPH_ROOT_OID}) - {oid}

        return self._cached("above", oid, above)

    def procured_owners(self, study_right_oid: str) -> Sequence[Owners]:
        return [
            Owners(contained.oppilaitos_oid, contained.koulutustoimija_oid)
            for contained in repository.study_rights_contained_in(self._session, study_right_oid)
        ]

    def master_oid(self, oppija_oid: str) -> str | None:
        return repository.master_oid_of(self._session, oppija_oid)

    def same_person(self, oppija_oid: str) -> frozenset[str]:
        return repository.same_person_oids(self._session, oppija_oid)

    def _cached(self, question: str, oid: str, ask: Callable[[], frozenset[str]]) -> frozenset[str]:
        return remembered(self._session, question, oid, ask)


def remembered(session: Session, question: str, about: Hashable, ask: Callable[[], T]) -> T:
    """`ask()`, remembered for `TREE_CACHE_SECONDS` in this process under (database, question,
    `about`): for answers that follow from the organisation tree (and its names) alone."""
    key = (session.get_bind().engine.url, question, about)
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return cast("T", hit[1])
    found = ask()
    with _cache_lock:
        if len(_cache) >= MAX_CACHED:
            _cache.clear()
        _cache[key] = (now + TREE_CACHE_SECONDS, found)
    return found


class NotRemembered(Exception):  # noqa: N818 - a signal to take the other path, not an error
    """`RememberedDirectory` was asked what this process does not remember now."""


class RememberedDirectory:
    """The tree answers this process remembers now (`remembered`), without a transaction: for
    a decision made outside one (a read on the event loop, `ehoks.hoks.read_one`). Anything not
    remembered, and any question about people or procured training, raises `NotRemembered`,
    and the caller asks again in a transaction (`RegistryDirectory`), which remembers it."""

    def __init__(self, database: Hashable) -> None:
        self._database = database  # the engine's URL, as `remembered` keys it

    def organisations_below(self, oid: str) -> frozenset[str]:
        key = (self._database, "below", oid)
        with _cache_lock:
            hit = _cache.get(key)
        if hit is None or hit[0] <= time.monotonic():
            raise NotRemembered
        found: frozenset[str] = hit[1]
        return found

    def organisations_above(self, oid: str) -> frozenset[str]:
        del oid
        raise NotRemembered

    def procured_owners(self, study_right_oid: str) -> Sequence[Owners]:
        del study_right_oid
        raise NotRemembered

    def master_oid(self, oppija_oid: str) -> str | None:
        del oppija_oid
        raise NotRemembered

    def same_person(self, oppija_oid: str) -> frozenset[str]:
        del oppija_oid
        raise NotRemembered


def organisation_known(session: Session, oid: str) -> bool:
    """Whether the organisation is in the registry (remembered as the tree is)."""
    return remembered(
        session, "known", oid, lambda: repository.get_organisation(session, oid) is not None
    )


def access_for(session: Session, subject: Subject) -> Access:
    """The access decisions about `subject`, against the registries in this transaction."""
    return Access(subject, RegistryDirectory(session))


def study_right_ownership(study_right: StudyRight) -> Ownership:
    """Whose a study right (and so its HOKS) is, for access decisions."""
    return Ownership.of(
        study_right.oid,
        study_right.oppilaitos_oid,
        study_right.koulutustoimija_oid,
        study_right.oppija_oid,
    )
