"""The development IdP's one page: pick a demo person (fi/sv/en, works on a phone)."""

from __future__ import annotations

from html import escape
from typing import Final

from ehoks.auth.devidp.service import AuthorizeRequest
from ehoks.kit.i18n import Lang
from ehoks.registry.models import Person

TEXTS: Final[dict[str, dict[Lang, str]]] = {
    "title": {
        Lang.FI: "Kehityskäytön tunnistautuminen",
        Lang.SV: "Inloggning för utveckling",
        Lang.EN: "Development sign-in",
    },
    "intro": {
        Lang.FI: "Tämä ei ole oikea tunnistuspalvelu. Valitse esittelyhenkilö.",
        Lang.SV: "Detta är ingen riktig identifieringstjänst. Välj en demoperson.",
        Lang.EN: "This is not a real identity provider. Pick a demo person.",
    },
    "students": {Lang.FI: "Opiskelijat", Lang.SV: "Studerande", Lang.EN: "Students"},
    "guardians": {
        Lang.FI: "Huoltaja (asioi lapsen puolesta)",
        Lang.SV: "Vårdnadshavare (agerar för barnet)",
        Lang.EN: "Guardian (acting for a child)",
    },
    "guardian_of": {Lang.FI: "Huoltaja:", Lang.SV: "Vårdnadshavare:", Lang.EN: "Guardian of"},
    "identifier": {
        Lang.FI: "Opiskelija tunnistetaan",
        Lang.SV: "Den studerande identifieras med",
        Lang.EN: "Identify the student by",
    },
    "by_hetu": {
        Lang.FI: "henkilötunnuksella (kuten Suomi.fi)",
        Lang.SV: "personbeteckning (som Suomi.fi)",
        Lang.EN: "henkilötunnus (as Suomi.fi does)",
    },
    "by_oid": {Lang.FI: "oppijanumerolla", Lang.SV: "studentnummer", Lang.EN: "oppija OID"},
    "staff": {Lang.FI: "Virkailijat", Lang.SV: "Tjänstemän", Lang.EN: "Staff"},
    "other_staff": {
        Lang.FI: "Muu virkailija (OID alla)",
        Lang.SV: "Annan tjänsteman (OID nedan)",
        Lang.EN: "Another staff member (OID below)",
    },
    "other_oid": {Lang.FI: "Virkailijan OID", Lang.SV: "Tjänstemannens OID", Lang.EN: "Staff OID"},
    "other_name": {Lang.FI: "Nimi", Lang.SV: "Namn", Lang.EN: "Name"},
    "advanced": {Lang.FI: "Lisäasetukset", Lang.SV: "Avancerat", Lang.EN: "Advanced"},
    "grants": {
        Lang.FI: "Käyttöoikeusväite, esim. write:1.2.246.562.10.53642770753 (välilyönnein)",
        Lang.SV: "Behörighetsanspråk, t.ex. write:1.2.246.562.10.53642770753 (med mellanslag)",
        Lang.EN: "Grants claim, e.g. write:1.2.246.562.10.53642770753 (space-separated)",
    },
    "none": {
        Lang.FI: "Ei henkilöitä. Tuo rekisteriaineisto: ehoks registry import …",
        Lang.SV: "Inga personer. Importera registerdata: ehoks registry import …",
        Lang.EN: "No persons. Import registry data: ehoks registry import …",
    },
    "submit": {Lang.FI: "Kirjaudu", Lang.SV: "Logga in", Lang.EN: "Sign in"},
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;"
    "line-height:1.5}fieldset{margin:0 0 1rem;border:1px solid #888;border-radius:.3rem}"
    "label{display:block;padding:.35rem 0}input[type=text]{width:100%;box-sizing:border-box;"
    "padding:.5rem;font-size:1rem}button{font-size:1.1rem;padding:.6rem 1.5rem}"
    "small{color:#444}"
)


def _radio(value: str, label: str, detail: str, *, checked: bool = False) -> str:
    mark = " checked" if checked else ""
    return (
        f'<label><input type="radio" name="persona" value="{escape(value)}" required{mark}> '
        f"{escape(label)} <small>{escape(detail)}</small></label>"
    )


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'


def _student_fields(lang: Lang, students: list[tuple[Person, bool]]) -> list[str]:
    t = {key: texts[lang] for key, texts in TEXTS.items()}
    parts = [f"<fieldset><legend>{t['students']}</legend>"]
    if not students:
        parts.append(f"<p>{escape(t['none'])}</p>")
    for index, (person, has_hetu) in enumerate(students):
        detail = f"{person.oid}{' · hetu' if has_hetu else ''}"
        parts.append(
            _radio(f"student:{person.oid}", _full_name(person), detail, checked=index == 0)
        )
    parts.append(
        f"</fieldset><fieldset><legend>{t['identifier']}</legend>"
        f'<label><input type="radio" name="identifier" value="hetu" checked> {t["by_hetu"]}'
        f'</label><label><input type="radio" name="identifier" value="oid"> {t["by_oid"]}'
        f"</label></fieldset><fieldset><legend>{t['guardians']}</legend>"
    )
    parts.extend(
        _radio(f"guardian:{person.oid}", f"{t['guardian_of']} {_full_name(person)}", person.oid)
        for person, _ in students
    )
    parts.append("</fieldset>")
    return parts


def _staff_fields(lang: Lang, staff: list[tuple[str, str]]) -> list[str]:
    t = {key: texts[lang] for key, texts in TEXTS.items()}
    parts = [f"<fieldset><legend>{t['staff']}</legend>"]
    for index, (oid, name) in enumerate(staff):
        parts.append(_radio(f"staff:{oid}", name or oid, oid, checked=index == 0))
    parts.append(_radio("staff:", t["other_staff"], "", checked=not staff))
    parts.append(
        f'<label for="other_oid">{t["other_oid"]}</label>'
        '<input type="text" id="other_oid" name="other_oid" autocomplete="off" '
        'placeholder="1.2.246.562.24.00000000001">'
        f'<label for="other_name">{t["other_name"]}</label>'
        '<input type="text" id="other_name" name="other_name" autocomplete="off">'
        f"</fieldset><details><summary>{t['advanced']}</summary>"
        f'<label for="grants">{t["grants"]}</label>'
        '<input type="text" id="grants" name="grants" autocomplete="off"></details>'
    )
    return parts


def _full_name(person: Person) -> str:
    return " ".join(p for p in (person.first_names, person.last_name) if p) or person.oid


def picker(
    lang: Lang,
    request: AuthorizeRequest,
    *,
    audience: str,
    issued: str,
    token: str,
    students: list[tuple[Person, bool]],
    staff: list[tuple[str, str]],
) -> str:
    title = TEXTS["title"][lang]
    fields = _staff_fields(lang, staff) if audience == "staff" else _student_fields(lang, students)
    hidden = "".join(
        _hidden(name, value)
        for name, value in (
            ("client_id", request.client_id),
            ("redirect_uri", request.redirect_uri),
            ("state", request.state),
            ("nonce", request.nonce),
            ("code_challenge", request.code_challenge),
            ("issued", issued),
            ("form_token", token),
        )
    )
    return (
        f'<!doctype html><html lang="{lang.value}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>{escape(title)}</h1><p>{escape(TEXTS['intro'][lang])}</p>"
        f'<form method="post" action="authorize">{hidden}{"".join(fields)}'
        f'<p><button type="submit">{escape(TEXTS["submit"][lang])}</button></p>'
        "</form></main></body></html>"
    )
