"""A stored HOKS record turned into labelled rows and groups, generically from `hoksmodel`.

Every field of the declarative model is shown with its label (`labels`) and its value as a
person reads it (`values`). What a person has no use for stays out: database and part
identifiers, code versions, the sending system's bookkeeping. Small records (a person, an
organisation, an interruption) become one line of text; a single nested record (the workplace
of a period) lends its rows to its parent; a list of larger records (units, periods,
demonstrations) becomes a `Group` of `Entry`s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from ehoks.hoksmodel.spec import RECORDS, Field, Kind
from ehoks.kit.i18n import Lang
from ehoks.planview.labels import field_label, record_label
from ehoks.planview.values import Names, name_of, scalar_text, span_text

# Fields that mean nothing to a person reading the plan.
HIDDEN_KEYS: Final = frozenset(
    {
        "id",
        "eid",
        "module-id",
        "manuaalisyotto",
        "poistettu",
        "versio",
        "yksiloiva-tunniste",
        "oppija-oid",
        "opiskeluoikeus-oid",
        "tuva-opiskeluoikeus-oid",
    }
)
# Records shown as one line of text wherever they stand.
INLINE_RECORDS: Final = frozenset(
    {
        "VastuullinenTyopaikkaOhjaaja",
        "Oppilaitoshenkilo",
        "NaytonJarjestaja",
        "Nayttoymparisto",
        "KoodistoKoodi",
        "KoulutuksenJarjestajaArvioija",
        "KoulutuksenJarjestajaOrganisaatio",
        "TyoelamaOsaamisenArvioija",
        "TyoelamaOrganisaatio",
        "Keskeytymisajanjakso",
        "MuuOppimisymparisto",
    }
)
# The field that names an entry, per record type (its value becomes the entry's title).
TITLE_KEYS: Final[dict[str, str]] = {
    "HankittavaAmmatillinenTutkinnonOsa": "tutkinnon-osa-koodi-uri",
    "HankittavaYhteinenTutkinnonOsa": "tutkinnon-osa-koodi-uri",
    "AiemminHankittuAmmatillinenTutkinnonOsa": "tutkinnon-osa-koodi-uri",
    "AiemminHankittuYhteinenTutkinnonOsa": "tutkinnon-osa-koodi-uri",
    "HankittavaPaikallinenTutkinnonOsa": "nimi",
    "AiemminHankittuPaikallinenTutkinnonOsa": "nimi",
    "HankittavanYTOnOsaAlue": "osa-alue-koodi-uri",
    "AiemminHankitunYTOnOsaAlue": "osa-alue-koodi-uri",
    "OsaamisenHankkimistapa": "osaamisen-hankkimistapa-koodi-uri",
    "OpiskeluvalmiuksiaTukevatOpinnot": "nimi",
    "OppimisenTuki": "oppimisen-tuen-tyyppi-koodi-uri",
    "HankittavaKoulutuksenOsa": "koulutuksen-osa-koodi-uri",
}


def is_hidden(key: str) -> bool:
    return key in HIDDEN_KEYS or key.endswith("-koodi-versio") or key == "koodi-versio"


@dataclass(frozen=True, slots=True)
class Row:
    """One labelled value: text, or a list of texts (key tasks, assessors)."""

    key: str
    label: str
    value: str | list[str]


@dataclass(slots=True)
class Entry:
    """One record: a title, its dates, its rows and its lists of further records."""

    record: str
    kind: str  # the record type's label ("Learning period")
    title: str
    anchor: str
    dates: str = ""
    rows: list[Row] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    # The unit's progress (units still to be acquired only; see `progress`).
    status: Any = None


@dataclass(slots=True)
class Group:
    """A labelled list of records (the units of a list, a unit's periods)."""

    key: str
    label: str
    entries: list[Entry]


class Builder:
    """Builds entries for one document in one language; anchors are unique within the page."""

    def __init__(self, names: Names, lang: Lang, prefix: str = "part") -> None:
        self.names = names
        self.lang = lang
        self._prefix = prefix
        self._count = 0
        # id() of each record shown -> its entry's anchor, so other parts can link to it.
        self.anchors: dict[int, str] = {}

    def anchor(self) -> str:
        self._count += 1
        return f"{self._prefix}-{self._count}"

    def group(self, record: str, key: str, items: object) -> Group | None:
        """The list `key` of a `record` as a group; None when it is empty or not a list."""
        spec = _field(record, key)
        if spec is None or spec.type.item is None or not spec.type.item.record:
            return None
        if not isinstance(items, list) or not items:
            return None
        child = spec.type.item.record
        entries = [self.entry(child, item) for item in items if isinstance(item, Mapping)]
        return Group(key, field_label(record, key, self.lang), entries) if entries else None

    def entry(self, record: str, value: Mapping[str, Any]) -> Entry:
        title_key = TITLE_KEYS.get(record)
        title_field = _field(record, title_key) if title_key else None
        title = ""
        if title_field is not None and title_key is not None:
            title = scalar_text(title_field, value.get(title_key), self.names, self.lang)
        kind = record_label(record, self.lang)
        entry = Entry(record, kind, title or kind, self.anchor())
        self.anchors[id(value)] = entry.anchor
        if "alku" in value or "loppu" in value:
            entry.dates = span_text(value.get("alku"), value.get("loppu"), self.lang)
        if record == "OsaamisenOsoittaminen":
            place = value.get("nayttoymparisto")
            if isinstance(place, Mapping) and place.get("nimi"):
                entry.title = str(place["nimi"])
        self._fill(record, value, entry, skip={title_key} if title else set())
        return entry

    def rows(self, record: str, value: Mapping[str, Any], keys: tuple[str, ...] = ()) -> list[Row]:
        """The rows of `value` (only `keys`, in that order, when given)."""
        entry = Entry(record, "", "", "")
        chosen = {key: value[key] for key in keys if key in value} if keys else value
        self._fill(record, chosen, entry, skip=set())
        return entry.rows

    def _fill(
        self, record: str, value: Mapping[str, Any], entry: Entry, skip: set[str | None]
    ) -> None:
        for spec in RECORDS[record].fields:
            key = spec.key
            if key in skip or is_hidden(key) or key not in value:
                continue
            if entry.dates and key in ("alku", "loppu"):
                continue
            item = value[key]
            kind = spec.type.kind
            if kind is Kind.RECORD and spec.type.record:
                self._nested(record, spec, spec.type.record, item, entry)
            elif kind is Kind.LIST and spec.type.item is not None and spec.type.item.record:
                child = spec.type.item.record
                if child in INLINE_RECORDS:
                    lines = [self.inline(child, x) for x in item or [] if isinstance(x, Mapping)]
                    self._add(entry, record, key, [line for line in lines if line])
                else:
                    group = self.group(record, key, item)
                    if group is not None:
                        entry.groups.append(group)
            elif kind is Kind.LIST:
                texts = [str(x) for x in item or [] if str(x).strip()]
                self._add(entry, record, key, texts)
            else:
                self._add(entry, record, key, scalar_text(spec, item, self.names, self.lang))

    def _nested(self, record: str, spec: Field, child: str, item: object, entry: Entry) -> None:
        if not isinstance(item, Mapping):
            return
        if child in INLINE_RECORDS:
            self._add(entry, record, spec.key, self.inline(child, item))
        else:
            self._fill(child, item, entry, skip=set())

    def _add(self, entry: Entry, record: str, key: str, value: str | list[str]) -> None:
        if value in ("", []):
            return
        entry.rows.append(Row(key, field_label(record, key, self.lang), value))

    def inline(self, record: str, value: Mapping[str, Any]) -> str:
        """A small record as one line: its shown values joined by commas, dates as a span."""
        parts: list[str] = []
        for spec in RECORDS[record].fields:
            key = spec.key
            if is_hidden(key) or key in ("alku", "loppu") or key not in value:
                continue
            item = value[key]
            if spec.type.kind is Kind.RECORD and spec.type.record and isinstance(item, Mapping):
                text = self.inline(spec.type.record, item)
            elif isinstance(item, list):
                text = ", ".join(str(x) for x in item)
            else:
                text = scalar_text(spec, item, self.names, self.lang)
            if text:
                parts.append(text)
        if "alku" in value or "loppu" in value:
            parts.append(span_text(value.get("alku"), value.get("loppu"), self.lang))
        return ", ".join(parts)

    def code_name(self, code: str) -> str:
        return name_of(code, self.names, self.lang)


def _field(record: str, key: str | None) -> Field | None:
    if key is None:
        return None
    return next((f for f in RECORDS[record].fields if f.key == key), None)
