"""Texts of the workplace instructors' errors, in Finnish, Swedish and English."""

from __future__ import annotations

from ehoks.kit.i18n import Lang, Translations

MESSAGES: dict[str, Translations] = {
    "invalid_email": {
        Lang.FI: "Anna sähköpostiosoite muodossa nimi@esimerkki.fi (enintään 320 merkkiä).",
        Lang.SV: "Ange e-postadressen i formen namn@exempel.fi (högst 320 tecken).",
        Lang.EN: "Give the e-mail address in the form name@example.fi (at most 320 characters).",
    },
    "mail_unavailable": {
        Lang.FI: "Sähköpostin lähetys ei juuri nyt onnistu. Yritä hetken kuluttua uudelleen.",
        Lang.SV: "E-post kan inte skickas just nu. Försök igen om en stund.",
        Lang.EN: "E-mail cannot be sent right now. Try again in a moment.",
    },
    "sign_in_link_invalid": {
        Lang.FI: "Kirjautumislinkki on jo käytetty, vanhentunut tai virheellinen. Tilaa uusi "
        "linkki.",
        Lang.SV: "Inloggningslänken har redan använts, har gått ut eller är felaktig. Beställ "
        "en ny länk.",
        Lang.EN: "The sign-in link has already been used, has expired or is not valid. Ask for "
        "a new link.",
    },
    "foreign_origin": {
        Lang.FI: "Lomake lähetettiin toiselta sivustolta. Avaa kirjautumislinkki uudelleen.",
        Lang.SV: "Formuläret skickades från en annan webbplats. Öppna inloggningslänken igen.",
        Lang.EN: "The form was sent from another site. Open the sign-in link again.",
    },
}
