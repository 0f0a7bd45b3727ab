"""Wire models of the national share-link routes (ehoks-api.md 3.10), kebab-case keys."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from ehoks.kit.responses import Wire, omitted_if_none


class CreatedUri(Wire):
    uri: str


class CreatedMeta(Wire):
    uuid: str
    # Ours: the address that opens the link, shown only in this answer (only a hash is kept).
    url: str


class SharedPart(Wire):
    """A link as its student reads it back: the national fields, and ours after them."""

    oppija_nimi: str
    oppija_oid: str
    tutkinto_nimi: dict[str, str] | None
    osaamisala_nimi: dict[str, str] | None
    voimassaolo_alku: date
    voimassaolo_loppu: date
    tutkinnonosa_tyyppi: str | None
    tutkinnonosa: dict[str, Any] | None
    osaamisen_osoittaminen: dict[str, Any] | None
    osaamisen_hankkimistapa: dict[str, Any] | None
    sisalto: str = Field(description="unit, prior or summary")
    kenelle: str
    tila: str = Field(description="open, not_yet, expired or revoked")
    avattu_kertaa: int
    viimeksi_avattu: datetime | None = omitted_if_none()


class ModuleShare(Wire):
    voimassaolo_alku: date
    voimassaolo_loppu: date
    share_id: str
