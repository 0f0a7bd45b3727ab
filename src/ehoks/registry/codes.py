"""Reading code names: koodisto code elements and ePerusteet tutkinnon osa documents.

Both name a koodi-URI in fi/sv/en, which is all the registry keeps of them (`CodeName`):

* a koodisto code element (`/koodisto-service/rest/codeelement/...`, `.../json/KOODISTO/koodi`)
  has `koodiUri`, `koodiArvo`, `versio` and `metadata: [{kieli: "FI"|"SV"|"EN", nimi}]`;
* an ePerusteet tutkinnon osa (`/eperusteet-service/api/tutkinnonosat/...`) has `nimi: {fi, sv,
  en}` and its code as `koodiUri` and/or `koodi.uri`; its `osaAlueet` name the osa-alue codes
  (`ammatillisenoppiaineet_*`) the same way. The API answers with a page, `{data: [...], sivu,
  sivuja, ...}`, which is read element by element;
* an ePerusteet peruste with its units (`/eperusteet-service/api/perusteet/{id}/kaikki`) has
  its `diaarinumero` and `tutkinnonOsat`: the units are named as above, and kept as the units of
  that qualification (`QualificationUnit`), which the plan form offers for a study right of it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from ehoks.registry.records import LANGUAGES, CodeNameRecord, QualificationRecord

if TYPE_CHECKING:
    from ehoks.registry.records import Source

# koodisto URIs are "<koodisto>_<value>", e.g. "tutkinnonosat_100031", "urasuunnitelma_0001".
_KOODI_URI: Final = re.compile(r"[A-Za-z0-9]+_[A-Za-z0-9_.\-]+")
_PAGE_KEYS: Final = frozenset({"sivu", "sivuja", "sivukoko", "kokonaismäärä"})
MAX_DIAARINUMERO: Final = 64


def is_koodisto_element(document: dict[str, Any]) -> bool:
    """A koodisto code element: a `koodiUri` and its `metadata` (the names)."""
    return "koodiUri" in document and "metadata" in document


def is_eperusteet_unit(document: dict[str, Any]) -> bool:
    """An ePerusteet tutkinnon osa (or osa-alue): a name object and a code, no koodisto metadata."""
    if "metadata" in document or not isinstance(document.get("nimi"), dict):
        return False
    return isinstance(document.get("koodi"), dict) or isinstance(document.get("koodiUri"), str)


def is_eperusteet_page(document: dict[str, Any]) -> bool:
    """An ePerusteet API page: `data` with paging fields."""
    return isinstance(document.get("data"), list) and not _PAGE_KEYS.isdisjoint(document)


def is_eperusteet_peruste(document: dict[str, Any]) -> bool:
    """An ePerusteet peruste with its units (`/api/perusteet/{id}/kaikki`): a diaarinumero and
    the list of its tutkinnon osat."""
    return isinstance(document.get("diaarinumero"), str) and isinstance(
        document.get("tutkinnonOsat"), list
    )


def parse_eperusteet_peruste(
    source: Source, document: dict[str, Any]
) -> tuple[QualificationRecord, list[CodeNameRecord]]:
    """The qualification's units by its diaarinumero, and their names (and their osa-alueet')."""
    diaarinumero = document["diaarinumero"].strip()
    if not diaarinumero or len(diaarinumero) > MAX_DIAARINUMERO:
        raise source.error(f"diaarinumero: expected 1-{MAX_DIAARINUMERO} characters")
    names: list[CodeNameRecord] = []
    units: set[str] = set()
    for index, unit in enumerate(document["tutkinnonOsat"]):
        where = f"tutkinnonOsat[{index}]"
        if not isinstance(unit, dict):
            raise source.error(f"{where}: expected an ePerusteet tutkinnon osa object")
        found = parse_eperusteet_unit(source, unit, f"{where}.")
        if found:  # the unit's own code comes first; one without a code is not a unit to choose
            units.add(found[0].uri)
            names.extend(found)
    return QualificationRecord(diaarinumero, frozenset(units), source), names


def parse_koodisto_element(source: Source, document: dict[str, Any]) -> CodeNameRecord:
    """The names of one koodisto code element; languages other than fi/sv/en are ignored."""
    uri = _uri(source, "koodiUri", document["koodiUri"])
    metadata = document["metadata"]
    if not isinstance(metadata, list):
        raise source.error("metadata: expected a list of {kieli, nimi} objects")
    names: dict[str, str] = {}
    for index, entry in enumerate(metadata):
        where = f"metadata[{index}]"
        if not isinstance(entry, dict):
            raise source.error(f"{where}: expected an object with kieli and nimi")
        kieli, nimi = entry.get("kieli"), entry.get("nimi")
        if not isinstance(kieli, str):
            raise source.error(f"{where}.kieli: expected a language code such as FI")
        if nimi is not None and not isinstance(nimi, str):
            raise source.error(f"{where}.nimi: expected a string")
        lang = kieli.strip().lower()
        # Koodisto writes {"kieli": "EN"} without nimi for an untranslated name.
        if lang in LANGUAGES and nimi and nimi.strip():
            names[lang] = nimi.strip()
    if not names:
        raise source.error(f"metadata: {uri} has no name in FI, SV or EN")
    return CodeNameRecord(uri=uri, names=names, versio=_versio(source, document), source=source)


def parse_eperusteet_unit(
    source: Source, document: dict[str, Any], where: str = ""
) -> list[CodeNameRecord]:
    """The tutkinnon osa's own code name and those of its osa-alueet ([] when it has no code)."""
    uri = _unit_uri(source, document, where)
    if uri is None:
        return []
    records = [
        CodeNameRecord(
            uri=uri, names=_unit_names(source, document, where, uri), versio=None, source=source
        )
    ]
    parts = document.get("osaAlueet")
    if parts is None:
        return records
    if not isinstance(parts, list):
        raise source.error(f"{where}osaAlueet: expected a list")
    for index, part in enumerate(parts):
        part_where = f"{where}osaAlueet[{index}]"
        if not isinstance(part, dict):
            raise source.error(f"{part_where}: expected an object")
        part_uri = _unit_uri(source, part, f"{part_where}.")
        if part_uri is not None and part.get("nimi") is not None:
            names = _unit_names(source, part, f"{part_where}.", part_uri)
            records.append(CodeNameRecord(uri=part_uri, names=names, versio=None, source=source))
    return records


def parse_eperusteet_page(source: Source, document: dict[str, Any]) -> list[CodeNameRecord]:
    """Every tutkinnon osa of a page; an element without a code has no name to keep."""
    records: list[CodeNameRecord] = []
    for index, element in enumerate(document["data"]):
        where = f"data[{index}]"
        if not isinstance(element, dict) or "metadata" in element:
            raise source.error(f"{where}: expected an ePerusteet tutkinnon osa object")
        records.extend(parse_eperusteet_unit(source, element, f"{where}."))
    return records


def _unit_uri(source: Source, document: dict[str, Any], where: str) -> str | None:
    koodi = document.get("koodi")
    if koodi is not None and not isinstance(koodi, dict):
        raise source.error(f"{where}koodi: expected an object with uri")
    from_koodi = koodi.get("uri") if koodi else None
    top = document.get("koodiUri")
    uris = [
        _uri(source, name, value)
        for name, value in ((f"{where}koodi.uri", from_koodi), (f"{where}koodiUri", top))
        if value is not None
    ]
    if len(set(uris)) > 1:
        raise source.error(f"{where}koodiUri: {uris[1]!r} differs from koodi.uri {uris[0]!r}")
    return uris[0] if uris else None


def _unit_names(source: Source, document: dict[str, Any], where: str, uri: str) -> dict[str, str]:
    nimi = document.get("nimi")
    if not isinstance(nimi, dict):
        raise source.error(f"{where}nimi: expected an object with fi/sv/en names")
    koodi = document.get("koodi")
    # The code's own name fills languages the unit's name lacks (older perusteet are fi only).
    fallback = koodi.get("nimi") if isinstance(koodi, dict) else None
    names = {**_texts(fallback), **_texts(nimi)}
    if not names:
        raise source.error(f"{where}nimi: {uri} has no name in fi, sv or en")
    return names


def _texts(value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {
        lang: text.strip()
        for lang in LANGUAGES
        if isinstance(text := value.get(lang), str) and text.strip()
    }


def _uri(source: Source, where: str, value: object) -> str:
    if not isinstance(value, str) or _KOODI_URI.fullmatch(value.strip()) is None:
        raise source.error(f"{where}: {value!r} is not a koodi-URI such as tutkinnonosat_100031")
    return value.strip()


def _versio(source: Source, document: dict[str, Any]) -> int | None:
    versio = document.get("versio")
    if versio is None:
        return None
    if isinstance(versio, bool) or not isinstance(versio, int):
        raise source.error(f"versio: expected a whole number, found {versio!r}")
    return versio
