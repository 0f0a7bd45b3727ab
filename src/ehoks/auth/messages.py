"""Texts for the error codes of sign-in, sign-out and the development identity provider."""

from __future__ import annotations

from ehoks.kit.i18n import Lang, Translations

MESSAGES: dict[str, Translations] = {
    "sign_in_not_configured": {
        Lang.FI: "Tähän palveluun ei voi kirjautua tällä tavalla: tunnistuspalvelua ei ole "
        "otettu käyttöön.",
        Lang.SV: "Det går inte att logga in i tjänsten på detta sätt: ingen "
        "identifieringstjänst har tagits i bruk.",
        Lang.EN: "Signing in this way is not available on this service: no identity provider "
        "has been set up.",
    },
    "sign_in_state_invalid": {
        Lang.FI: "Kirjautuminen on vanhentunut, jo käytetty tai aloitettu toisessa selaimessa. "
        "Aloita kirjautuminen uudelleen.",
        Lang.SV: "Inloggningen har gått ut, är redan använd eller påbörjades i en annan "
        "webbläsare. Börja om inloggningen.",
        Lang.EN: "The sign-in has expired, was already used or was started in another browser. "
        "Start signing in again.",
    },
    "sign_in_failed": {
        Lang.FI: "Tunnistuspalvelu ei kirjannut sinua sisään ({detail}). Yritä uudelleen.",
        Lang.SV: "Identifieringstjänsten loggade inte in dig ({detail}). Försök igen.",
        Lang.EN: "The identity provider did not sign you in ({detail}). Try again.",
    },
    "token_exchange_failed": {
        Lang.FI: "Tunnistuspalvelu hylkäsi kirjautumiskoodin ({detail}). Aloita kirjautuminen "
        "uudelleen.",
        Lang.SV: "Identifieringstjänsten avvisade inloggningskoden ({detail}). Börja om "
        "inloggningen.",
        Lang.EN: "The identity provider refused the sign-in code ({detail}). Start signing in "
        "again.",
    },
    "id_token_invalid": {
        Lang.FI: "Tunnistuspalvelun antama tunniste ei kelpaa ({detail}). Kirjautuminen "
        "keskeytettiin.",
        Lang.SV: "Identifieringstjänstens token är ogiltig ({detail}). Inloggningen avbröts.",
        Lang.EN: "The identity provider's token is not valid ({detail}). Sign-in was stopped.",
    },
    "id_token_expired": {
        Lang.FI: "Tunnistuspalvelun antama tunniste on vanhentunut. Tarkista kellonajat ja "
        "kirjaudu uudelleen.",
        Lang.SV: "Identifieringstjänstens token har gått ut. Kontrollera klockorna och logga in "
        "igen.",
        Lang.EN: "The identity provider's token has expired. Check the clocks and sign in again.",
    },
    "id_token_nonce_mismatch": {
        Lang.FI: "Tunnistuspalvelun antama tunniste ei kuulu tähän kirjautumiseen. Aloita "
        "kirjautuminen uudelleen.",
        Lang.SV: "Identifieringstjänstens token hör inte till denna inloggning. Börja om "
        "inloggningen.",
        Lang.EN: "The identity provider's token does not belong to this sign-in. Start signing "
        "in again.",
    },
    "identity_provider_unavailable": {
        Lang.FI: "Tunnistuspalveluun {issuer} ei saada yhteyttä ({detail}). Yritä hetken "
        "kuluttua uudelleen.",
        Lang.SV: "Identifieringstjänsten {issuer} kan inte nås ({detail}). Försök igen om en "
        "stund.",
        Lang.EN: "The identity provider {issuer} cannot be reached ({detail}). Try again in a "
        "moment.",
    },
    "student_unknown": {
        Lang.FI: "Sinua ei löydy oppijanumerorekisteristä, joten sinulla ei ole HOKSia tässä "
        "palvelussa. Huoltaja ei voi katsoa lapsensa HOKSia.",
        Lang.SV: "Du finns inte i studentnummerregistret och har därför ingen HOKS i denna "
        "tjänst. En vårdnadshavare kan inte se sitt barns HOKS.",
        Lang.EN: "You are not in the student register, so you have no HOKS in this service. A "
        "guardian cannot see their child's HOKS.",
    },
    "invalid_form": {
        Lang.FI: "Lomakkeen tiedot eivät ole kelvollisia.",
        Lang.SV: "Formulärets uppgifter är ogiltiga.",
        Lang.EN: "The form data is not valid.",
    },
    "dev_idp_invalid_request": {
        Lang.FI: "Kehityskäytön tunnistuspalvelu hylkäsi pyynnön: {detail}",
        Lang.SV: "Identifieringstjänsten för utveckling avvisade begäran: {detail}",
        Lang.EN: "The development identity provider refused the request: {detail}",
    },
}
