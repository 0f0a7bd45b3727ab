"""The message catalogue: every stable error code with its text in fi, sv and en.

Domain packages keep their own texts (`<package>/messages.py`, a `MESSAGES` dict); this module
holds the service-wide ones and merges them all. A test checks that every code the code base can
raise has all three languages.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from ehoks.kit.i18n import Lang, Translations

_DOMAIN_CATALOGUES = (
    "ehoks.hoksmodel.messages",
    "ehoks.hoks.messages",
    "ehoks.registry.messages",
    "ehoks.client.messages",
    "ehoks.auth.messages",
    "ehoks.people.messages",
    "ehoks.instructor.messages",
    "ehoks.audit.messages",
)

GENERAL: dict[str, Translations] = {
    "unknown_error": {
        Lang.FI: "Pyyntöä ei voitu käsitellä.",
        Lang.SV: "Begäran kunde inte behandlas.",
        Lang.EN: "The request could not be processed.",
    },
    "internal_error": {
        Lang.FI: "Palvelussa tapahtui odottamaton virhe. Mitään ei tallennettu. Ota yhteyttä "
        "tukeen ja kerro pyynnön tunniste.",
        Lang.SV: "Ett oväntat fel inträffade i tjänsten. Ingenting sparades. Kontakta supporten "
        "och uppge begärans identifierare.",
        Lang.EN: "An unexpected error occurred in the service. Nothing was saved. Contact "
        "support and quote the request id.",
    },
    "validation_failed": {
        Lang.FI: "Pyynnössä on {count} virhettä. Korjaa ne ja lähetä uudelleen.",
        Lang.SV: "Begäran innehåller {count} fel. Rätta dem och skicka igen.",
        Lang.EN: "The request has {count} error(s). Correct them and send it again.",
    },
    "invalid_json": {
        Lang.FI: "Pyynnön runko ei ole kelvollista JSONia: {detail}",
        Lang.SV: "Begärans innehåll är inte giltig JSON: {detail}",
        Lang.EN: "The request body is not valid JSON: {detail}",
    },
    "body_too_large": {
        Lang.FI: "Pyynnön runko on liian suuri (enintään {limit} tavua).",
        Lang.SV: "Begärans innehåll är för stort (högst {limit} byte).",
        Lang.EN: "The request body is too large (at most {limit} bytes).",
    },
    "unsupported_media_type": {
        Lang.FI: "Pyynnön rungon on oltava JSONia (Content-Type: application/json).",
        Lang.SV: "Begärans innehåll måste vara JSON (Content-Type: application/json).",
        Lang.EN: "The request body must be JSON (Content-Type: application/json).",
    },
    "not_found": {
        Lang.FI: "Pyydettyä kohdetta ei löydy.",
        Lang.SV: "Det begärda objektet finns inte.",
        Lang.EN: "The requested resource does not exist.",
    },
    "method_not_allowed": {
        Lang.FI: "Menetelmä ei ole sallittu tässä osoitteessa.",
        Lang.SV: "Metoden är inte tillåten för denna adress.",
        Lang.EN: "The method is not allowed for this address.",
    },
    "invalid_parameter": {
        Lang.FI: "Parametri {name} on virheellinen: {detail}",
        Lang.SV: "Parametern {name} är ogiltig: {detail}",
        Lang.EN: "Parameter {name} is invalid: {detail}",
    },
    "not_authenticated": {
        Lang.FI: "Tunnistautuminen puuttuu tai on vanhentunut. Hae uusi pääsytunniste.",
        Lang.SV: "Autentisering saknas eller har gått ut. Hämta en ny åtkomsttoken.",
        Lang.EN: "Authentication is missing or has expired. Obtain a new access token.",
    },
    "forbidden": {
        Lang.FI: "Sinulla ei ole oikeutta tähän toimintoon.",
        Lang.SV: "Du har inte behörighet till denna åtgärd.",
        Lang.EN: "You are not allowed to do this.",
    },
    "missing_caller_id": {
        Lang.FI: "Otsake Caller-Id puuttuu. Kerro siinä kutsuvan järjestelmän tunniste.",
        Lang.SV: "Rubriken Caller-Id saknas. Ange det anropande systemets identifierare i den.",
        Lang.EN: "The Caller-Id header is missing. Put the calling system's identifier in it.",
    },
}


@cache
def catalogue() -> dict[str, Translations]:
    merged: dict[str, Translations] = dict(GENERAL)
    for module_name in _DOMAIN_CATALOGUES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            continue
        merged.update(getattr(module, "MESSAGES", {}))
    return merged


GENERAL["csrf_failed"] = {
    Lang.FI: "Pyynnöstä puuttuu istunnon CSRF-tunniste (otsake X-CSRF-Token). Lataa sivu.",
    Lang.SV: "Begäran saknar sessionens CSRF-token (rubriken X-CSRF-Token). Ladda om sidan.",
    Lang.EN: "The request lacks the session's CSRF token (header X-CSRF-Token). Reload the page.",
}
