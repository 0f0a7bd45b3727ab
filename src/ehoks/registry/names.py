"""Names for what HOKS documents hold as codes: koodi-URIs, organisation OIDs, study rights.

Every name comes from the local registries (`ehoks registry import`) in fi/sv/en. A missing
language falls back to the others in the order fi, sv, en; a code with no name at all is shown as
itself (the koodi-URI or the OID), so a page never shows a blank where a code was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from ehoks.hoksmodel.formats import is_valid_organisation_oid
from ehoks.registry import repository
from ehoks.registry.records import LANGUAGES

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from sqlalchemy.orm import Session

    from ehoks.registry.models import StudyRight

Names = dict[str, str]  # {"fi": ..., "sv": ..., "en": ...}

# Person and study-right OIDs are not shown by name: the student's own data comes from elsewhere.
_NOT_NAMED_OIDS: Final = ("oppija-oid", "opiskeluoikeus-oid")
_VERSION_SUFFIX: Final = re.compile(r"#\d+$")


def pick(names: object, lang: str, fallback: str) -> str:
    """The name in `lang`, else in fi, sv, en (first found), else `fallback`."""
    if isinstance(names, dict):
        for candidate in (lang, *LANGUAGES):
            text = names.get(candidate)
            if isinstance(text, str) and text.strip():
                return text
    return fallback


def complete(names: object, fallback: str) -> Names:
    """A name in every language (fi, sv, en), each by `pick`'s fallback."""
    return {lang: pick(names, lang, fallback) for lang in LANGUAGES}


def named_only(names: Mapping[str, Names]) -> dict[str, Names]:
    """The entries of `names` the registry has a name for: those named by their own code or OID
    in every language (the fallback above) are left out, for a page to say they are unknown."""
    return {key: found for key, found in names.items() if any(v != key for v in found.values())}


def name_of(session: Session, uri: str, lang: str) -> str:
    """The name of one koodi-URI in `lang` (fi/sv/en), falling back as `pick` does to the URI."""
    return names_of(session, [uri])[uri][str(lang) if str(lang) in LANGUAGES else "fi"]


def names_of(session: Session, uris: Iterable[str]) -> dict[str, Names]:
    """fi/sv/en names of every given koodi-URI, in one query per 500 URIs.

    Every URI given is a key of the answer; an unknown one is named by the URI itself. A URI is
    matched as written, else in lower case without a "#version" suffix.
    """
    wanted = set(uris)
    stored = repository.code_names_by_uri(session, wanted | {_normal(uri) for uri in wanted})
    answer: dict[str, Names] = {}
    for uri in wanted:
        row = stored.get(uri) or stored.get(_normal(uri))
        answer[uri] = complete(row.names if row is not None else None, uri)
    return answer


def organisation_names(session: Session, oids: Iterable[str]) -> dict[str, Names]:
    """fi/sv/en names of every given organisation OID; an unknown one is named by its OID."""
    wanted = set(oids)
    stored = repository.organisation_names_by_oid(session, wanted)
    return {oid: complete(stored.get(oid), oid) for oid in wanted}


def study_right_names(study_right: StudyRight) -> dict[str, Names]:
    """{"tutkinto": names, "osaamisala": names} of a study right, leaving out what it lacks.

    The names are those Koski gave in the study right's suoritus (stored at import).
    """
    found: dict[str, Names] = {}
    for key, names in (
        ("tutkinto", study_right.tutkinto_nimi),
        ("osaamisala", study_right.osaamisala_nimi),
    ):
        fallback = pick(names, "fi", "")
        if fallback:
            found[key] = complete(names, fallback)
    return found


def collect_codes(document: object) -> set[str]:
    """Every koodi-URI and organisation OID in a HOKS document, at any depth.

    Koodi-URIs are the values of keys ending in `koodi-uri`; organisation OIDs those of keys
    ending in `-oid`, except the student's and study rights' OIDs.
    """
    found: set[str] = set()
    _collect(document, found)
    return found


def document_names(session: Session, document: object) -> dict[str, Names]:
    """fi/sv/en names of every code and organisation in a HOKS document (two queries)."""
    codes = collect_codes(document)
    oids = {code for code in codes if is_valid_organisation_oid(code)}
    return {**names_of(session, codes - oids), **organisation_names(session, oids)}


def _collect(value: object, found: set[str]) -> None:
    if isinstance(value, list):
        for item in value:
            _collect(item, found)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if isinstance(item, str) and isinstance(key, str):
            if _is_named_code(key, item):
                found.add(item)
        else:
            _collect(item, found)


def _is_named_code(key: str, value: str) -> bool:
    if key.endswith("koodi-uri"):
        return bool(value.strip())
    return (
        key.endswith("-oid")
        and not key.endswith(_NOT_NAMED_OIDS)
        and is_valid_organisation_oid(value)
    )


def _normal(uri: str) -> str:
    return _VERSION_SUFFIX.sub("", uri.strip()).lower()
