"""Texts of the HOKS storage and registry-check errors, in Finnish, Swedish and English."""

from __future__ import annotations

from ehoks.kit.i18n import Lang, Translations

MESSAGES: dict[str, Translations] = {
    "hoks_not_found": {
        Lang.FI: "HOKSia ei löydy.",
        Lang.SV: "PUK hittades inte.",
        Lang.EN: "HOKS not found.",
    },
    "study_right_forbidden": {
        Lang.FI: "Opiskeluoikeutta {oid} ei ole tai se ei kuulu organisaatiollesi, joten et voi "
        "käsitellä sen HOKSia.",
        Lang.SV: "Studierätten {oid} finns inte eller hör inte till din organisation, så du kan "
        "inte hantera dess PUK.",
        Lang.EN: "Study right {oid} does not exist or does not belong to your organisation, so "
        "you cannot handle its HOKS.",
    },
    "study_right_not_of_student": {
        Lang.FI: "Opiskeluoikeus {study_right} ei ole oppijan {oid} opiskeluoikeus.",
        Lang.SV: "Studierätten {study_right} tillhör inte studeranden {oid}.",
        Lang.EN: "Study right {study_right} does not belong to student {oid}.",
    },
    "study_right_contained": {
        Lang.FI: "Opiskeluoikeus {oid} sisältyy opiskeluoikeuteen {parent}. Tee HOKS sille "
        "opiskeluoikeudelle.",
        Lang.SV: "Studierätten {oid} ingår i studierätten {parent}. Gör PUK för den studierätten.",
        Lang.EN: "Study right {oid} is part of study right {parent}. Make the HOKS for that "
        "study right.",
    },
    "hoks_exists": {
        Lang.FI: "Opiskeluoikeudella {oid} on jo HOKS (id {id}). Päivitä se PUT- tai "
        "PATCH-kutsulla.",
        Lang.SV: "Studierätten {oid} har redan en PUK (id {id}). Uppdatera den med PUT eller "
        "PATCH.",
        Lang.EN: "Study right {oid} already has a HOKS (id {id}). Update it with PUT or PATCH.",
    },
    "hoks_archived": {
        Lang.FI: "Opiskeluoikeuden {oid} HOKS on poistettu. Poistettu HOKS voidaan palauttaa, "
        "mutta uutta ei voi tehdä samalle opiskeluoikeudelle.",
        Lang.SV: "PUK för studierätten {oid} har raderats. En raderad PUK kan återställas, men "
        "en ny kan inte göras för samma studierätt.",
        Lang.EN: "The HOKS of study right {oid} has been deleted. A deleted HOKS can be "
        "restored, but no new one can be made for the same study right.",
    },
    "id_mismatch": {
        Lang.FI: "Rungon id {body_id} ei vastaa osoitteen id:tä {path_id}.",
        Lang.SV: "Id {body_id} i innehållet motsvarar inte id {path_id} i adressen.",
        Lang.EN: "The id {body_id} in the body does not match the id {path_id} in the address.",
    },
    "study_right_immutable": {
        Lang.FI: "HOKSin opiskeluoikeutta ei voi vaihtaa (tallennettu: {stored}).",
        Lang.SV: "PUK:ens studierätt kan inte bytas (sparad: {stored}).",
        Lang.EN: "The study right of a HOKS cannot be changed (stored: {stored}).",
    },
    "student_immutable": {
        Lang.FI: "HOKSin oppijaa ei voi vaihtaa (tallennettu: {stored}). Vain oppijanumero"
        "rekisterin yhdistämä pääoppijanumero kelpaa.",
        Lang.SV: "PUK:ens studerande kan inte bytas (sparad: {stored}). Endast det "
        "huvudstudentnummer som registret har slagit ihop till duger.",
        Lang.EN: "The student of a HOKS cannot be changed (stored: {stored}). Only the master "
        "OID that the person registry merged it into is accepted.",
    },
    "read_only_field": {
        Lang.FI: "Palvelu ylläpitää tätä kenttää; lähetä tallennettu arvo {stored} tai jätä "
        "kenttä pois.",
        Lang.SV: "Tjänsten sköter detta fält; skicka det sparade värdet {stored} eller utelämna "
        "fältet.",
        Lang.EN: "The service maintains this field; send the stored value {stored} or leave "
        "the field out.",
    },
    "unknown_module_id": {
        Lang.FI: "Tunnistetta {module_id} ei ole tämän HOKSin tämäntyyppisellä osalla. Jätä "
        "module-id pois uudesta osasta.",
        Lang.SV: "Identifieraren {module_id} finns inte för en sådan del i denna PUK. Utelämna "
        "module-id för en ny del.",
        Lang.EN: "No part of this kind in this HOKS has the id {module_id}. Leave module-id out "
        "of a new part.",
    },
    "duplicate_module_id": {
        Lang.FI: "Tunniste {module_id} esiintyy useammassa osassa.",
        Lang.SV: "Identifieraren {module_id} förekommer i flera delar.",
        Lang.EN: "The id {module_id} appears on more than one part.",
    },
    "precondition_failed": {
        Lang.FI: "HOKSia on muutettu sen jälkeen, kun luit sen (nykyinen versio {current}). "
        "Hae HOKS uudelleen ja tee muutoksesi siihen.",
        Lang.SV: "PUK har ändrats sedan du läste den (nuvarande version {current}). Hämta PUK "
        "på nytt och gör dina ändringar i den.",
        Lang.EN: "The HOKS has changed since you read it (current version {current}). Fetch it "
        "again and make your change to that.",
    },
    "invalid_if_match": {
        Lang.FI: "Otsake If-Match on virheellinen; käytä GET-vastauksen ETag-arvoa.",
        Lang.SV: "Rubriken If-Match är ogiltig; använd ETag-värdet från GET-svaret.",
        Lang.EN: "The If-Match header is malformed; use the ETag value of a GET response.",
    },
    "concurrent_update": {
        Lang.FI: "HOKSia muutettiin samaan aikaan toisaalla. Yritä uudelleen.",
        Lang.SV: "PUK ändrades samtidigt på annat håll. Försök igen.",
        Lang.EN: "The HOKS was changed elsewhere at the same time. Try again.",
    },
    "part_route_gone": {
        Lang.FI: "HOKSin osia ei voi enää käsitellä erikseen. Lähetä koko HOKS PUT-kutsulla.",
        Lang.SV: "PUK:ens delar kan inte längre hanteras separat. Skicka hela PUK med PUT.",
        Lang.EN: "Parts of a HOKS can no longer be handled separately. Send the whole HOKS "
        "with PUT.",
    },
    "duplicate_in_batch": {
        Lang.FI: "Opiskeluoikeudelle {oid} on erässä jo HOKS (kohta {index}).",
        Lang.SV: "Studierätten {oid} har redan en PUK i partiet (plats {index}).",
        Lang.EN: "The batch already has a HOKS for study right {oid} (item {index}).",
    },
    "batch_not_list": {
        Lang.FI: "Erän on oltava JSON-taulukko HOKSeja.",
        Lang.SV: "Partiet måste vara en JSON-lista med PUK:er.",
        Lang.EN: "The batch must be a JSON array of HOKS documents.",
    },
    "batch_too_large": {
        Lang.FI: "Erässä voi olla enintään {max} HOKSia; jaa se osiin.",
        Lang.SV: "Ett parti får innehålla högst {max} PUK:er; dela upp det.",
        Lang.EN: "A batch may hold at most {max} HOKS documents; split it.",
    },
}
