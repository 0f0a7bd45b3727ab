"""What the registry files say, before it is compared with the database.

Records carry the `Source` (file and line) of the document they came from, so that a conflict
found later, e.g. a hetu that already belongs to someone else, still points at a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

LANGUAGES: Final = ("fi", "sv", "en")


class RegistryFileError(Exception):
    """A registry file that cannot be imported; `line` is None for file-level problems."""

    def __init__(self, path: Path, line: int | None, reason: str) -> None:
        super().__init__(f"{path}:{line}: {reason}" if line is not None else f"{path}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Source:
    """Where a document starts: the file and its 1-based line."""

    path: Path
    line: int

    def error(self, reason: str) -> RegistryFileError:
        return RegistryFileError(self.path, self.line, reason)


@dataclass(frozen=True)
class OrganisationRecord:
    """An organisaatio document. None means the document did not say (keep what is stored)."""

    oid: str
    names: dict[str, str] | None
    parent_oid: str | None
    parent_path: list[str] | None  # ancestors, nearest last
    types: list[str] | None
    source: Source


@dataclass(frozen=True)
class ProvisionalOrganisation:
    """An organisation known only because a study right names it."""

    oid: str
    names: dict[str, str]
    parent_oid: str
    # The parent's parent, when the study right tells it (an oppilaitos under its koulutustoimija).
    grandparent_oid: str | None
    types: list[str]
    source: Source


@dataclass(frozen=True)
class PersonRecord:
    """A Koski henkilö. `fields` holds only the columns the document gave."""

    oid: str
    fields: dict[str, Any]
    source: Source


@dataclass(frozen=True)
class MergedPersonRecord:
    """A duplicate OID that the person register merged into `master_oid`."""

    oid: str
    master_oid: str
    source: Source


@dataclass(frozen=True)
class StudyRightRecord:
    oid: str
    oppija_oid: str
    tyyppi: str
    oppilaitos_oid: str | None
    koulutustoimija_oid: str | None
    alkamispaiva: date | None
    arvioitu_paattymispaiva: date | None
    paattymispaiva: date | None
    latest_tila: str | None
    suoritus_tyypit: list[str]
    tutkinto_nimi: dict[str, str]
    osaamisala_nimi: dict[str, str]
    contained_in_oid: str | None
    contained_in_oppilaitos_oid: str | None
    document: dict[str, Any]
    source: Source

    def column_values(self) -> dict[str, Any]:
        return {
            "oid": self.oid,
            "oppija_oid": self.oppija_oid,
            "tyyppi": self.tyyppi,
            "oppilaitos_oid": self.oppilaitos_oid,
            "koulutustoimija_oid": self.koulutustoimija_oid,
            "alkamispaiva": self.alkamispaiva,
            "arvioitu_paattymispaiva": self.arvioitu_paattymispaiva,
            "paattymispaiva": self.paattymispaiva,
            "latest_tila": self.latest_tila,
            "suoritus_tyypit": self.suoritus_tyypit,
            "tutkinto_nimi": self.tutkinto_nimi,
            "osaamisala_nimi": self.osaamisala_nimi,
            "contained_in_oid": self.contained_in_oid,
            "contained_in_oppilaitos_oid": self.contained_in_oppilaitos_oid,
            "document": self.document,
        }


@dataclass(frozen=True)
class CodeNameRecord:
    """The fi/sv/en names of a koodi-URI (koodisto code element or ePerusteet unit).

    `versio` is the koodisto version when the document gave one: within a run, a lower version
    never replaces a higher one.
    """

    uri: str
    names: dict[str, str]
    versio: int | None
    source: Source


@dataclass(frozen=True)
class QualificationRecord:
    """The units (koodi-URIs) of a qualification's ePerusteet peruste, by its diaarinumero."""

    diaarinumero: str
    unit_uris: frozenset[str]
    source: Source


def names_of(value: object) -> dict[str, str]:
    """The fi/sv/en texts of a localised name object; anything else is dropped."""
    if not isinstance(value, dict):
        return {}
    return {lang: text for lang in LANGUAGES if isinstance(text := value.get(lang), str) and text}
