"""A stored HOKS as the service hands it out: built in one place, from a row of the HOKS table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from ehoks.access.decision import Ownership
from ehoks.hoks.models import Hoks
from ehoks.hoks.repository import HoksRead, HoksView
from ehoks.hoksmodel import PART_LISTS

# Server-owned keys: they live in columns, not in the stored document.
COLUMN_KEYS = ("id", "eid", "manuaalisyotto")


@dataclass(frozen=True, slots=True)
class StoredHoks:
    id: int
    eid: str
    revision: int
    manuaalisyotto: bool
    document: bytes  # the stored canonical document (GET shape without id/eid/manuaalisyotto)
    oppija_oid: str
    # For a change: what changed, leaf by leaf ({path, old, new}); for the audit log.
    changes: list[dict[str, Any]] | None = None

    @classmethod
    def of(
        cls, row: Hoks | HoksView | HoksRead, *, changes: list[dict[str, Any]] | None = None
    ) -> StoredHoks:
        """The stored HOKS of a row (an ORM row, or the columns a read or write returned)."""
        return cls(
            id=row.id,
            eid=row.eid,
            revision=row.revision,
            manuaalisyotto=row.manuaalisyotto,
            document=row.document.encode(),
            oppija_oid=row.oppija_oid,
            changes=changes,
        )

    @property
    def etag(self) -> str:
        return f'"{self.revision}"'

    def full_json(self) -> bytes:
        """The GET representation, assembled without parsing the stored document again."""
        head = b'{"id":%d,"eid":%s,"manuaalisyotto":%s' % (
            self.id,
            orjson.dumps(self.eid),
            b"true" if self.manuaalisyotto else b"false",
        )
        body = self.document[1:]
        return head + (b"," + body if body != b"}" else body)

    def top_level(self) -> dict[str, Any]:
        """The top-level fields without the part lists (the national "find by study right")."""
        document = orjson.loads(self.document)
        top = {"id": self.id, "eid": self.eid, "manuaalisyotto": self.manuaalisyotto}
        top.update({k: v for k, v in document.items() if k not in PART_LISTS})
        return top


def ownership(row: Hoks | HoksView | HoksRead) -> Ownership:
    """Whose a stored HOKS is, for access decisions."""
    return Ownership.of(
        row.opiskeluoikeus_oid, row.oppilaitos_oid, row.koulutustoimija_oid, row.oppija_oid
    )


def as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
