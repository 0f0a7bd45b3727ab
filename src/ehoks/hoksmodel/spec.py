"""The national HOKS data model as data: every record type, field, type and per-method presence.

This table is the single source of truth. The validator (`validator.py`), the GET shape
(`shape.py`) and the JSON Schema (`schema.py`) are all derived from it.

Presence is four characters, one per method in the order POST, PUT, PATCH, GET: `R` required,
`O` optional, `-` excluded. Nested records are only reached in POST and PUT (PATCH excludes
every part list), so their PATCH character merely repeats PUT.

Deliberate differences from the national service (see the package docstring): top-level `eid`
and `manuaalisyotto` and every nested `module-id` are optional in PUT (and the top-level ones in
PATCH) so that a GET response can be sent back unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Final

from ehoks.hoksmodel.formats import OidKind

# National DB column limit (VARCHAR(256)) for OIDs, koodi-URIs, tunnisteet and phone numbers.
DB_VARCHAR: Final = 256


class Kind(Enum):
    STRING = "string"  # plain string, trimmed
    PATTERN = "pattern"  # koodi-URI: not trimmed, anchored regex
    OID = "oid"
    BUSINESS_ID = "business_id"
    UUID = "uuid"
    DATE = "date"
    TIMESTAMP = "timestamp"
    INT = "int"
    NUMBER = "number"
    BOOLEAN = "boolean"
    LIST = "list"
    RECORD = "record"


@dataclass(frozen=True, slots=True)
class FieldType:
    kind: Kind
    pattern: str | None = None
    oid: OidKind | None = None
    max_len: int | None = None
    non_empty: bool = False
    phone: bool = False
    non_negative: bool = False
    achievement: bool = False  # the §5.5 window of osaamisen-saavuttamisen-pvm
    item: FieldType | None = None
    record: str | None = None


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    type: FieldType
    presence: str
    description: str
    # False for the national leftover nested `id`s (and the top-level `id`): accepted where the
    # national schema accepts them, but not kept, because they are meaningless national DB ids
    # and the storage layer owns identifiers.
    keep: bool = True
    # Set by the service or by the sending system, never typed by a person: identifiers the
    # storage or a system assigns, a system's own timestamps and version, the service's flags.
    # The staff's plan form carries such a value through unchanged, out of sight.
    system_set: bool = False

    def presence_for(self, method_index: int) -> str:
        return self.presence[method_index]


@dataclass(frozen=True, slots=True)
class Record:
    name: str
    description: str
    fields: tuple[Field, ...]
    # Record types that carry `module-id` (national §6.5).
    module: bool = False


STRING: Final = FieldType(Kind.STRING)
DATE: Final = FieldType(Kind.DATE)
TIMESTAMP: Final = FieldType(Kind.TIMESTAMP)
INT: Final = FieldType(Kind.INT)
NUMBER: Final = FieldType(Kind.NUMBER)
NON_NEGATIVE: Final = FieldType(Kind.NUMBER, non_negative=True)
BOOLEAN: Final = FieldType(Kind.BOOLEAN)
UUID: Final = FieldType(Kind.UUID)
BUSINESS_ID: Final = FieldType(Kind.BUSINESS_ID)
LONG_STRING: Final = FieldType(Kind.STRING, max_len=DB_VARCHAR)
STRINGS: Final = FieldType(Kind.LIST, item=STRING)
ORGANISATION_OID: Final = FieldType(Kind.OID, oid=OidKind.ORGANISAATIO)
STUDY_RIGHT_OID: Final = FieldType(Kind.OID, oid=OidKind.OPISKELUOIKEUS)
STUDENT_OID: Final = FieldType(Kind.OID, oid=OidKind.OPPIJA)


def code_uri(pattern: str) -> FieldType:
    return FieldType(Kind.PATTERN, pattern=pattern, max_len=DB_VARCHAR)


def record(name: str) -> FieldType:
    return FieldType(Kind.RECORD, record=name)


def records(name: str) -> FieldType:
    return FieldType(Kind.LIST, item=record(name))


REQ: Final = "RRRR"
OPT: Final = "OOOO"
# Child lists that requests may omit but GET always returns.
OPT_LIST: Final = "OOOR"

TUTKINNON_OSA_URI: Final = code_uri(r"tutkinnonosat_\d+")
OSA_ALUE_URI: Final = code_uri(r"ammatillisenoppiaineet_.+")
TODENTAMINEN_URI: Final = code_uri(r"osaamisentodentamisenprosessi_\d+")


def _module_ids(kind: str) -> tuple[Field, ...]:
    return (
        Field("id", INT, "----", f"National database id of the {kind}; never sent.", keep=False),
        Field(
            "module-id",
            UUID,
            "-OOR",
            f"Server-assigned identifier of this {kind} (lowercase UUID). Not accepted when "
            "creating; may be sent back unchanged in a replace.",
            system_set=True,
        ),
    )


def _leftover_id(kind: str) -> Field:
    return Field(
        "id",
        INT,
        "OOO-",
        f"Obsolete national database id of the {kind}. Accepted for compatibility, ignored.",
        keep=False,
    )


def _f(key: str, ftype: FieldType, presence: str, description: str) -> Field:
    return Field(key, ftype, presence, description)


def _system(key: str, ftype: FieldType, presence: str, description: str) -> Field:
    """A field the service or the sending system sets (`Field.system_set`)."""
    return Field(key, ftype, presence, description, system_set=True)


_DEVIATION = _f(
    "vaatimuksista-tai-tavoitteista-poikkeaminen",
    STRING,
    OPT,
    "How the student's plan deviates from the competence requirements or objectives.",
)
_ORGANISER = _f(
    "koulutuksen-jarjestaja-oid",
    ORGANISATION_OID,
    OPT,
    "Organisation (provider, institution or site) responsible for this part.",
)
_ESSENTIAL = _f(
    "olennainen-seikka",
    BOOLEAN,
    OPT,
    "The provider considers a circumstance essential for acquiring or showing this competence.",
)
_HOURS = _f(
    "opetus-ja-ohjaus-maara",
    NON_NEGATIVE,
    OPT,
    "Planned hours of teaching and guidance; zero or more.",
)
# The planning fields a unit or sub-area ends with: the deviation from the requirements, who
# organises it, whether a circumstance is essential, and (still to be acquired) the hours.
_PLANNING = (_DEVIATION, _ORGANISER, _ESSENTIAL)
_PLANNING_WITH_HOURS = (*_PLANNING, _HOURS)
_DIARY = _f(
    "tutkinnon-osan-perusteen-diaarinro",
    STRING,
    OPT,
    "Diary number of the qualification requirements the unit comes from, e.g. OPH-3418-2025.",
)
_UNIT_URI = _f("tutkinnon-osa-koodi-uri", TUTKINNON_OSA_URI, REQ, "Code of the unit (ePerusteet).")
_UNIT_VERSION = _f("tutkinnon-osa-koodi-versio", INT, REQ, "Version of the unit code.")
_AREA_URI = _f("osa-alue-koodi-uri", OSA_ALUE_URI, REQ, "Code of the sub-area (osa-alue).")
_AREA_VERSION = _f("osa-alue-koodi-versio", INT, REQ, "Version of the sub-area code.")
_PERIODS = _f(
    "osaamisen-hankkimistavat",
    records("OsaamisenHankkimistapa"),
    OPT_LIST,
    "Ways and periods of acquiring the competence.",
)
_DEMONSTRATIONS = _f(
    "osaamisen-osoittaminen",
    records("OsaamisenOsoittaminen"),
    OPT_LIST,
    "Planned demonstrations of the competence.",
)


def _verification(presence: str) -> tuple[Field, ...]:
    return (
        _f(
            "valittu-todentamisen-prosessi-koodi-uri",
            TODENTAMINEN_URI,
            presence,
            "How the prior learning was verified (koodisto osaamisentodentamisenprosessi).",
        ),
        _f("valittu-todentamisen-prosessi-koodi-versio", INT, presence, "Version of that code."),
        _f(
            "tarkentavat-tiedot-naytto",
            records("OsaamisenOsoittaminen"),
            OPT_LIST,
            "Demonstrations through which the prior learning was verified.",
        ),
        _f(
            "tarkentavat-tiedot-osaamisen-arvioija",
            record("TodennettuArviointiLisatiedot"),
            OPT_LIST,
            "Assessors who verified the prior learning.",
        ),
    )


_LOCAL_UNIT = (
    _f("amosaa-tunniste", STRING, OPT, "Identifier of the local unit in ePerusteet AMOSAA."),
    _f("nimi", STRING, OPT, "Name of the local unit."),
    _f("laajuus", INT, OPT, "Scope in competence points (osaamispisteet)."),
    _f("tavoitteet-ja-sisallot", STRING, OPT, "Objectives and content of the local unit."),
)

_PART_LISTS: Final = (
    ("hankittavat-ammat-tutkinnon-osat", "HankittavaAmmatillinenTutkinnonOsa",
     "Vocational units to acquire."),
    ("hankittavat-paikalliset-tutkinnon-osat", "HankittavaPaikallinenTutkinnonOsa",
     "Local units to acquire."),
    ("hankittavat-yhteiset-tutkinnon-osat", "HankittavaYhteinenTutkinnonOsa",
     "Common units to acquire."),
    ("aiemmin-hankitut-ammat-tutkinnon-osat", "AiemminHankittuAmmatillinenTutkinnonOsa",
     "Previously acquired vocational units."),
    ("aiemmin-hankitut-paikalliset-tutkinnon-osat", "AiemminHankittuPaikallinenTutkinnonOsa",
     "Previously acquired local units."),
    ("aiemmin-hankitut-yhteiset-tutkinnon-osat", "AiemminHankittuYhteinenTutkinnonOsa",
     "Previously acquired common units."),
    ("opiskeluvalmiuksia-tukevat-opinnot", "OpiskeluvalmiuksiaTukevatOpinnot",
     "Studies that support study skills; not on a TUVA study right."),
    ("oppimisen-tuki", "OppimisenTuki", "Learning support given to the student."),
    ("hankittavat-koulutuksen-osat", "HankittavaKoulutuksenOsa",
     "TUVA training parts to acquire; only on a TUVA study right."),
)  # fmt: skip

PART_LISTS: Final[tuple[str, ...]] = tuple(key for key, _, _ in _PART_LISTS)
UNIT_LISTS: Final[tuple[str, ...]] = PART_LISTS[:6]

HOKS = Record(
    "HOKS",
    "A personal competence development plan (HOKS) of one vocational study right.",
    (
        Field("id", INT, "-RRR", "Identifier of the HOKS in this service.", keep=False),
        _system("eid", UUID, "-OOR", "External identifier assigned by the server (UUID)."),
        _system("oppija-oid", STUDENT_OID, "ROOO", "Student OID in the national student register."),
        _f("opiskeluoikeus-oid", STUDY_RIGHT_OID, "ROOO", "Koski study right of the HOKS."),
        _f(
            "tuva-opiskeluoikeus-oid",
            STUDY_RIGHT_OID,
            OPT,
            "Parallel TUVA study right; only on a HOKS whose own study right is not TUVA.",
        ),
        _f("sahkoposti", STRING, OPT, "Student's e-mail address."),
        _f("puhelinnumero", LONG_STRING, OPT, "Student's phone number (at most 256 characters)."),
        _f(
            "urasuunnitelma-koodi-uri",
            code_uri(r"urasuunnitelma_\d{4}"),
            OPT,
            "Career plan (koodisto urasuunnitelma).",
        ),
        _f("urasuunnitelma-koodi-versio", INT, OPT, "Version of the career plan code."),
        _system("versio", INT, OPT, "Document version chosen by the sending system."),
        _f("ensikertainen-hyvaksyminen", DATE, "RROR", "Date the HOKS was first approved."),
        _system("hyvaksytty", TIMESTAMP, OPT, "Approval time chosen by the sending system."),
        _system("paivitetty", TIMESTAMP, OPT, "Last update time chosen by the sending system."),
        _f(
            "osaamisen-saavuttamisen-pvm",
            FieldType(Kind.DATE, achievement=True),
            OPT,
            "Date the competence was achieved; after 2018-01-01, at most 14 days ahead.",
        ),
        _f(
            "osaamisen-hankkimisen-tarve",
            BOOLEAN,
            "RROO",
            "Whether the student needs to acquire competence.",
        ),
        _system(
            "manuaalisyotto",
            BOOLEAN,
            "-OOO",
            "Set by the server: true when the HOKS was created in the staff user interface.",
        ),
        _f("poistettu", TIMESTAMP, "----", "Soft-deletion time; only in the statistics export."),
        *(_f(key, records(name), "OO-R", text) for key, name, text in _PART_LISTS),
    ),
)

RECORDS_LIST: Final[tuple[Record, ...]] = (
    HOKS,
    Record(
        "HankittavaAmmatillinenTutkinnonOsa",
        "A vocational unit (tutkinnon osa) still to be acquired.",
        (
            *_module_ids("unit"),
            _UNIT_URI,
            _UNIT_VERSION,
            _DIARY,
            _DEVIATION,
            _DEMONSTRATIONS,
            _PERIODS,
            _ORGANISER,
            _ESSENTIAL,
            _HOURS,
        ),
        module=True,
    ),
    Record(
        "HankittavaPaikallinenTutkinnonOsa",
        "A local unit still to be acquired. Every field is optional.",
        (
            *_module_ids("unit"),
            *_LOCAL_UNIT,
            _DEMONSTRATIONS,
            _PERIODS,
            *_PLANNING_WITH_HOURS,
        ),
        module=True,
    ),
    Record(
        "HankittavaYhteinenTutkinnonOsa",
        "A common unit (yhteinen tutkinnon osa) still to be acquired.",
        (
            *_module_ids("unit"),
            _f(
                "osa-alueet",
                records("HankittavanYTOnOsaAlue"),
                REQ,
                "Sub-areas of the common unit; may be empty.",
            ),
            _UNIT_URI,
            _UNIT_VERSION,
            _ORGANISER,
        ),
        module=True,
    ),
    Record(
        "HankittavanYTOnOsaAlue",
        "A sub-area (osa-alue) of a common unit still to be acquired.",
        (
            *_module_ids("sub-area"),
            _AREA_URI,
            _AREA_VERSION,
            _PERIODS,
            _DEMONSTRATIONS,
            *_PLANNING_WITH_HOURS,
        ),
        module=True,
    ),
    Record(
        "OsaamisenHankkimistapa",
        "A period and way of acquiring competence. Workplace periods are those whose code is "
        "osaamisenhankkimistapa_koulutussopimus or osaamisenhankkimistapa_oppisopimus.",
        (
            *_module_ids("period"),
            _f("alku", DATE, REQ, "First day of the period."),
            _f("loppu", DATE, REQ, "Last day of the period; not before alku, at most 5 years."),
            _system(
                "yksiloiva-tunniste",
                FieldType(Kind.STRING, max_len=DB_VARCHAR, non_empty=True),
                OPT,
                "Sending system's identifier of the period; required for workplace periods "
                "in the service API. Links workplace feedback to the period.",
            ),
            _f(
                "ajanjakson-tarkenne",
                LONG_STRING,
                OPT,
                "Free text telling apart periods of the same span.",
            ),
            _f(
                "osaamisen-hankkimistapa-koodi-uri",
                code_uri(r"osaamisenhankkimistapa_.+"),
                REQ,
                "Way of acquiring (koodisto osaamisenhankkimistapa).",
            ),
            _f("osaamisen-hankkimistapa-koodi-versio", INT, REQ, "Version of that code."),
            _f(
                "jarjestajan-edustaja",
                record("Oppilaitoshenkilo"),
                OPT,
                "Representative of the education provider.",
            ),
            _f(
                "hankkijan-edustaja",
                record("Oppilaitoshenkilo"),
                OPT,
                "Representative of the provider that procured the training.",
            ),
            _f(
                "tyopaikalla-jarjestettava-koulutus",
                record("TyopaikallaJarjestettavaKoulutus"),
                OPT,
                "Workplace details of a workplace period.",
            ),
            _f(
                "muut-oppimisymparistot",
                records("MuuOppimisymparisto"),
                OPT_LIST,
                "Other learning environments.",
            ),
            _f(
                "osa-aikaisuustieto",
                INT,
                OPT,
                "Part-time percentage, 1-100 (100 = full time); required for workplace periods "
                "ending after 2023-06-30 unless the study right is TELMA.",
            ),
            _f(
                "oppisopimuksen-perusta-koodi-uri",
                code_uri(r"oppisopimuksenperusta_.+"),
                OPT,
                "Legal basis of an apprenticeship; required for apprenticeships ending on or "
                "after 2021-07-01.",
            ),
            _f("oppisopimuksen-perusta-koodi-versio", INT, OPT, "Version of that code."),
            _f(
                "keskeytymisajanjaksot",
                records("Keskeytymisajanjakso"),
                OPT_LIST,
                "Interruptions of the period; they must not overlap.",
            ),
        ),
        module=True,
    ),
    Record(
        "TyopaikallaJarjestettavaKoulutus",
        "Workplace where the training takes place.",
        (
            _leftover_id("workplace record"),
            _f(
                "vastuullinen-tyopaikka-ohjaaja",
                record("VastuullinenTyopaikkaOhjaaja"),
                REQ,
                "Responsible workplace instructor.",
            ),
            _f("tyopaikan-nimi", STRING, REQ, "Name of the workplace."),
            _f(
                "tyopaikan-y-tunnus",
                BUSINESS_ID,
                OPT,
                "Business ID of the workplace; required for workplace periods ending after "
                "2021-08-25.",
            ),
            _f("keskeiset-tyotehtavat", STRINGS, REQ, "Key work tasks; may be empty."),
        ),
    ),
    Record(
        "VastuullinenTyopaikkaOhjaaja",
        "Responsible workplace instructor.",
        (
            _leftover_id("instructor"),
            _f("nimi", STRING, REQ, "Name of the instructor."),
            _f("sahkoposti", STRING, OPT, "E-mail address of the instructor."),
            _f(
                "puhelinnumero",
                FieldType(Kind.STRING, max_len=DB_VARCHAR, phone=True),
                OPT,
                "Phone number: digits, spaces, +, -, ( and ); at most 256 characters.",
            ),
        ),
    ),
    Record(
        "Oppilaitoshenkilo",
        "A person representing an educational institution.",
        (
            _leftover_id("person"),
            _f("nimi", STRING, REQ, "Name of the person."),
            _f("rooli", STRING, OPT, "Role of the person."),
            _f("oppilaitos-oid", ORGANISATION_OID, REQ, "Institution of the person."),
        ),
    ),
    Record(
        "MuuOppimisymparisto",
        "Another learning environment used during a period.",
        (
            _f(
                "oppimisymparisto-koodi-uri",
                code_uri(r"oppimisymparistot_\d{4}"),
                REQ,
                "Learning environment (koodisto oppimisymparistot).",
            ),
            _f("oppimisymparisto-koodi-versio", INT, REQ, "Version of that code."),
            _f("alku", DATE, REQ, "First day."),
            _f("loppu", DATE, REQ, "Last day."),
        ),
    ),
    Record(
        "Keskeytymisajanjakso",
        "An interruption of a period.",
        (
            _f("alku", DATE, REQ, "First day of the interruption."),
            _f("loppu", DATE, OPT, "Last day; omitted while the interruption goes on."),
        ),
    ),
    Record(
        "OsaamisenOsoittaminen",
        "A demonstration of competence (näyttö) or another way of showing it.",
        (
            *_module_ids("demonstration"),
            _f("jarjestaja", record("NaytonJarjestaja"), OPT, "Organiser of the demonstration."),
            _f(
                "osa-alueet",
                records("KoodistoKoodi"),
                OPT_LIST,
                "Sub-areas of common units covered by the demonstration.",
            ),
            _f(
                "nayttoymparisto",
                record("Nayttoymparisto"),
                REQ,
                "Where the demonstration takes place.",
            ),
            _f(
                "sisallon-kuvaus",
                STRINGS,
                REQ,
                "Work situations and processes of the demonstration; may be empty.",
            ),
            _f("alku", DATE, REQ, "First day."),
            _f("loppu", DATE, REQ, "Last day."),
            _f(
                "koulutuksen-jarjestaja-osaamisen-arvioijat",
                records("KoulutuksenJarjestajaArvioija"),
                OPT_LIST,
                "Assessors from the education provider.",
            ),
            _f(
                "tyoelama-osaamisen-arvioijat",
                records("TyoelamaOsaamisenArvioija"),
                OPT_LIST,
                "Assessors from working life.",
            ),
            _DEVIATION,
            _f("yksilolliset-kriteerit", STRINGS, OPT_LIST, "Individual assessment criteria."),
        ),
        module=True,
    ),
    Record(
        "NaytonJarjestaja",
        "Organiser of a demonstration. An empty object is dropped from the stored form.",
        (
            _leftover_id("organiser"),
            _f("oppilaitos-oid", ORGANISATION_OID, OPT, "Organising institution."),
        ),
    ),
    Record(
        "Nayttoymparisto",
        "Environment of a demonstration.",
        (
            _f("nimi", STRING, REQ, "Name of the environment; may be empty."),
            _f("y-tunnus", BUSINESS_ID, OPT, "Business ID of the environment."),
            _f("kuvaus", STRING, OPT, "Short description, e.g. a flower shop or a simulator."),
        ),
    ),
    Record(
        "KoodistoKoodi",
        "A reference to a koodisto code.",
        (
            _f("koodi-uri", LONG_STRING, REQ, "Code URI, e.g. ammatillisenoppiaineet_ku."),
            _f("koodi-versio", INT, REQ, "Version of the code."),
        ),
    ),
    Record(
        "KoulutuksenJarjestajaArvioija",
        "An assessor from the education provider.",
        (
            _leftover_id("assessor"),
            _f("nimi", STRING, REQ, "Name of the assessor."),
            _f(
                "organisaatio",
                record("KoulutuksenJarjestajaOrganisaatio"),
                REQ,
                "Organisation of the assessor.",
            ),
        ),
    ),
    Record(
        "KoulutuksenJarjestajaOrganisaatio",
        "Organisation of an education-provider assessor.",
        (_f("oppilaitos-oid", ORGANISATION_OID, OPT, "Institution of the assessor."),),
    ),
    Record(
        "TyoelamaOsaamisenArvioija",
        "An assessor from working life.",
        (
            _leftover_id("assessor"),
            _f("nimi", STRING, REQ, "Name of the assessor."),
            _f(
                "organisaatio",
                record("TyoelamaOrganisaatio"),
                REQ,
                "Organisation of the assessor.",
            ),
        ),
    ),
    Record(
        "TyoelamaOrganisaatio",
        "Organisation of a working-life assessor.",
        (
            _f("nimi", STRING, REQ, "Name of the organisation."),
            _f("y-tunnus", BUSINESS_ID, OPT, "Business ID of the organisation."),
        ),
    ),
    Record(
        "AiemminHankittuAmmatillinenTutkinnonOsa",
        "A previously acquired vocational unit (recognised prior learning).",
        (
            *_module_ids("unit"),
            _UNIT_URI,
            _UNIT_VERSION,
            _DIARY,
            # Kept, although the national service has no column for it and drops or fails on it.
            _DEVIATION,
            _ORGANISER,
            _ESSENTIAL,
            *_verification(OPT),
        ),
        module=True,
    ),
    Record(
        "AiemminHankittuPaikallinenTutkinnonOsa",
        "A previously acquired local unit.",
        (
            *_module_ids("unit"),
            *_LOCAL_UNIT,
            *_PLANNING,
            *_verification(REQ),
        ),
        module=True,
    ),
    Record(
        "AiemminHankittuYhteinenTutkinnonOsa",
        "A previously acquired common unit.",
        (
            *_module_ids("unit"),
            _UNIT_URI,
            _UNIT_VERSION,
            _ORGANISER,
            *_verification(OPT),
            _f(
                "osa-alueet",
                records("AiemminHankitunYTOnOsaAlue"),
                REQ,
                "Sub-areas of the common unit; may be empty.",
            ),
        ),
        module=True,
    ),
    Record(
        "AiemminHankitunYTOnOsaAlue",
        "A sub-area of a previously acquired common unit.",
        (
            *_module_ids("sub-area"),
            _AREA_URI,
            _AREA_VERSION,
            *_PLANNING,
            *_verification(REQ),
        ),
        module=True,
    ),
    Record(
        "TodennettuArviointiLisatiedot",
        "Details of verification by assessors. An empty object is valid.",
        (
            _f("lahetetty-arvioitavaksi", DATE, OPT, "Date sent for assessment."),
            _f(
                "aiemmin-hankitun-osaamisen-arvioijat",
                records("KoulutuksenJarjestajaArvioija"),
                OPT_LIST,
                "Assessors who verified the prior learning.",
            ),
        ),
    ),
    Record(
        "OpiskeluvalmiuksiaTukevatOpinnot",
        "Studies supporting study skills. Not allowed on a TUVA study right.",
        (
            _leftover_id("studies record"),
            _f("nimi", STRING, REQ, "Name of the studies."),
            _f("kuvaus", STRING, REQ, "Description of the studies."),
            _f("alku", DATE, REQ, "First day."),
            _f("loppu", DATE, REQ, "Last day."),
        ),
    ),
    Record(
        "OppimisenTuki",
        "Learning support. Type _01 (remedial teaching) needs alku, loppu and "
        "tutkinnon-osan-tyyppi-koodi-uri; types _02 and _03 must have none of them.",
        (
            _f(
                "oppimisen-tuen-tyyppi-koodi-uri",
                code_uri(r"ammatillinenkoulutusoppimisentuentyyppi_\d{2}"),
                REQ,
                "Type of support (koodisto ammatillinenkoulutusoppimisentuentyyppi).",
            ),
            _f("alku", DATE, OPT, "Start of remedial teaching."),
            _f("loppu", DATE, OPT, "End of remedial teaching."),
            _f(
                "tutkinnon-osan-tyyppi-koodi-uri",
                code_uri(r"ammatillisentutkinnonosanryhma_[12]"),
                OPT,
                "Whether the support concerns vocational or common units.",
            ),
        ),
    ),
    Record(
        "HankittavaKoulutuksenOsa",
        "A TUVA training part to acquire. Allowed only on a TUVA study right.",
        (
            _leftover_id("training part"),
            _f(
                "koulutuksen-osa-koodi-uri",
                code_uri(r"koulutuksenosattuva_\d{3}"),
                REQ,
                "Training part (koodisto koulutuksenosattuva).",
            ),
            _f("koulutuksen-osa-koodi-versio", INT, REQ, "Version of that code."),
            _f("alku", DATE, REQ, "First day."),
            _f("loppu", DATE, REQ, "Last day."),
            _f(
                "laajuus", NON_NEGATIVE, REQ, "Scope in TUVA weeks; decimals allowed, not negative."
            ),
        ),
    ),
)

RECORDS: Final[dict[str, Record]] = {r.name: r for r in RECORDS_LIST}
MODULE_RECORDS: Final[frozenset[str]] = frozenset(r.name for r in RECORDS_LIST if r.module)
