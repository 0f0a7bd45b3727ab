"""Texts of the staff, student and grant errors, in Finnish, Swedish and English."""

from __future__ import annotations

from ehoks.kit.i18n import Lang, Translations

MESSAGES: dict[str, Translations] = {
    "organisation_unknown": {
        Lang.FI: "Organisaatiota {oid} ei ole organisaatiorekisterissä.",
        Lang.SV: "Organisationen {oid} finns inte i organisationsregistret.",
        Lang.EN: "Organisation {oid} is not in the organisation registry.",
    },
    "organisation_forbidden": {
        Lang.FI: "Sinulla ei ole oikeutta ({role}) organisaatioon {oid} tai sen yläpuolelle.",
        Lang.SV: "Du har ingen behörighet ({role}) i organisationen {oid} eller ovanför den.",
        Lang.EN: "You have no {role} role on organisation {oid} or any organisation above it.",
    },
    "staff_student_not_found": {
        Lang.FI: "Oppijaa {oid} ei löydy sinun organisaatioidesi oppijoista.",
        Lang.SV: "Studeranden {oid} finns inte bland dina organisationers studerande.",
        Lang.EN: "Student {oid} is not among the students of your organisations.",
    },
    "hoks_role_missing": {
        Lang.FI: "Voit katsoa tätä HOKSia, mutta sen käsittely vaatii roolin {role} HOKSin "
        "omistavassa organisaatiossa.",
        Lang.SV: "Du kan se denna PUK, men åtgärden kräver rollen {role} i den organisation som "
        "äger den.",
        Lang.EN: "You may view this HOKS, but this action needs the {role} role in the "
        "organisation that owns it.",
    },
    "oppija_oid_mismatch": {
        Lang.FI: "Rungon oppija-oid {body} ei ole sama kuin osoitteen oppija-oid {path}.",
        Lang.SV: "Studerandens oid {body} i innehållet är inte samma som {path} i adressen.",
        Lang.EN: "The oppija-oid {body} in the body differs from {path} in the address.",
    },
    "not_own_data": {
        Lang.FI: "Voit katsoa vain omia tietojasi.",
        Lang.SV: "Du kan bara se dina egna uppgifter.",
        Lang.EN: "You can only see your own data.",
    },
}
