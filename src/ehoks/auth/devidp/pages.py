"""The development IdP's page (pick a demo person): the values of `devidp/picker.html`."""

from __future__ import annotations

from typing import Any

from ehoks.auth.devidp.service import AuthorizeRequest
from ehoks.kit.translations import Translator
from ehoks.registry.models import Person

# (value, label, hint) of one radio button.
Option = tuple[str, str, str]


def picker_values(
    texts: Translator,
    request: AuthorizeRequest,
    *,
    audience: str,
    issued: str,
    token: str,
    students: list[tuple[Person, bool]],
    staff: list[tuple[str, str]],
) -> dict[str, Any]:
    hidden = [
        ("client_id", request.client_id),
        ("redirect_uri", request.redirect_uri),
        ("state", request.state),
        ("nonce", request.nonce),
        ("code_challenge", request.code_challenge),
        ("issued", issued),
        ("form_token", token),
    ]
    return {
        "audience": audience,
        "hidden_fields": hidden,
        "student_options": [
            (
                f"student:{person.oid}",
                _full_name(person),
                f"{person.oid}{' · hetu' if hetu else ''}",
            )
            for person, hetu in students
        ],
        "identifier_options": [
            ("hetu", texts.gettext("henkilötunnus (as Suomi.fi does)"), ""),
            ("oid", texts.gettext("oppija OID"), ""),
        ],
        "guardian_options": [
            (
                f"guardian:{person.oid}",
                texts.gettext("Guardian of {name}", name=_full_name(person)),
                person.oid,
            )
            for person, _ in students
        ],
        "staff_options": [
            *((f"staff:{oid}", name or oid, oid) for oid, name in staff),
            ("staff:", texts.gettext("Another staff member (OID below)"), ""),
        ],
    }


def _full_name(person: Person) -> str:
    return " ".join(p for p in (person.first_names, person.last_name) if p) or person.oid
