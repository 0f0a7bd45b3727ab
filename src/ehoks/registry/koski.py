"""Koski oppija documents: the person, their study rights and the organisations those name.

Only what decisions need is validated (OIDs, the study-right type, dates); the rest of a study
right is kept as it came, because real Koski answers leave out much optional data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from ehoks.hoksmodel.formats import (
    is_valid_oppija_oid,
    is_valid_organisation_oid,
    opiskeluoikeus_oid_pattern_ok,
    parse_date,
)
from ehoks.registry.records import (
    MergedPersonRecord,
    PersonRecord,
    ProvisionalOrganisation,
    Source,
    StudyRightRecord,
    names_of,
)

OPH_ROOT_OID: Final = "1.2.246.562.10.00000000001"
KOULUTUSTOIMIJA_TYPE: Final = "organisaatiotyyppi_01"
OPPILAITOS_TYPE: Final = "organisaatiotyyppi_02"

# The suoritus whose koulutusmoduuli names the study right's qualification or programme.
_MAIN_SUORITUS_TYPES: Final = frozenset(
    {"ammatillinentutkinto", "ammatillinentutkintoosittainen", "tuvakoulutuksensuoritus", "telma"}
)
# Henkilötunnus: DDMMYY, century sign, individual number, check character.
_HETU: Final = re.compile(r"([0-9]{6})([-+A-FU-Y])([0-9]{3})([0-9A-Y])", re.ASCII)
_HETU_CHECK: Final = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_CENTURIES: Final = {"+": 1800, "-": 1900, "U": 1900, "V": 1900, "W": 1900, "X": 1900, "Y": 1900}
_PERSON_FIELDS: Final = (
    ("etunimet", "first_names"),
    ("kutsumanimi", "calling_name"),
    ("sukunimi", "last_name"),
)


@dataclass(frozen=True)
class OppijaDocument:
    person: PersonRecord
    merged: list[MergedPersonRecord]
    study_rights: list[StudyRightRecord]
    organisations: list[ProvisionalOrganisation]


def parse_oppija_document(source: Source, document: dict[str, Any]) -> OppijaDocument:
    """Validate and extract one `{"henkilö": ..., "opiskeluoikeudet": [...]}` document."""
    henkilo = document["henkilö"]
    if not isinstance(henkilo, dict):
        raise source.error("henkilö: expected an object")
    person = _person(source, henkilo)
    merged = _merged_oids(source, henkilo, person.oid)
    study_rights_json = document["opiskeluoikeudet"]
    if not isinstance(study_rights_json, list):
        raise source.error("opiskeluoikeudet: expected a list")
    study_rights: list[StudyRightRecord] = []
    organisations: list[ProvisionalOrganisation] = []
    for index, study_right in enumerate(study_rights_json):
        reader = _Reader(source, f"opiskeluoikeudet[{index}]")
        if not isinstance(study_right, dict):
            raise reader.error("", "expected an object")
        study_rights.append(_study_right(reader, person.oid, study_right))
        organisations.extend(_organisations(reader, study_right))
    return OppijaDocument(person, merged, study_rights, organisations)


class _Reader:
    """Reads fields of one JSON object and reports problems with their JSON path."""

    def __init__(self, source: Source, path: str) -> None:
        self.source = source
        self.path = path

    def error(self, key: str, reason: str) -> Exception:
        where = f"{self.path}.{key}" if key else self.path
        return self.source.error(f"{where}: {reason}")

    def mapping(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(key, "expected an object")
        return value

    def sequence(self, data: dict[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, "expected a list")
        return value

    def string(self, data: dict[str, Any], key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise self.error(key, "expected a string")
        return value

    def iso_date(self, data: dict[str, Any], key: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed is None:
            raise self.error(key, f"{value!r} is not an ISO date (YYYY-MM-DD)")
        return parsed

    def organisation_oid(self, data: dict[str, Any], key: str) -> str | None:
        oid = data.get("oid")
        if oid is None:
            return None  # Koski leaves some organisations out entirely ({}).
        if not is_valid_organisation_oid(oid):
            raise self.error(f"{key}.oid", f"{oid!r} is not a valid organisation OID")
        return str(oid)


def _person(source: Source, henkilo: dict[str, Any]) -> PersonRecord:
    reader = _Reader(source, "henkilö")
    oid = henkilo.get("oid")
    if not is_valid_oppija_oid(oid):
        raise reader.error("oid", f"{oid!r} is not a valid oppija OID")
    fields: dict[str, Any] = {}
    if "hetu" in henkilo:
        hetu = reader.string(henkilo, "hetu")
        if hetu is not None and not is_valid_hetu(hetu):
            raise reader.error("hetu", "not a valid henkilötunnus")
        fields["hetu"] = hetu
    for key, column in _PERSON_FIELDS:
        if key in henkilo:
            fields[column] = reader.string(henkilo, key)
    if "syntymäaika" in henkilo:
        fields["birth_date"] = reader.iso_date(henkilo, "syntymäaika")
    if "turvakielto" in henkilo:
        protection = henkilo["turvakielto"]
        if protection is not None and not isinstance(protection, bool):
            raise reader.error("turvakielto", "expected true or false")
        fields["protection_order"] = bool(protection)
    return PersonRecord(oid=str(oid), fields=fields, source=source)


def _merged_oids(source: Source, henkilo: dict[str, Any], master: str) -> list[MergedPersonRecord]:
    reader = _Reader(source, "henkilö")
    merged: dict[str, MergedPersonRecord] = {}
    for key in ("kaikkiOidit", "linkitetytOidit"):
        for oid in reader.sequence(henkilo, key):
            if not is_valid_oppija_oid(oid):
                raise reader.error(key, f"{oid!r} is not a valid oppija OID")
            if oid != master:
                merged[oid] = MergedPersonRecord(oid=oid, master_oid=master, source=source)
    return list(merged.values())


def is_valid_hetu(value: str) -> bool:
    """A Finnish henkilötunnus with a real birth date and the right check character."""
    match = _HETU.fullmatch(value)
    if match is None:
        return False
    birth, century_sign, individual, check = match.groups()
    century = _CENTURIES.get(century_sign, 2000)
    try:
        date(century + int(birth[4:6]), int(birth[2:4]), int(birth[0:2]))
    except ValueError:
        return False
    return _HETU_CHECK[int(birth + individual) % len(_HETU_CHECK)] == check


def is_koski_study_right_oid(value: object) -> bool:
    """A study-right OID as Koski issues them: the pattern, without the Luhn check.

    Koski's own test data holds study rights whose OID fails the checksum (e.g.
    1.2.246.562.15.76811932038). The registry mirrors what Koski says; the HOKS API still checks
    the checksum of the OIDs it is sent, so such a study right can never carry a HOKS.
    """
    return isinstance(value, str) and opiskeluoikeus_oid_pattern_ok(value)


def _study_right(reader: _Reader, oppija_oid: str, data: dict[str, Any]) -> StudyRightRecord:
    oid = data.get("oid")
    if not is_koski_study_right_oid(oid):
        raise reader.error("oid", f"{oid!r} is not a valid study-right OID")
    tyyppi = reader.string(reader.mapping(data, "tyyppi"), "koodiarvo")
    if not tyyppi:
        raise reader.error("tyyppi.koodiarvo", "missing; every study right has a type")
    suoritukset = [s for s in reader.sequence(data, "suoritukset") if isinstance(s, dict)]
    main = _main_suoritus(suoritukset)
    contained = reader.mapping(data, "sisältyyOpiskeluoikeuteen")
    contained_oid = contained.get("oid")
    if contained and not is_koski_study_right_oid(contained_oid):
        raise reader.error(
            "sisältyyOpiskeluoikeuteen.oid", f"{contained_oid!r} is not a valid study-right OID"
        )
    return StudyRightRecord(
        oid=str(oid),
        oppija_oid=oppija_oid,
        tyyppi=tyyppi,
        oppilaitos_oid=reader.organisation_oid(reader.mapping(data, "oppilaitos"), "oppilaitos"),
        koulutustoimija_oid=reader.organisation_oid(
            reader.mapping(data, "koulutustoimija"), "koulutustoimija"
        ),
        alkamispaiva=reader.iso_date(data, "alkamispäivä"),
        arvioitu_paattymispaiva=reader.iso_date(data, "arvioituPäättymispäivä"),
        paattymispaiva=reader.iso_date(data, "päättymispäivä"),
        latest_tila=_latest_tila(reader, data),
        suoritus_tyypit=[t for s in suoritukset if (t := _suoritus_type(s))],
        tutkinto_nimi=_tutkinto_nimi(main),
        osaamisala_nimi=_osaamisala_nimi(main),
        contained_in_oid=str(contained_oid) if contained_oid else None,
        contained_in_oppilaitos_oid=reader.organisation_oid(
            reader.mapping(contained, "oppilaitos"), "sisältyyOpiskeluoikeuteen.oppilaitos"
        ),
        document=data,
        source=reader.source,
    )


def _latest_tila(reader: _Reader, data: dict[str, Any]) -> str | None:
    # The jakso with the greatest `alku` is the current state; on a tie the later one in the list.
    latest: tuple[date, str | None] | None = None
    jaksot = reader.sequence(reader.mapping(data, "tila"), "opiskeluoikeusjaksot")
    for index, jakso in enumerate(jaksot):
        jakso_reader = _Reader(reader.source, f"{reader.path}.tila.opiskeluoikeusjaksot[{index}]")
        if not isinstance(jakso, dict):
            raise jakso_reader.error("", "expected an object")
        alku = jakso_reader.iso_date(jakso, "alku")
        if alku is None:
            raise jakso_reader.error("alku", "missing")
        tila = jakso.get("tila")
        koodiarvo = tila.get("koodiarvo") if isinstance(tila, dict) else None
        if latest is None or alku >= latest[0]:
            latest = (alku, koodiarvo if isinstance(koodiarvo, str) else None)
    return latest[1] if latest else None


def _suoritus_type(suoritus: dict[str, Any]) -> str | None:
    tyyppi = suoritus.get("tyyppi")
    koodiarvo = tyyppi.get("koodiarvo") if isinstance(tyyppi, dict) else None
    return koodiarvo if isinstance(koodiarvo, str) and koodiarvo else None


def _main_suoritus(suoritukset: list[dict[str, Any]]) -> dict[str, Any]:
    for suoritus in suoritukset:
        if _suoritus_type(suoritus) in _MAIN_SUORITUS_TYPES:
            return suoritus
    return suoritukset[0] if suoritukset else {}


def _dig(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _tutkinto_nimi(suoritus: dict[str, Any]) -> dict[str, str]:
    return names_of(_dig(suoritus, "koulutusmoduuli", "tunniste", "nimi"))


def _osaamisala_nimi(suoritus: dict[str, Any]) -> dict[str, str]:
    osaamisalat = suoritus.get("osaamisala")
    if not isinstance(osaamisalat, list):
        return {}
    for entry in osaamisalat:
        names = names_of(_dig(entry, "osaamisala", "nimi"))
        if names:
            return names
    return {}


def _organisations(reader: _Reader, data: dict[str, Any]) -> list[ProvisionalOrganisation]:
    """Provisional rows for the oppilaitos and koulutustoimija a study right names."""
    found: list[ProvisionalOrganisation] = []
    koulutustoimija = reader.mapping(data, "koulutustoimija")
    koulutustoimija_oid = reader.organisation_oid(koulutustoimija, "koulutustoimija")
    if koulutustoimija_oid:
        found.append(
            ProvisionalOrganisation(
                oid=koulutustoimija_oid,
                names=names_of(koulutustoimija.get("nimi")),
                parent_oid=OPH_ROOT_OID,
                grandparent_oid=None,
                types=[KOULUTUSTOIMIJA_TYPE],
                source=reader.source,
            )
        )
    oppilaitos = reader.mapping(data, "oppilaitos")
    oppilaitos_oid = reader.organisation_oid(oppilaitos, "oppilaitos")
    # Some small providers are their own oppilaitos; the organisation then sits under the root.
    if oppilaitos_oid and oppilaitos_oid != koulutustoimija_oid:
        found.append(
            ProvisionalOrganisation(
                oid=oppilaitos_oid,
                names=names_of(oppilaitos.get("nimi")),
                parent_oid=koulutustoimija_oid or OPH_ROOT_OID,
                grandparent_oid=OPH_ROOT_OID if koulutustoimija_oid else None,
                types=[OPPILAITOS_TYPE],
                source=reader.source,
            )
        )
    return found
