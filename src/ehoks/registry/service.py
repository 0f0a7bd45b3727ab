"""Importing registry files: parse everything, decide every row, then write.

Rules (docs: tests/data/registry/README.md):
* all files of a run are parsed before anything is written; one bad document rejects the run;
* within a run, a later document about the same OID wins;
* every row stores the sha256 of its fields, and a row whose fields did not change is not
  written at all, so re-importing the same files leaves `updated_at` alone;
* organisaatio documents are authoritative; organisations that only a study right names are
  provisional and never replace an organisation's own document;
* persons: fields a document leaves out keep their stored value; a merged duplicate OID points
  at its master and gives up its henkilötunnus (the unique hetu belongs to the master);
* code names (koodisto code elements, ePerusteet tutkinnon osat): a code's document gives all
  the names it has, so the stored names are replaced; within a run a koodisto element of a
  lower `versio` never replaces a higher one, and languages the winning document lacks are
  filled from the run's other documents about the same URI.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic

from ehoks.kit.db.engine import refresh_statistics
from ehoks.registry import repository
from ehoks.registry.directory import forget_cached_tree
from ehoks.registry.hooks import PERSONS_RENAMED, PersonRenamed
from ehoks.registry.models import Organisation, Person, StudyRight
from ehoks.registry.parsing import ParsedBatch, parse_files
from ehoks.registry.records import CodeNameRecord
from ehoks.registry.repository import Outcome, Row

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable

    from sqlalchemy.orm import Session

    from ehoks.registry.records import OrganisationRecord, Source


@dataclass
class KindCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def count(self, outcome: Outcome) -> None:
        setattr(self, outcome.value, getattr(self, outcome.value) + 1)

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated)

    def __str__(self) -> str:
        return f"{self.inserted} inserted, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportReport:
    """How many rows of each kind an import inserted, updated or found unchanged."""

    organisations: KindCounts = field(default_factory=KindCounts)
    persons: KindCounts = field(default_factory=KindCounts)
    study_rights: KindCounts = field(default_factory=KindCounts)
    codes: KindCounts = field(default_factory=KindCounts)
    qualifications: KindCounts = field(default_factory=KindCounts)

    @property
    def changed(self) -> bool:
        return (
            self.organisations.changed
            or self.persons.changed
            or self.study_rights.changed
            or self.codes.changed
            or self.qualifications.changed
        )

    def summary_lines(self) -> list[str]:
        """One line per kind; the `codes` line only when the run held code documents."""
        lines = [
            f"organisations: {self.organisations}",
            f"persons: {self.persons}",
            f"study rights: {self.study_rights}",
        ]
        if self.codes.inserted or self.codes.updated or self.codes.unchanged:
            lines.append(f"codes: {self.codes}")
        counted = self.qualifications
        if counted.inserted or counted.updated or counted.unchanged:
            lines.append(f"qualifications' units: {counted}")
        return lines


@dataclass(frozen=True)
class _Write(Generic[Row]):
    existing: Row | None
    values: dict[str, Any]


def import_files(session: Session, paths: Iterable[str | os.PathLike[str]]) -> ImportReport:
    """Import registry files into the session; the caller commits (or rolls back on error).

    Raises `RegistryFileError` (file, line, reason) before anything is written when any file is
    unreadable, malformed, or conflicts with stored data.
    """
    return import_batch(session, parse_files([Path(path) for path in paths]))


def import_batch(session: Session, batch: ParsedBatch, *, analyse: bool = True) -> ImportReport:
    """Store what a run (of files, or of answers from a national registry) found.

    `analyse`: refresh the planner's statistics when something changed (an import of files
    may add tens of thousands of rows; a fetch of one student adds a handful).
    """
    organisations = _plan_organisations(session, batch)
    persons = _plan_persons(session, batch)
    study_rights = _plan_study_rights(session, batch)
    codes = _plan_codes(batch)

    report = ImportReport()
    _write(session, Organisation, organisations, report.organisations)
    _free_changed_hetus(session, persons)
    renamed = _changed_names(persons)  # before writing: the writes update the stored rows
    _write(session, Person, persons, report.persons)
    PERSONS_RENAMED.notify(session, renamed)
    _write(session, StudyRight, study_rights, report.study_rights)
    _write_codes(session, codes, report.codes)
    # A later peruste of the same diaarinumero in the run wins, as for every other document.
    latest = {record.diaarinumero: record.unit_uris for record in batch.qualifications}
    for diaarinumero, units in latest.items():
        outcome = repository.save_qualification_units(session, diaarinumero, units)
        report.qualifications.count(outcome)
    session.flush()
    if report.organisations.changed:
        forget_cached_tree()
    if report.changed and analyse:
        # Tables that grow by tens of thousands of rows in one import would keep the planner's
        # "nearly empty" statistics until autovacuum gets round to them, and every lookup of the
        # next import would scan the whole table.
        tables = ["organisation", "person", "study_right", "code_name", "qualification_unit"]
        # Renamed persons rewrote their plans' sort and search names, which lists plan by.
        refresh_statistics(session, [*tables, "hoks"] if renamed else tables)
    return report


def _write(
    session: Session, model: type[Row], writes: list[_Write[Row]], counts: KindCounts
) -> None:
    for write in writes:
        counts.count(repository.save_row(session, model, write.existing, write.values))
    # Persons must exist before the study rights that refer to them (foreign key).
    session.flush()


# --- organisations -------------------------------------------------------------------------------

_NEW_ORGANISATION: dict[str, Any] = {
    "names": {},
    "parent_oid": None,
    "parent_oid_path": "",
    "types": [],
    "provisional": False,
}


def _plan_organisations(session: Session, batch: ParsedBatch) -> list[_Write[Organisation]]:
    authoritative: dict[str, OrganisationRecord] = {}
    for record in batch.organisations:
        earlier = authoritative.get(record.oid)
        authoritative[record.oid] = _merge_records(earlier, record) if earlier else record
    provisional = {p.oid: p for p in batch.provisional_organisations}
    wanted = set(authoritative) | set(provisional)
    wanted |= {r.parent_oid for r in authoritative.values() if r.parent_oid}
    wanted |= {p.parent_oid for p in provisional.values()}
    stored = repository.rows_by_oid(session, Organisation, wanted)
    tree = _Tree(authoritative, stored)

    writes: list[_Write[Organisation]] = []
    for oid, record in authoritative.items():
        existing = stored.get(oid)
        values = {**_NEW_ORGANISATION, **_stored_values(existing), "oid": oid, "provisional": False}
        if record.names is not None:
            values["names"] = record.names
        if record.types is not None:
            values["types"] = record.types
        if record.parent_oid is not None or record.parent_path is not None:
            values["parent_oid"] = record.parent_oid
            values["parent_oid_path"] = repository.join_path(tree.ancestors(oid) or [])
        writes.append(_Write(existing, values))

    for oid, organisation in provisional.items():
        existing = stored.get(oid)
        if oid in authoritative or (existing is not None and not existing.provisional):
            continue
        above = tree.ancestors(organisation.parent_oid)
        if above is None:
            above = [organisation.grandparent_oid] if organisation.grandparent_oid else []
        names = organisation.names or (existing.names if existing else {})
        values = {
            "oid": oid,
            "names": names,
            "parent_oid": organisation.parent_oid,
            "parent_oid_path": repository.join_path([*above, organisation.parent_oid]),
            "types": organisation.types,
            "provisional": True,
        }
        writes.append(_Write(existing, values))
    return writes


def _merge_records(earlier: OrganisationRecord, later: OrganisationRecord) -> OrganisationRecord:
    parent_known = later.parent_oid is not None or later.parent_path is not None
    return replace(
        later,
        names=later.names if later.names is not None else earlier.names,
        types=later.types if later.types is not None else earlier.types,
        parent_oid=later.parent_oid if parent_known else earlier.parent_oid,
        parent_path=later.parent_path if parent_known else earlier.parent_path,
    )


class _Tree:
    """Ancestors of organisations from this run's documents, else from the stored rows."""

    def __init__(
        self, documents: dict[str, OrganisationRecord], stored: dict[str, Organisation]
    ) -> None:
        self._documents = documents
        self._stored = stored
        self._resolving: set[str] = set()

    def ancestors(self, oid: str) -> list[str] | None:
        """Root first, parent last; None when the organisation is unknown."""
        record = self._documents.get(oid)
        if record is not None:
            if record.parent_path is not None:
                return record.parent_path
            if record.parent_oid is None:  # a minimal document: the stored place, if any
                stored = self._stored.get(oid)
                return repository.split_path(stored.parent_oid_path) if stored else None
            if oid in self._resolving:  # a cycle in the documents: stop at the parent
                return [record.parent_oid]
            self._resolving.add(oid)
            try:
                return [*(self.ancestors(record.parent_oid) or []), record.parent_oid]
            finally:
                self._resolving.discard(oid)
        stored = self._stored.get(oid)
        return repository.split_path(stored.parent_oid_path) if stored else None


def _stored_values(row: Organisation | Person | None) -> dict[str, Any]:
    return repository.column_values(row) if row is not None else {}


# --- persons -------------------------------------------------------------------------------------

_NEW_PERSON: dict[str, Any] = {
    "hetu": None,
    "first_names": None,
    "calling_name": None,
    "last_name": None,
    "birth_date": None,
    "protection_order": False,
    "master_oid": None,
}


def _plan_persons(session: Session, batch: ParsedBatch) -> list[_Write[Person]]:
    fields: dict[str, dict[str, Any]] = {}
    sources: dict[str, Source] = {}
    for person in batch.persons:
        fields.setdefault(person.oid, {}).update(person.fields)
        sources[person.oid] = person.source
    masters = {merged.oid: merged.master_oid for merged in batch.merged_persons}
    sources.update({merged.oid: merged.source for merged in batch.merged_persons})
    stored = repository.rows_by_oid(session, Person, sources)

    writes: list[_Write[Person]] = []
    for oid in sources:
        existing = stored.get(oid)
        values = {**_NEW_PERSON, **_stored_values(existing), "oid": oid}
        if oid in fields:
            values.update(fields[oid])
            values["master_oid"] = None  # Koski answers with the master's henkilö
        if oid in masters:
            values["master_oid"] = masters[oid]
            values["hetu"] = None
        writes.append(_Write(existing, values))
    _check_hetus(session, writes, sources)
    return writes


def _check_hetus(
    session: Session, writes: list[_Write[Person]], sources: dict[str, Source]
) -> None:
    owners: dict[str, str] = {}
    for write in writes:
        hetu, oid = write.values["hetu"], write.values["oid"]
        if hetu is None:
            continue
        if hetu in owners:
            raise sources[oid].error(f"henkilö.hetu: the same hetu is given for {owners[hetu]}")
        owners[hetu] = oid
    for hetu, holder in repository.persons_by_hetu(session, owners).items():
        if holder.oid != owners[hetu] and holder.oid not in sources:
            raise sources[owners[hetu]].error(
                f"henkilö.hetu: already belongs to the stored person {holder.oid}"
            )


def _changed_names(writes: list[_Write[Person]]) -> list[PersonRenamed]:
    """The stored persons whose names this import changes.

    A person new to the registry has no copies of their name anywhere yet (a HOKS needs its
    student in the registry first).
    """
    changed: list[PersonRenamed] = []
    for write in writes:
        first, last = write.values.get("first_names"), write.values.get("last_name")
        existing = write.existing
        if existing is None or (existing.first_names, existing.last_name) == (first, last):
            continue
        changed.append(PersonRenamed(write.values["oid"], first, last))
    return changed


def _free_changed_hetus(session: Session, writes: list[_Write[Person]]) -> None:
    # hetu is unique: a row giving up its hetu must let go before another row takes it.
    for write in writes:
        if write.existing is not None and write.existing.hetu not in {None, write.values["hetu"]}:
            repository.clear_hetu(write.existing)
    session.flush()


# --- study rights --------------------------------------------------------------------------------


def _plan_study_rights(session: Session, batch: ParsedBatch) -> list[_Write[StudyRight]]:
    latest = {record.oid: record for record in batch.study_rights}
    stored = repository.rows_by_oid(session, StudyRight, latest)
    return [_Write(stored.get(oid), record.column_values()) for oid, record in latest.items()]


# --- code names ----------------------------------------------------------------------------------


def _plan_codes(batch: ParsedBatch) -> dict[str, dict[str, str]]:
    chosen: dict[str, CodeNameRecord] = {}
    for record in batch.codes:
        earlier = chosen.get(record.uri)
        chosen[record.uri] = _merge_codes(earlier, record) if earlier else record
    return {uri: record.names for uri, record in chosen.items()}


def _merge_codes(earlier: CodeNameRecord, later: CodeNameRecord) -> CodeNameRecord:
    older = (
        later.versio is not None and earlier.versio is not None and later.versio < earlier.versio
    )
    winner, other = (earlier, later) if older else (later, earlier)
    return replace(winner, names={**other.names, **winner.names})


def _write_codes(session: Session, codes: dict[str, dict[str, str]], counts: KindCounts) -> None:
    stored = repository.code_names_by_uri(session, codes)
    for uri, names in codes.items():
        counts.count(repository.save_code_name(session, uri, stored.get(uri), names))
