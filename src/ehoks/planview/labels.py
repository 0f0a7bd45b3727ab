"""A label in Finnish, Swedish and English for every field and record type of `hoksmodel`.

The English text is written here and marked with `N_` so that `make messages` extracts it; the
Finnish and Swedish come from the catalogues. A field's label is looked up for its record type
first (`"Record.key"`), then for its key alone, because most keys mean the same thing wherever
they stand. `tests/planview` fails when a field of the model has no label.
"""

from __future__ import annotations

from typing import Final

from ehoks.kit.i18n import Lang
from ehoks.kit.translations import N_, translator

FIELD_LABELS: Final[dict[str, str]] = {
    "aiemmin-hankitun-osaamisen-arvioijat": N_("Assessors of prior competence"),
    "aiemmin-hankitut-ammat-tutkinnon-osat": N_("Recognised vocational units"),
    "aiemmin-hankitut-paikalliset-tutkinnon-osat": N_("Recognised local units"),
    "aiemmin-hankitut-yhteiset-tutkinnon-osat": N_("Recognised common units"),
    "ajanjakson-tarkenne": N_("Note on the period"),
    "alku": N_("Starts"),
    "amosaa-tunniste": N_("Local unit identifier"),
    "eid": N_("Plan identifier"),
    "ensikertainen-hyvaksyminen": N_("First approved"),
    "hankittavat-ammat-tutkinnon-osat": N_("Vocational units to study"),
    "hankittavat-koulutuksen-osat": N_("Preparatory training (TUVA) parts"),
    "hankittavat-paikalliset-tutkinnon-osat": N_("Local units to study"),
    "hankittavat-yhteiset-tutkinnon-osat": N_("Common units to study"),
    "hankkijan-edustaja": N_("Representative of the procuring provider"),
    "hyvaksytty": N_("Approved"),
    "id": N_("Database identifier"),
    "jarjestaja": N_("Organiser"),
    "jarjestajan-edustaja": N_("School's contact person"),
    "keskeiset-tyotehtavat": N_("Key work tasks"),
    "keskeytymisajanjaksot": N_("Interruptions"),
    "koodi-uri": N_("Code"),
    "koodi-versio": N_("Code version"),
    "koulutuksen-jarjestaja-oid": N_("Organised by"),
    "koulutuksen-jarjestaja-osaamisen-arvioijat": N_("Assessors from the school"),
    "koulutuksen-osa-koodi-uri": N_("Training part"),
    "koulutuksen-osa-koodi-versio": N_("Training part code version"),
    "kuvaus": N_("Description"),
    "laajuus": N_("Scope"),
    "lahetetty-arvioitavaksi": N_("Sent for assessment"),
    "loppu": N_("Ends"),
    "manuaalisyotto": N_("Entered in the staff service"),
    "module-id": N_("Part identifier"),
    "muut-oppimisymparistot": N_("Other learning environments"),
    "nayttoymparisto": N_("Environment"),
    "nimi": N_("Name"),
    "olennainen-seikka": N_("An essential circumstance"),
    "opetus-ja-ohjaus-maara": N_("Teaching and guidance hours"),
    "opiskeluoikeus-oid": N_("Study right"),
    "opiskeluvalmiuksia-tukevat-opinnot": N_("Studies that support study readiness"),
    "oppija-oid": N_("Student number"),
    "oppilaitos-oid": N_("Institution"),
    "oppimisen-tuen-tyyppi-koodi-uri": N_("Type of support"),
    "oppimisen-tuki": N_("Learning support"),
    "oppimisymparisto-koodi-uri": N_("Learning environment"),
    "oppimisymparisto-koodi-versio": N_("Learning environment code version"),
    "oppisopimuksen-perusta-koodi-uri": N_("Basis of the apprenticeship"),
    "oppisopimuksen-perusta-koodi-versio": N_("Apprenticeship basis code version"),
    "organisaatio": N_("Organisation"),
    "osa-aikaisuustieto": N_("Part-time share"),
    "osa-alue-koodi-uri": N_("Sub-area"),
    "osa-alue-koodi-versio": N_("Sub-area code version"),
    "osa-alueet": N_("Sub-areas"),
    "osaamisen-hankkimisen-tarve": N_("Needs to acquire competence"),
    "osaamisen-hankkimistapa-koodi-uri": N_("Way of learning"),
    "osaamisen-hankkimistapa-koodi-versio": N_("Way of learning code version"),
    "osaamisen-hankkimistavat": N_("Learning periods"),
    "osaamisen-osoittaminen": N_("Demonstrations"),
    "osaamisen-saavuttamisen-pvm": N_("Agreed competence reached"),
    "paivitetty": N_("Updated"),
    "poistettu": N_("Deleted"),
    "puhelinnumero": N_("Phone"),
    "rooli": N_("Role"),
    "sahkoposti": N_("E-mail"),
    "sisallon-kuvaus": N_("Content"),
    "tarkentavat-tiedot-naytto": N_("Demonstrations that verified it"),
    "tarkentavat-tiedot-osaamisen-arvioija": N_("Assessment of prior competence"),
    "tavoitteet-ja-sisallot": N_("Objectives and content"),
    "tutkinnon-osa-koodi-uri": N_("Unit"),
    "tutkinnon-osa-koodi-versio": N_("Unit code version"),
    "tutkinnon-osan-perusteen-diaarinro": N_("Diary number of the requirements"),
    "tutkinnon-osan-tyyppi-koodi-uri": N_("Concerns"),
    "tuva-opiskeluoikeus-oid": N_("Preparatory training (TUVA) study right"),
    "tyoelama-osaamisen-arvioijat": N_("Assessors from working life"),
    "tyopaikalla-jarjestettava-koulutus": N_("Workplace"),
    "tyopaikan-nimi": N_("Workplace"),
    "tyopaikan-y-tunnus": N_("Business ID"),
    "urasuunnitelma-koodi-uri": N_("Career goal"),
    "urasuunnitelma-koodi-versio": N_("Career goal code version"),
    "vaatimuksista-tai-tavoitteista-poikkeaminen": N_("Deviation from the requirements"),
    "valittu-todentamisen-prosessi-koodi-uri": N_("How it was recognised"),
    "valittu-todentamisen-prosessi-koodi-versio": N_("Recognition code version"),
    "vastuullinen-tyopaikka-ohjaaja": N_("Workplace instructor"),
    "versio": N_("Version"),
    "y-tunnus": N_("Business ID"),
    "yksiloiva-tunniste": N_("Period identifier"),
    "yksilolliset-kriteerit": N_("Individual assessment criteria"),
}

# Where a key means something more particular in one record type.
RECORD_FIELD_LABELS: Final[dict[str, str]] = {
    "HankittavaKoulutuksenOsa.laajuus": N_("Scope (weeks)"),
    "HankittavaPaikallinenTutkinnonOsa.laajuus": N_("Scope (competence points)"),
    "AiemminHankittuPaikallinenTutkinnonOsa.laajuus": N_("Scope (competence points)"),
    "OsaamisenOsoittaminen.osa-alueet": N_("Sub-areas covered"),
    "OsaamisenOsoittaminen.jarjestaja": N_("Organised by"),
    "Keskeytymisajanjakso.loppu": N_("Ends (empty while it goes on)"),
    "TyopaikallaJarjestettavaKoulutus.vastuullinen-tyopaikka-ohjaaja": N_("Instructor"),
}

RECORD_LABELS: Final[dict[str, str]] = {
    "HOKS": N_("Personal competence development plan"),
    "HankittavaAmmatillinenTutkinnonOsa": N_("Vocational unit"),
    "HankittavaPaikallinenTutkinnonOsa": N_("Local unit"),
    "HankittavaYhteinenTutkinnonOsa": N_("Common unit"),
    "HankittavanYTOnOsaAlue": N_("Sub-area"),
    "OsaamisenHankkimistapa": N_("Learning period"),
    "TyopaikallaJarjestettavaKoulutus": N_("Workplace"),
    "VastuullinenTyopaikkaOhjaaja": N_("Workplace instructor"),
    "Oppilaitoshenkilo": N_("School's representative"),
    "MuuOppimisymparisto": N_("Other learning environment"),
    "Keskeytymisajanjakso": N_("Interruption"),
    "OsaamisenOsoittaminen": N_("Demonstration"),
    "NaytonJarjestaja": N_("Organiser"),
    "Nayttoymparisto": N_("Environment"),
    "KoodistoKoodi": N_("Code"),
    "KoulutuksenJarjestajaArvioija": N_("Assessor from the school"),
    "KoulutuksenJarjestajaOrganisaatio": N_("Organisation"),
    "TyoelamaOsaamisenArvioija": N_("Assessor from working life"),
    "TyoelamaOrganisaatio": N_("Organisation"),
    "AiemminHankittuAmmatillinenTutkinnonOsa": N_("Recognised vocational unit"),
    "AiemminHankittuPaikallinenTutkinnonOsa": N_("Recognised local unit"),
    "AiemminHankittuYhteinenTutkinnonOsa": N_("Recognised common unit"),
    "AiemminHankitunYTOnOsaAlue": N_("Recognised sub-area"),
    "TodennettuArviointiLisatiedot": N_("Assessment of prior competence"),
    "OpiskeluvalmiuksiaTukevatOpinnot": N_("Studies that support study readiness"),
    "OppimisenTuki": N_("Learning support"),
    "HankittavaKoulutuksenOsa": N_("Preparatory training part"),
}


def english_label(record: str, key: str) -> str | None:
    """The English label of `key` in record type `record`, or None when it has none."""
    return RECORD_FIELD_LABELS.get(f"{record}.{key}") or FIELD_LABELS.get(key)


def field_label(record: str, key: str, lang: Lang) -> str:
    """The label of a field in `lang`; an unknown key (never in a valid document) as itself."""
    english = english_label(record, key)
    return key if english is None else translator(lang).gettext(english)


def record_label(record: str, lang: Lang) -> str:
    english = RECORD_LABELS.get(record)
    return record if english is None else translator(lang).gettext(english)
