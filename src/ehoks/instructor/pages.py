"""The workplace instructors' web pages: small, server-rendered, trilingual, no JavaScript.

Every page works on a phone (viewport, one column), declares its language, labels its form
fields and says what happened in words (no colour-only signals). Values from documents are
always escaped.
"""

from __future__ import annotations

import html
from typing import Any, Final

from fastapi import Request

from ehoks.kit.i18n import Lang, negotiate

BASE: Final = "/tyopaikkaohjaaja"

_T: Final[dict[str, dict[Lang, str]]] = {
    "title": {
        Lang.FI: "Työpaikkaohjaajan kirjautuminen",
        Lang.SV: "Inloggning för arbetsplatshandledare",
        Lang.EN: "Sign-in for workplace instructors",
    },
    "intro": {
        Lang.FI: "Jos olet opiskelijan vastuullinen työpaikkaohjaaja, saat kirjautumislinkin "
        "sähköpostiisi. Käytä osoitetta, jonka oppilaitos on kirjannut sinulle.",
        Lang.SV: "Om du är studerandens ansvariga arbetsplatshandledare får du en "
        "inloggningslänk till din e-post. Använd adressen som läroanstalten har antecknat för "
        "dig.",
        Lang.EN: "If you are a student's responsible workplace instructor, you get a sign-in link "
        "by e-mail. Use the address the school has recorded for you.",
    },
    "email": {Lang.FI: "Sähköpostiosoite", Lang.SV: "E-postadress", Lang.EN: "E-mail address"},
    "send": {Lang.FI: "Lähetä linkki", Lang.SV: "Skicka länken", Lang.EN: "Send the link"},
    "sent_title": {
        Lang.FI: "Tarkista sähköpostisi",
        Lang.SV: "Kontrollera din e-post",
        Lang.EN: "Check your e-mail",
    },
    "sent": {
        Lang.FI: "Jos osoite on kirjattu käynnissä olevan työpaikkajakson vastuulliselle "
        "ohjaajalle, siihen lähetettiin kirjautumislinkki. Linkki toimii kerran ja vanhenee "
        "{minutes} minuutissa.",
        Lang.SV: "Om adressen är antecknad för den ansvariga handledaren för en pågående "
        "arbetsplatsperiod har en inloggningslänk skickats dit. Länken fungerar en gång och går "
        "ut om {minutes} minuter.",
        Lang.EN: "If the address is recorded for the responsible instructor of a current "
        "workplace period, a sign-in link was sent to it. The link works once and expires in "
        "{minutes} minutes.",
    },
    "confirm_title": {Lang.FI: "Kirjaudu sisään", Lang.SV: "Logga in", Lang.EN: "Sign in"},
    "confirm": {
        Lang.FI: "Kirjaudu työpaikkaohjaajan näkymään painamalla painiketta.",
        Lang.SV: "Logga in i arbetsplatshandledarens vy genom att trycka på knappen.",
        Lang.EN: "Press the button to sign in to the workplace instructor's view.",
    },
    "again": {
        Lang.FI: "Tilaa uusi kirjautumislinkki",
        Lang.SV: "Beställ en ny inloggningslänk",
        Lang.EN: "Ask for a new sign-in link",
    },
    "error_title": {Lang.FI: "Virhe", Lang.SV: "Fel", Lang.EN: "Error"},
    "periods_title": {
        Lang.FI: "Ohjattavat työpaikkajaksot",
        Lang.SV: "Arbetsplatsperioder du handleder",
        Lang.EN: "Workplace periods you instruct",
    },
    "none": {
        Lang.FI: "Sinulle ei ole juuri nyt näkyvissä olevia työpaikkajaksoja.",
        Lang.SV: "Du har inga arbetsplatsperioder synliga just nu.",
        Lang.EN: "You have no workplace periods visible right now.",
    },
    "unit": {Lang.FI: "Tutkinnon osa", Lang.SV: "Examensdel", Lang.EN: "Unit"},
    "dates": {Lang.FI: "Jakso", Lang.SV: "Period", Lang.EN: "Period"},
    "workplace": {Lang.FI: "Työpaikka", Lang.SV: "Arbetsplats", Lang.EN: "Workplace"},
    "tasks": {
        Lang.FI: "Keskeiset työtehtävät",
        Lang.SV: "Centrala arbetsuppgifter",
        Lang.EN: "Key work tasks",
    },
    "part_time": {Lang.FI: "Osa-aikaisuus", Lang.SV: "Deltid", Lang.EN: "Part-time"},
    "pauses": {Lang.FI: "Keskeytykset", Lang.SV: "Avbrott", Lang.EN: "Interruptions"},
    "note": {Lang.FI: "Tarkenne", Lang.SV: "Precisering", Lang.EN: "Note"},
    "contact": {
        Lang.FI: "Oppilaitoksen yhteyshenkilö",
        Lang.SV: "Läroanstaltens kontaktperson",
        Lang.EN: "School's contact person",
    },
    "visible_until": {
        Lang.FI: "Näkyvissä asti",
        Lang.SV: "Synlig till",
        Lang.EN: "Visible until",
    },
    "student": {Lang.FI: "Opiskelija", Lang.SV: "Studerande", Lang.EN: "Student"},
}
_LANG_NAMES: Final = {Lang.FI: "Suomeksi", Lang.SV: "På svenska", Lang.EN: "In English"}
_STYLE: Final = (
    "body{font-family:system-ui,sans-serif;line-height:1.5;margin:0;padding:1rem;"
    "max-width:40rem}label{display:block;font-weight:600;margin-top:1rem}"
    "input[type=email]{width:100%;box-sizing:border-box;font-size:1rem;padding:.5rem}"
    "button{margin-top:1rem;font-size:1rem;padding:.6rem 1.2rem}"
    "nav a{margin-right:1rem}section{border-top:1px solid #888;margin-top:1rem}"
    "dt{font-weight:600}dd{margin:0 0 .5rem 0}"
)


def page_lang(request: Request, chosen: str | None = None) -> Lang:
    """?lang= (or a form's lang field) wins; otherwise Accept-Language; otherwise Finnish."""
    wanted = chosen or request.query_params.get("lang")
    if wanted in {lang.value for lang in Lang}:
        return Lang(wanted)
    return negotiate(request.headers.get("accept-language"))


def text(key: str, lang: Lang, **params: object) -> str:
    value = _T[key][lang]
    return value.format(**params) if params else value


def _e(value: object) -> str:
    return html.escape(str(value))


def _layout(lang: Lang, title: str, body: str, *, path: str = BASE) -> str:
    switch = " ".join(
        f'<a href="{_e(path)}?lang={other.value}" lang="{other.value}" '
        f'hreflang="{other.value}">{_LANG_NAMES[other]}</a>'
        for other in Lang
        if other is not lang
    )
    return (
        f'<!doctype html><html lang="{lang.value}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)} – eHOKS</title><style>{_STYLE}</style></head><body>"
        f'<nav aria-label="Language / Kieli / Språk">{switch}</nav>'
        f"<main><h1>{_e(title)}</h1>{body}</main></body></html>"
    )


def request_form(lang: Lang, *, error: str | None = None, value: str = "") -> str:
    problem = ""
    described = ""
    if error:
        problem = f'<p id="email-error" role="alert"><strong>{_e(error)}</strong></p>'
        described = ' aria-describedby="email-error" aria-invalid="true"'
    body = (
        f"<p>{_e(text('intro', lang))}</p>{problem}"
        f'<form method="post" action="{BASE}">'
        f'<input type="hidden" name="lang" value="{lang.value}">'
        f'<label for="email">{_e(text("email", lang))}</label>'
        f'<input id="email" name="sahkoposti" type="email" autocomplete="email" required '
        f'maxlength="320" value="{_e(value)}"{described}>'
        f'<button type="submit">{_e(text("send", lang))}</button></form>'
    )
    return _layout(lang, text("title", lang), body)


def request_sent(lang: Lang, minutes: int) -> str:
    body = f'<p role="status">{_e(text("sent", lang, minutes=minutes))}</p>'
    return _layout(lang, text("sent_title", lang), body)


def message_page(lang: Lang, message: str) -> str:
    body = (
        f'<p role="alert">{_e(message)}</p>'
        f'<p><a href="{BASE}?lang={lang.value}">{_e(text("again", lang))}</a></p>'
    )
    return _layout(lang, text("error_title", lang), body)


def confirm_sign_in(lang: Lang, token: str) -> str:
    body = (
        f"<p>{_e(text('confirm', lang))}</p>"
        f'<form method="post" action="{BASE}/kirjaudu">'
        f'<input type="hidden" name="token" value="{_e(token)}">'
        f'<input type="hidden" name="lang" value="{lang.value}">'
        f'<button type="submit">{_e(text("confirm_title", lang))}</button></form>'
    )
    return _layout(lang, text("confirm_title", lang), body, path=f"{BASE}/kirjaudu")


def periods_page(lang: Lang, items: list[dict[str, Any]]) -> str:
    if not items:
        body = f"<p>{_e(text('none', lang))}</p>"
    else:
        body = "".join(_period(lang, item) for item in items)
    return _layout(lang, text("periods_title", lang), body, path=f"{BASE}/jaksot")


def _period(lang: Lang, item: dict[str, Any]) -> str:
    student = (item.get("opiskelija") or {}).get("nimi") or "–"
    rows: list[tuple[str, str]] = [
        ("unit", _e(_unit_name(lang, item.get("tutkinnon-osa") or {}))),
        ("dates", f"{_e(item.get('alku'))} – {_e(item.get('loppu'))}"),
    ]
    workplace = item.get("tyopaikalla-jarjestettava-koulutus") or {}
    place = " ".join(
        _e(v) for v in (workplace.get("tyopaikan-nimi"), workplace.get("tyopaikan-y-tunnus")) if v
    )
    rows.append(("workplace", place or "–"))
    tasks = workplace.get("keskeiset-tyotehtavat") or []
    if tasks:
        rows.append(("tasks", "<ul>" + "".join(f"<li>{_e(t)}</li>" for t in tasks) + "</ul>"))
    if item.get("ajanjakson-tarkenne"):
        rows.append(("note", _e(item["ajanjakson-tarkenne"])))
    if item.get("osa-aikaisuustieto") is not None:
        rows.append(("part_time", f"{_e(item['osa-aikaisuustieto'])} %"))
    pauses = item.get("keskeytymisajanjaksot") or []
    if pauses:
        listed = "".join(f"<li>{_e(p.get('alku'))} – {_e(p.get('loppu', ''))}</li>" for p in pauses)
        rows.append(("pauses", f"<ul>{listed}</ul>"))
    contact = item.get("jarjestajan-edustaja") or {}
    if contact:
        rows.append(
            ("contact", ", ".join(_e(contact[k]) for k in ("nimi", "rooli") if contact.get(k)))
        )
    rows.append(("visible_until", _e(item.get("nakyvissa-asti"))))
    listed_rows = "".join(f"<dt>{_e(text(k, lang))}</dt><dd>{v}</dd>" for k, v in rows)
    return (
        f"<section><h2>{_e(text('student', lang))}: {_e(student)}</h2>"
        f"<dl>{listed_rows}</dl></section>"
    )


def _unit_name(lang: Lang, unit: dict[str, Any]) -> str:
    names = unit.get("tutkinnon-osa-nimi")
    label = (
        _localised(names, lang) or unit.get("nimi") or unit.get("tutkinnon-osa-koodi-uri") or "–"
    )
    area = _localised(unit.get("osa-alue-nimi"), lang) or unit.get("osa-alue-koodi-uri")
    return f"{label}: {area}" if area else str(label)


def _localised(names: object, lang: Lang) -> str | None:
    if not isinstance(names, dict):
        return None
    value = names.get(lang.value) or names.get("fi")
    return str(value) if value else None
