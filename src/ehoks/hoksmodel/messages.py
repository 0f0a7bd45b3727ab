"""Texts of the HOKS model's violation codes, in Finnish, Swedish and English.

Placeholders are filled from the `params` of each Violation (see `checkers.py` and `rules.py`).
"""

from __future__ import annotations

from ehoks.kit.i18n import Lang, Translations

MESSAGES: dict[str, Translations] = {
    "body_not_object": {
        Lang.FI: "Pyynnön rungon pitää olla JSON-objekti, jossa on HOKSin kentät.",
        Lang.SV: "Begärans innehåll ska vara ett JSON-objekt med HOKS-fälten.",
        Lang.EN: "The request body must be a JSON object holding the HOKS fields.",
    },
    "unknown_field": {
        Lang.FI: "Tätä kenttää ei ole HOKSin tietomallissa. Tarkista kentän nimi tai poista se.",
        Lang.SV: "Fältet finns inte i HOKS-datamodellen. Kontrollera namnet eller ta bort fältet.",
        Lang.EN: "This field is not part of the HOKS data model. Check its name or remove it.",
    },
    "field_not_allowed": {
        Lang.FI: "Tätä kenttää ei saa lähettää tässä pyynnössä. Poista se.",
        Lang.SV: "Fältet får inte skickas i den här begäran. Ta bort det.",
        Lang.EN: "This field may not be sent in this request. Remove it.",
    },
    "required": {
        Lang.FI: "Pakollinen kenttä puuttuu. Lisää se.",
        Lang.SV: "Ett obligatoriskt fält saknas. Lägg till det.",
        Lang.EN: "A required field is missing. Add it.",
    },
    "null_not_allowed": {
        Lang.FI: "Arvo null ei kelpaa. Jätä kenttä kokonaan pois, jos arvoa ei ole.",
        Lang.SV: "Värdet null godtas inte. Utelämna fältet helt om det saknar värde.",
        Lang.EN: "null is not accepted. Leave the field out entirely when it has no value.",
    },
    "wrong_type": {
        Lang.FI: "Arvo on väärää tyyppiä. Odotettu JSON-tyyppi: {expected}.",
        Lang.SV: "Värdet har fel typ. Förväntad JSON-typ: {expected}.",
        Lang.EN: "The value has the wrong type. Expected JSON type: {expected}.",
    },
    "out_of_range": {
        Lang.FI: "Luku on liian suuri tai pieni. Sallittu väli on {min}–{max}.",
        Lang.SV: "Talet är för stort eller för litet. Tillåtet intervall är {min}–{max}.",
        Lang.EN: "The number is too large or too small. Allowed range: {min} to {max}.",
    },
    "invalid_character": {
        Lang.FI: "Tekstissä on merkki, jota ei voi tallentaa (esim. NUL-merkki \\u0000). "
        "Poista se.",
        Lang.SV: "Texten innehåller ett tecken som inte kan sparas (t.ex. NUL-tecknet \\u0000). "
        "Ta bort det.",
        Lang.EN: "The text holds a character that cannot be stored (such as NUL, \\u0000). "
        "Remove it.",
    },
    "invalid_date": {
        Lang.FI: "Päivämäärä on virheellinen. Käytä muotoa VVVV-KK-PP ja olemassa olevaa päivää.",
        Lang.SV: "Datumet är ogiltigt. Använd formen ÅÅÅÅ-MM-DD och en dag som finns.",
        Lang.EN: "The date is invalid. Use the form YYYY-MM-DD and a day that exists.",
    },
    "invalid_timestamp": {
        Lang.FI: "Aikaleima on virheellinen. Käytä ISO 8601 -muotoa, esim. "
        "2024-05-16T10:20:30.000Z.",
        Lang.SV: "Tidsstämpeln är ogiltig. Använd ISO 8601-formen, t.ex. 2024-05-16T10:20:30.000Z.",
        Lang.EN: "The timestamp is invalid. Use ISO 8601, for example 2024-05-16T10:20:30.000Z.",
    },
    "invalid_oid": {
        Lang.FI: "Tunniste ei ole muodoltaan kelvollinen {kind}-OID. Tarkista arvo.",
        Lang.SV: "Identifieraren har inte formen av en giltig {kind}-OID. Kontrollera värdet.",
        Lang.EN: "The identifier does not have the form of a valid {kind} OID. Check the value.",
    },
    "invalid_oid_checksum": {
        Lang.FI: "{kind}-OID:n tarkistusnumero ei täsmää. Tunnisteessa on todennäköisesti "
        "kirjoitusvirhe.",
        Lang.SV: "Kontrollsiffran i {kind}-OID:n stämmer inte. Identifieraren innehåller "
        "troligen ett skrivfel.",
        Lang.EN: "The check digit of the {kind} OID does not match; the identifier probably "
        "has a typing error.",
    },
    "invalid_business_id": {
        Lang.FI: "Y-tunnus on väärän muotoinen. Oikea muoto on seitsemän numeroa, "
        "yhdysmerkki ja tarkistusnumero, esim. 1234567-1, ilman välilyöntejä.",
        Lang.SV: "FO-numret har fel form. Rätt form är sju siffror, bindestreck och en "
        "kontrollsiffra, t.ex. 1234567-1, utan mellanslag.",
        Lang.EN: "The business ID has the wrong form. Use seven digits, a hyphen and a check "
        "digit, e.g. 1234567-1, without spaces.",
    },
    "invalid_business_id_checksum": {
        Lang.FI: "Y-tunnuksen tarkistusnumero ei täsmää. Tarkista tunnus.",
        Lang.SV: "FO-numrets kontrollsiffra stämmer inte. Kontrollera numret.",
        Lang.EN: "The check digit of the business ID does not match. Check the ID.",
    },
    "invalid_code_uri": {
        Lang.FI: "Koodi-URI on väärän muotoinen. Sen pitää vastata lauseketta {pattern}.",
        Lang.SV: "Kod-URI:n har fel form. Den ska motsvara uttrycket {pattern}.",
        Lang.EN: "The code URI has the wrong form. It must match {pattern}.",
    },
    "invalid_uuid": {
        Lang.FI: "Tunnisteen pitää olla UUID pienillä kirjaimilla, esim. "
        "0f8fad5b-d9cb-469f-a165-70867728950e.",
        Lang.SV: "Identifieraren ska vara ett UUID med små bokstäver, t.ex. "
        "0f8fad5b-d9cb-469f-a165-70867728950e.",
        Lang.EN: "The identifier must be a lowercase UUID, such as "
        "0f8fad5b-d9cb-469f-a165-70867728950e.",
    },
    "invalid_phone_number": {
        Lang.FI: "Puhelinnumerossa saa olla vain numeroita, välilyöntejä sekä merkkejä + - ( ), "
        "ja enintään {max} merkkiä.",
        Lang.SV: "Telefonnumret får bara innehålla siffror, mellanslag och tecknen + - ( ), "
        "och högst {max} tecken.",
        Lang.EN: "A phone number may hold only digits, spaces and the characters + - ( ), "
        "with at most {max} characters.",
    },
    "empty_value": {
        Lang.FI: "Arvo ei saa olla tyhjä. Anna arvo tai jätä kenttä pois.",
        Lang.SV: "Värdet får inte vara tomt. Ange ett värde eller utelämna fältet.",
        Lang.EN: "The value may not be empty. Give a value or leave the field out.",
    },
    "too_long": {
        Lang.FI: "Arvo on liian pitkä: enintään {max} merkkiä.",
        Lang.SV: "Värdet är för långt: högst {max} tecken.",
        Lang.EN: "The value is too long: at most {max} characters.",
    },
    "achievement_date_out_of_range": {
        Lang.FI: "Osaamisen saavuttamisen päivän pitää olla välillä {earliest}–{latest} "
        "(aikaisintaan 2.1.2018 ja enintään kaksi viikkoa tästä päivästä eteenpäin).",
        Lang.SV: "Datumet då kompetensen uppnåddes ska ligga mellan {earliest} och {latest} "
        "(tidigast 2.1.2018 och högst två veckor framåt från i dag).",
        Lang.EN: "The competence achievement date must be between {earliest} and {latest} "
        "(from 2 January 2018, and at most two weeks ahead of today).",
    },
    "negative_value": {
        Lang.FI: "Arvo ei saa olla negatiivinen. Anna nolla tai positiivinen luku.",
        Lang.SV: "Värdet får inte vara negativt. Ange noll eller ett positivt tal.",
        Lang.EN: "The value may not be negative. Give zero or a positive number.",
    },
    "part_time_required": {
        Lang.FI: "Työpaikkajaksolle tarvitaan osa-aikaisuustieto, kokonaisluku {min}–{max} "
        "(100 = kokoaikainen).",
        Lang.SV: "Arbetsplatsperioden behöver uppgift om deltid, ett heltal {min}–{max} "
        "(100 = heltid).",
        Lang.EN: "The workplace period needs a part-time percentage, a whole number from "
        "{min} to {max} (100 = full time).",
    },
    "period_identifier_required": {
        Lang.FI: "Työpaikkajaksolta puuttuu yksilöivä tunniste. Lisää jaksolle oman "
        "järjestelmänne tunniste.",
        Lang.SV: "Arbetsplatsperioden saknar unik identifierare. Lägg till ert systems "
        "identifierare för perioden.",
        Lang.EN: "The workplace period has no unique identifier. Add your system's "
        "identifier for the period.",
    },
    "workplace_business_id_required": {
        Lang.FI: "Työpaikan Y-tunnus puuttuu. Se tarvitaan työpaikkajaksoille, jotka "
        "päättyvät {after} jälkeen.",
        Lang.SV: "Arbetsplatsens FO-nummer saknas. Det behövs för arbetsplatsperioder som "
        "slutar efter {after}.",
        Lang.EN: "The workplace's business ID is missing. It is needed for workplace periods "
        "ending after {after}.",
    },
    "apprenticeship_basis_required": {
        Lang.FI: "Oppisopimuksen perustan koodi-URI puuttuu. Se tarvitaan oppisopimusjaksoille, "
        "jotka päättyvät {since} tai myöhemmin.",
        Lang.SV: "Kod-URI för läroavtalets grund saknas. Den behövs för läroavtalsperioder som "
        "slutar {since} eller senare.",
        Lang.EN: "The code URI of the apprenticeship's legal basis is missing. It is needed "
        "for apprenticeship periods ending on or after {since}.",
    },
    "period_dates_reversed": {
        Lang.FI: "Loppupäivä on ennen alkupäivää ({alku}). Korjaa päivämäärät oikein päin.",
        Lang.SV: "Slutdatumet ligger före startdatumet ({alku}). Rätta datumen.",
        Lang.EN: "The end date is before the start date ({alku}). Put the dates the right "
        "way round.",
    },
    "period_starts_before_study_right": {
        Lang.FI: "Jakso alkaa ennen opiskeluoikeuden alkamispäivää {alkamispaiva}. Muuta "
        "alkupäiväksi aikaisintaan {alkamispaiva}.",
        Lang.SV: "Perioden börjar före studierättens startdatum {alkamispaiva}. Ändra "
        "startdatumet till tidigast {alkamispaiva}.",
        Lang.EN: "The period starts before the study right does ({alkamispaiva}). Make it "
        "start on {alkamispaiva} or later.",
    },
    "period_ends_after_study_right": {
        Lang.FI: "Jakso päättyy opiskeluoikeuden arvioidun päättymispäivän "
        "{arvioitu_paattymispaiva} jälkeen. Muuta loppupäiväksi viimeistään "
        "{arvioitu_paattymispaiva}.",
        Lang.SV: "Perioden slutar efter studierättens beräknade slutdatum "
        "{arvioitu_paattymispaiva}. Ändra slutdatumet till senast {arvioitu_paattymispaiva}.",
        Lang.EN: "The period ends after the study right's estimated end date "
        "{arvioitu_paattymispaiva}. Make it end on {arvioitu_paattymispaiva} or earlier.",
    },
    "period_too_long": {
        Lang.FI: "Jakso on yli {years} vuotta pitkä. Loppupäivä saa olla viimeistään {latest}.",
        Lang.SV: "Perioden är längre än {years} år. Slutdatumet får vara senast {latest}.",
        Lang.EN: "The period is longer than {years} years. The end date may be {latest} at "
        "the latest.",
    },
    "interruptions_overlap": {
        Lang.FI: "Keskeytymisjaksot menevät päällekkäin. Jokaisen jakson pitää päättyä ennen "
        "seuraavan alkua, ja vain viimeinen saa olla ilman loppupäivää.",
        Lang.SV: "Avbrottsperioderna överlappar. Varje period ska sluta före nästa börjar, och "
        "bara den sista får sakna slutdatum.",
        Lang.EN: "The interruptions overlap. Each must end before the next one starts, and "
        "only the last may lack an end date.",
    },
    "learning_support_shape": {
        Lang.FI: "Tukiopetukselle (tyyppi _01) anna alku- ja loppupäivä sekä tutkinnon osan "
        "tyyppi. Muille tuen tyypeille (_02, _03) jätä nämä kolme kenttää pois.",
        Lang.SV: "För stödundervisning (typ _01) ange start- och slutdatum samt "
        "examensdelens typ. För övriga stödtyper (_02, _03) utelämna dessa tre fält.",
        Lang.EN: "For remedial teaching (type _01) give the start and end dates and the unit "
        "type. For the other support types (_02, _03) leave those three fields out.",
    },
    "study_right_type_not_allowed": {
        Lang.FI: "HOKSin voi tehdä vain ammatilliseen koulutukseen tai TUVA-koulutukseen. "
        "Tämän opiskeluoikeuden tyyppi on {tyyppi}.",
        Lang.SV: "En HOKS kan bara göras för yrkesutbildning eller Hux-utbildning (TUVA). "
        "Den här studierättens typ är {tyyppi}.",
        Lang.EN: "A HOKS can only belong to vocational or TUVA (preparatory) education. This "
        "study right is of type {tyyppi}.",
    },
    "tuva_study_right_not_allowed": {
        Lang.FI: "Poista tuva-opiskeluoikeus-oid: se kuuluu vain TUVAn rinnalla olevan "
        "opiskeluoikeuden HOKSiin, ei TUVA-opiskeluoikeuden omaan.",
        Lang.SV: "Ta bort tuva-opiskeluoikeus-oid: den hör bara till HOKS för en studierätt "
        "parallell med TUVA, inte till TUVA-studierättens egen.",
        Lang.EN: "Remove tuva-opiskeluoikeus-oid: it belongs only on the HOKS of a study right "
        "running alongside TUVA, not on the TUVA study right's own HOKS.",
    },
    "unit_not_allowed_on_tuva": {
        Lang.FI: "TUVA-opiskeluoikeuden HOKSissa ei voi olla tutkinnon osia. Poista tämä.",
        Lang.SV: "En HOKS för en TUVA-studierätt kan inte ha examensdelar. Ta bort denna.",
        Lang.EN: "A HOKS of a TUVA study right cannot contain units. Remove this one.",
    },
    "supporting_studies_not_allowed_on_tuva": {
        Lang.FI: "TUVA-opiskeluoikeuden HOKSissa ei voi olla opiskeluvalmiuksia tukevia "
        "opintoja. Poista tämä.",
        Lang.SV: "En HOKS för en TUVA-studierätt kan inte ha studier som stöder "
        "studiefärdigheter. Ta bort denna.",
        Lang.EN: "A HOKS of a TUVA study right cannot contain studies supporting study "
        "skills. Remove this one.",
    },
    "training_part_requires_tuva": {
        Lang.FI: "Koulutuksen osia voi olla vain TUVA-opiskeluoikeuden HOKSissa. Poista tämä.",
        Lang.SV: "Utbildningsdelar hör bara till en HOKS för en TUVA-studierätt. Ta bort denna.",
        Lang.EN: "Training parts belong only on the HOKS of a TUVA study right. Remove this one.",
    },
}
