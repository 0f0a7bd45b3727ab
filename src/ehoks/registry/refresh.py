"""Refreshing the local copies from registries over HTTP: study rights, persons, organisations.

Each function fetches what it is given, stores it by the import's rules (an unchanged row is not
written) and marks the rows as confirmed, so running it twice changes nothing the second time.
The caller owns the transaction and records the refresh in the audit log (`ehoks worker`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ehoks.registry import repository
from ehoks.registry.fetching import store_batch, store_documents
from ehoks.registry.models import Organisation, Person, StudyRight
from ehoks.registry.parsing import ParsedBatch
from ehoks.registry.service import KindCounts, import_batch

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from sqlalchemy.orm import Session

    from ehoks.registry.koski import OppijaDocument
    from ehoks.registry.remote.setup import Registries


@dataclass
class RefreshReport:
    """What one refresh looked at: how many rows changed, and what the registry did not know."""

    checked: int = 0
    changed: int = 0
    unknown: list[str] = field(default_factory=list)

    def details(self) -> dict[str, object]:
        return {"checked": self.checked, "changed": self.changed, "unknown": self.unknown}


def refresh_study_rights(
    session: Session, registries: Registries, oids: Iterable[str], now: datetime
) -> RefreshReport:
    """Fetch each stored study right again from Koski (state, dates, organisations)."""
    report = RefreshReport()
    koski = registries.koski
    if koski is None:
        return report
    stored = repository.rows_by_oid(session, StudyRight, oids)
    before = {oid: row.content_hash for oid, row in stored.items()}
    documents: list[OppijaDocument] = []
    for oid, row in sorted(stored.items()):
        document = koski.study_right(oid, row.oppija_oid)
        if document is None:
            report.unknown.append(oid)
        else:
            documents.append(document)
    store_documents(session, registries, documents, now)
    report.checked = len(stored)
    report.changed = sum(1 for oid, row in stored.items() if row.content_hash != before[oid])
    return report


def refresh_persons(
    session: Session, registries: Registries, oppija_oids: Iterable[str], now: datetime
) -> RefreshReport:
    """Fetch each person from ONR with the OIDs merged into them (and into whom they merged)."""
    report = RefreshReport()
    onr = registries.onr
    if onr is None:
        return report
    wanted = sorted(set(oppija_oids))
    stored = repository.rows_by_oid(session, Person, wanted)
    before = {oid: row.content_hash for oid, row in stored.items()}
    batch = ParsedBatch()
    for oid in wanted:
        master = onr.master(oid)
        if master is None:
            report.unknown.append(oid)
            continue
        batch.persons.append(master)
        batch.merged_persons.extend(onr.merged_into(master.oid))
    store_batch(session, batch, now, registry="onr")
    report.checked = len(wanted)
    found = repository.rows_by_oid(session, Person, wanted)
    report.changed = sum(1 for oid, row in found.items() if before.get(oid) != row.content_hash)
    return report


def refresh_organisations(
    session: Session, registries: Registries, oids: Iterable[str], now: datetime
) -> RefreshReport:
    """Fetch organisations (names, types, place in the tree) from organisaatio."""
    report = RefreshReport()
    organisaatio = registries.organisaatio
    if organisaatio is None:
        return report
    wanted = sorted(set(oids))
    stored = repository.rows_by_oid(session, Organisation, wanted)
    before = {oid: row.content_hash for oid, row in stored.items()}
    batch = ParsedBatch()
    batch.organisations.extend(organisaatio.organisations(wanted))
    known = {record.oid for record in batch.organisations}
    # An organisation's ancestors belong to the tree too: fetch those not stored.
    parents = {record.parent_oid for record in batch.organisations if record.parent_oid}
    missing = sorted(parents - known - set(repository.rows_by_oid(session, Organisation, parents)))
    if missing:
        batch.organisations[:0] = organisaatio.organisations(missing)
    store_batch(session, batch, now, registry="organisaatio")
    report.checked = len(wanted)
    report.unknown = [oid for oid in wanted if oid not in known]
    found = repository.rows_by_oid(session, Organisation, wanted)
    report.changed = sum(1 for oid, row in found.items() if before.get(oid) != row.content_hash)
    return report


def fetch_codes(
    session: Session, registries: Registries, lists: Iterable[str], units: Iterable[str]
) -> KindCounts:
    """Store the names of whole koodisto code lists and of ePerusteet units (by koodi-URI)."""
    batch = ParsedBatch()
    for name in lists:
        if registries.koodisto is None:
            raise ValueError("koodisto is not http")
        batch.codes.extend(registries.koodisto.code_list(name))
    for uri in units:
        if registries.eperusteet is None:
            raise ValueError("ePerusteet is not http")
        batch.codes.extend(registries.eperusteet.units(uri))
    return import_batch(session, batch, analyse=False).codes
