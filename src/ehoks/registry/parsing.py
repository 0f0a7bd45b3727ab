"""Reading registry files in the national JSON formats.

A file holds one JSON document, a JSON list of documents, or one document per line (JSON lines).
Every document is a Koski oppija document (`henkilö` + `opiskeluoikeudet`), an organisaatio
document, a koodisto code element or an ePerusteet tutkinnon osa (or a page of them; see
`ehoks.registry.codes`). Nothing is written here: a whole run is parsed first so that one bad
document anywhere rejects the run before the database is touched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, NoReturn

from ehoks.hoksmodel.formats import is_valid_organisation_oid
from ehoks.registry.codes import (
    is_eperusteet_page,
    is_eperusteet_peruste,
    is_eperusteet_unit,
    is_koodisto_element,
    parse_eperusteet_page,
    parse_eperusteet_peruste,
    parse_eperusteet_unit,
    parse_koodisto_element,
)
from ehoks.registry.koski import is_koski_study_right_oid, parse_oppija_document
from ehoks.registry.records import (
    CodeNameRecord,
    MergedPersonRecord,
    OrganisationRecord,
    PersonRecord,
    ProvisionalOrganisation,
    QualificationRecord,
    RegistryFileError,
    Source,
    StudyRightRecord,
    names_of,
)

if TYPE_CHECKING:
    from pathlib import Path

_WHITESPACE: Final = re.compile(r"[ \t\n\r]*")
# Keys that only an organisaatio document has (the minimal findbyoids form has just oid + nimi).
_ORGANISATION_KEYS: Final = frozenset({"nimi", "parentOid", "parentOidPath", "tyypit"})
_ORGANISATION_NODE: Final = re.compile(r"1\.2\.246\.562\.(10|[12]?99)\.")


@dataclass
class ParsedBatch:
    """Everything one run found, in file order (later entries win for the same OID)."""

    organisations: list[OrganisationRecord] = field(default_factory=list)
    provisional_organisations: list[ProvisionalOrganisation] = field(default_factory=list)
    persons: list[PersonRecord] = field(default_factory=list)
    merged_persons: list[MergedPersonRecord] = field(default_factory=list)
    study_rights: list[StudyRightRecord] = field(default_factory=list)
    codes: list[CodeNameRecord] = field(default_factory=list)
    qualifications: list[QualificationRecord] = field(default_factory=list)


def parse_files(paths: list[Path]) -> ParsedBatch:
    """Parse every file; the first problem raises `RegistryFileError`."""
    batch = ParsedBatch()
    for path in paths:
        for line, document in read_documents(path):
            _add_document(batch, Source(path, line), document)
    return batch


def read_documents(path: Path) -> list[tuple[int, Any]]:
    """The documents of one file, each with the line number where it starts."""
    text = _read_text(path)
    start = _WHITESPACE.match(text, 0)
    position = start.end() if start else 0
    if position == len(text):
        raise RegistryFileError(path, None, "the file holds no JSON document")
    if text[position] == "[":
        return _read_list(path, text, position)
    first_line = text[position:].split("\n", 1)[0]
    if _is_complete_object(first_line) and text[position:].strip() != first_line.strip():
        return _read_json_lines(path, text)
    return [(_line_at(text, position), _decode_whole(path, text))]


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RegistryFileError(path, None, "no such file") from None
    except IsADirectoryError:
        raise RegistryFileError(path, None, "is a directory, not a file") from None
    except OSError as exc:
        raise RegistryFileError(path, None, f"cannot be read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise RegistryFileError(path, line, "the file is not UTF-8 text") from None


def _refuse_constant(name: str) -> NoReturn:
    # Python's json reads NaN and Infinity; JSON (and the national services) do not.
    raise ValueError(f"{name} is not JSON")


_DECODER: Final = json.JSONDecoder(parse_constant=_refuse_constant)


def _syntax_error(path: Path, exc: json.JSONDecodeError) -> RegistryFileError:
    return RegistryFileError(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})")


def _decode_at(path: Path, text: str, position: int) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, position)
    except json.JSONDecodeError as exc:
        raise _syntax_error(path, exc) from None
    except ValueError as exc:
        raise RegistryFileError(path, _line_at(text, position), f"invalid JSON: {exc}") from None


def _decode_whole(path: Path, text: str) -> object:
    start = _WHITESPACE.match(text, 0)
    document, end = _decode_at(path, text, start.end() if start else 0)
    _expect_only_whitespace(path, text, end)
    return document


def _expect_only_whitespace(path: Path, text: str, position: int) -> None:
    rest = _WHITESPACE.match(text, position)
    end = rest.end() if rest else position
    if end != len(text):
        raise RegistryFileError(
            path, _line_at(text, end), "unexpected text after the JSON document"
        )


def _is_complete_object(line: str) -> bool:
    candidate = line.strip()
    if not candidate.startswith("{"):
        return False
    try:
        json.loads(candidate)
    except ValueError:
        return False
    return True


def _read_json_lines(path: Path, text: str) -> list[tuple[int, Any]]:
    documents: list[tuple[int, Any]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            documents.append((number, _DECODER.decode(line)))
        except json.JSONDecodeError as exc:
            raise RegistryFileError(
                path, number, f"invalid JSON: {exc.msg} (column {exc.colno})"
            ) from None
        except ValueError as exc:
            raise RegistryFileError(path, number, f"invalid JSON: {exc}") from None
    return documents


class _LineCounter:
    """Line numbers of increasing positions, counting each newline once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._position = 0
        self._line = 1

    def line_at(self, position: int) -> int:
        self._line += self._text.count("\n", self._position, position)
        self._position = position
        return self._line


def _read_list(path: Path, text: str, position: int) -> list[tuple[int, Any]]:
    # json.loads would lose where each element starts; decode element by element instead.
    lines = _LineCounter(text)
    documents: list[tuple[int, Any]] = []
    position = _skip_whitespace(text, position + 1)
    if text.startswith("]", position):
        _expect_only_whitespace(path, text, position + 1)
        return documents
    while True:
        document, end = _decode_at(path, text, position)
        documents.append((lines.line_at(position), document))
        position = _skip_whitespace(text, end)
        if text.startswith(",", position):
            position = _skip_whitespace(text, position + 1)
            continue
        if text.startswith("]", position):
            _expect_only_whitespace(path, text, position + 1)
            return documents
        raise RegistryFileError(
            path, lines.line_at(position), "invalid JSON: expected ',' or ']' in the list"
        )


def _skip_whitespace(text: str, position: int) -> int:
    match = _WHITESPACE.match(text, position)
    return match.end() if match else position


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def _add_document(batch: ParsedBatch, source: Source, document: object) -> None:
    if not isinstance(document, dict):
        raise source.error(f"expected a JSON object, found {_json_kind(document)}")
    if "henkilö" in document and "opiskeluoikeudet" in document:
        oppija = parse_oppija_document(source, document)
        batch.persons.append(oppija.person)
        batch.merged_persons.extend(oppija.merged)
        batch.study_rights.extend(oppija.study_rights)
        batch.provisional_organisations.extend(oppija.organisations)
        return
    if is_organisation_document(document):
        batch.organisations.append(parse_organisation_document(source, document))
        return
    if _add_code_document(batch, source, document):
        return
    if is_koski_study_right_oid(document.get("oid")):
        raise source.error(
            "a study right without its student cannot be imported; "
            "give the Koski oppija document (henkilö + opiskeluoikeudet)"
        )
    raise source.error(
        "unknown document: expected a Koski oppija document (henkilö + opiskeluoikeudet) "
        "or an organisaatio document (oid + nimi/parentOid/parentOidPath/tyypit)"
    )


def _add_code_document(batch: ParsedBatch, source: Source, document: dict[str, Any]) -> bool:
    """Add the code names of a koodisto or ePerusteet document; False for any other document."""
    if is_eperusteet_peruste(document):
        qualification, names = parse_eperusteet_peruste(source, document)
        batch.qualifications.append(qualification)
        batch.codes.extend(names)
    elif is_koodisto_element(document):
        batch.codes.append(parse_koodisto_element(source, document))
    elif is_eperusteet_unit(document):
        batch.codes.extend(parse_eperusteet_unit(source, document))
    elif is_eperusteet_page(document):
        batch.codes.extend(parse_eperusteet_page(source, document))
    else:
        return False
    return True


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    return "a bare value"


def is_organisation_document(document: dict[str, Any]) -> bool:
    """An organisaatio document: an organisation OID and at least one organisation field."""
    oid = document.get("oid")
    return (
        isinstance(oid, str)
        and _ORGANISATION_NODE.match(oid) is not None
        and not _ORGANISATION_KEYS.isdisjoint(document)
    )


def parse_organisation_document(source: Source, document: dict[str, Any]) -> OrganisationRecord:
    """The fields of an organisaatio document; keys it lacks stay unknown (None)."""
    oid = document["oid"]
    if not is_valid_organisation_oid(oid):
        raise source.error(f"oid: {oid!r} is not a valid organisation OID")
    parent_oid = document.get("parentOid")
    if parent_oid is not None and not is_valid_organisation_oid(parent_oid):
        raise source.error(f"parentOid: {parent_oid!r} is not a valid organisation OID")
    path = _parent_path(source, oid, document.get("parentOidPath"))
    if parent_oid is None and path:
        parent_oid = path[-1]
    types = document.get("tyypit")
    if types is not None and not (
        isinstance(types, list) and all(isinstance(t, str) for t in types)
    ):
        raise source.error("tyypit: expected a list of strings")
    nimi = document.get("nimi")
    if nimi is not None and not isinstance(nimi, dict):
        raise source.error("nimi: expected an object with fi/sv/en names")
    return OrganisationRecord(
        oid=oid,
        names=names_of(nimi) if nimi is not None else None,
        parent_oid=parent_oid,
        parent_path=path,
        types=list(types) if types is not None else None,
        source=source,
    )


def _parent_path(source: Source, oid: str, value: object) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise source.error("parentOidPath: expected a string like |root|...|parent|")
    # Older organisaatio versions wrote "root|...|parent" or included the organisation itself.
    ancestors = [part for part in value.split("|") if part]
    if ancestors and ancestors[-1] == oid:
        ancestors.pop()
    for ancestor in ancestors:
        if not is_valid_organisation_oid(ancestor):
            raise source.error(f"parentOidPath: {ancestor!r} is not a valid organisation OID")
    return ancestors
