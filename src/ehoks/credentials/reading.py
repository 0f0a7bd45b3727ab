"""What a verified credential says, read for a person: its name, whose it is, when and by whom it
was issued, each unit with its result, and the evidence (demonstrations, workplace periods).

The credential is data from outside: every value is taken only if it has the expected type, and
texts are shortened, so a hostile credential cannot break or flood the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from ehoks.credentials.verify import Reason, Verdict, instant
from ehoks.kit.translations import N_

MAX_TEXT: Final = 500
MAX_ITEMS: Final = 200
# Reasons whose credential is authentic: what it says may be shown (with the reason beside it).
AUTHENTIC: Final = frozenset({Reason.VERIFIED, Reason.REVOKED, Reason.EXPIRED})
OUTCOMES: Final = {
    Reason.VERIFIED: N_(
        "Authentic, unaltered and not revoked: eHOKS signed this credential, nothing in it has "
        "been changed since, and the student has not revoked it."
    ),
    Reason.MALFORMED: N_(
        "This is not a credential that can be checked: it is not a signed credential (a JWT), "
        "or a part of it is missing. Paste the whole credential, or upload the file as you got it."
    ),
    Reason.UNSUPPORTED: N_(
        "The credential is signed in a way this check does not accept (only credentials signed "
        "with Ed25519 keys as vc+jwt are)."
    ),
    Reason.UNKNOWN_KEY: N_(
        "The key that signed this credential is not one that its issuer has published: it was "
        "not signed by eHOKS, or it has been tampered with. Do not trust what it says."
    ),
    Reason.ALTERED: N_(
        "The credential has been altered: its signature does not match its content. Do not "
        "trust what it says."
    ),
    Reason.ISSUER_MISMATCH: N_(
        "The credential names another issuer than the one whose key signed it. Do not trust "
        "what it says."
    ),
    Reason.NOT_YET_VALID: N_("The credential is not valid yet: its start time is in the future."),
    Reason.EXPIRED: N_("The credential has expired."),
    Reason.REVOKED: N_(
        "The credential has been revoked: it was signed by eHOKS and is unaltered, but the "
        "student has withdrawn it. Do not rely on it; ask the student for a new one."
    ),
    Reason.STATUS_UNAVAILABLE: N_(
        "Whether the credential has been revoked could not be checked just now. Try again later."
    ),
}


@dataclass(frozen=True, slots=True)
class Evidence:
    genre: str
    name: str
    description: str
    lines: list[str]


@dataclass(frozen=True, slots=True)
class Reading:
    name: str
    student: str
    issuer: str
    issued: datetime | None
    language: str
    units: list[tuple[str, str]] = field(default_factory=list)  # (unit, result)
    evidence: list[Evidence] = field(default_factory=list)


def reading_of(verdict: Verdict) -> Reading | None:
    """What the credential says, when it is authentic; None otherwise."""
    if verdict.reason not in AUTHENTIC:
        return None
    credential = verdict.credential
    subject = _mapping(credential.get("credentialSubject"))
    achievement = _mapping(subject.get("achievement"))
    names = {
        _text(d.get("id")): _text(d.get("name"))
        for d in _list(achievement.get("resultDescription"))
    }
    units = [
        (names.get(_text(r.get("resultDescription")), ""), _text(r.get("value")))
        for r in _list(subject.get("result"))
    ]
    identifiers = _list(subject.get("identifier"))
    student = next(
        (_text(i.get("identityHash")) for i in identifiers if i.get("hashed") is False), ""
    )
    issuer = credential.get("issuer")
    return Reading(
        name=_text(credential.get("name")),
        student=student,
        issuer=_text(_mapping(issuer).get("name") or _mapping(issuer).get("id") or issuer),
        issued=instant(credential.get("validFrom")),
        language=_text(achievement.get("inLanguage"))[:5],
        units=[(unit, result) for unit, result in units if unit],
        evidence=[
            Evidence(
                genre=_text(e.get("genre")),
                name=_text(e.get("name")),
                description=_text(e.get("description")),
                lines=[line for line in _text(e.get("narrative")).splitlines() if line][:20],
            )
            for e in _list(credential.get("evidence"))
        ],
    )


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else []
    return [item for item in items[:MAX_ITEMS] if isinstance(item, dict)]


def _text(value: object) -> str:
    return value[:MAX_TEXT] if isinstance(value, str) else ""
