"""Where an organisation sits in the organisation tree, for access decisions."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ehoks.registry.models import Organisation
from ehoks.registry.repository import organisation_ancestors

# The tree changes only when a registry import runs; a short cache saves a query on every read.
# A moved organisation is seen everywhere within this many seconds.
ANCESTOR_CACHE_SECONDS = 60.0
_cache: dict[str, tuple[float, frozenset[str]]] = {}
_cache_lock = threading.Lock()


def ancestors(session: Session, oid: str) -> frozenset[str]:
    """Every organisation above `oid`; empty when `oid` is unknown."""
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(oid)
    if hit is not None and hit[0] > now:
        return hit[1]
    found = frozenset(organisation_ancestors(session, oid))
    with _cache_lock:
        _cache[oid] = (now + ANCESTOR_CACHE_SECONDS, found)
    return found


def forget_cached_tree() -> None:
    """Drop cached ancestors (after an import in this process, and between tests)."""
    with _cache_lock:
        _cache.clear()


def subtree(session: Session, oid: str) -> Sequence[str]:
    """`oid` and every organisation below it."""
    below = session.scalars(
        select(Organisation.oid).where(
            or_(
                Organisation.parent_oid_path.contains(f"|{oid}|"),
                Organisation.parent_oid == oid,
            )
        )
    ).all()
    return [oid, *below]
