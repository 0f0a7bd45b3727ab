"""What the development IdP decides: valid requests, demo personas, codes and ID tokens."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import jwt
from sqlalchemy.orm import Session

from ehoks.auth.devidp import keys, repository
from ehoks.auth.models import DevIdpCode
from ehoks.auth.oidc import s256
from ehoks.auth.service import person_display_name
from ehoks.config import Settings
from ehoks.people import repository as people_repository
from ehoks.registry import repository as registry_repository
from ehoks.registry.models import Person

CODE_LIFETIME: Final = timedelta(minutes=2)
FORM_LIFETIME: Final = timedelta(minutes=10)
ID_TOKEN_SECONDS: Final = 300
MAX_PARAM: Final = 200
DEFAULT_GRANTS_CLAIM: Final = "ehoks_grants"
_OID = re.compile(r"^\d+(?:\.\d+){3,}$")
_CHALLENGE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
# A made-up guardian: a temporary-range henkilötunnus (individual number 900-999) nobody has.
_GUARDIAN_HETU_BODY = ("010180", "-", "987")
GUARDIAN_HETU: Final = "".join(_GUARDIAN_HETU_BODY) + _HETU_CHECK[int("010180987") % 31]


class DevIdpError(Exception):
    """A request the development IdP refuses (with an English reason for the developer)."""


@dataclass(frozen=True)
class AuthorizeRequest:
    client_id: str
    redirect_uri: str
    state: str
    nonce: str
    code_challenge: str


def issuer(settings: Settings) -> str:
    return f"{settings.public_base_url.rstrip('/')}/dev-idp"


def redirect_uri(settings: Settings) -> str:
    return f"{settings.public_base_url.rstrip('/')}/auth/callback"


def audience_of(settings: Settings, client_id: str) -> str | None:
    """ "staff" or "student" for our two registered clients, else None."""
    return {
        settings.oidc_staff_client_id: "staff",
        settings.oidc_student_client_id: "student",
    }.get(client_id)


def client_secret_of(settings: Settings, client_id: str) -> str | None:
    return {
        settings.oidc_staff_client_id: settings.oidc_staff_client_secret,
        settings.oidc_student_client_id: settings.oidc_student_client_secret,
    }.get(client_id)


def check_authorize(settings: Settings, params: dict[str, str]) -> AuthorizeRequest:
    """The authorization request (OpenID Connect Core §3.1.2.1), or DevIdpError saying why not."""
    if any(len(value) > MAX_PARAM for value in params.values()):
        raise DevIdpError("a parameter is too long")
    if audience_of(settings, params.get("client_id", "")) is None:
        raise DevIdpError("unknown client_id")
    if params.get("redirect_uri") != redirect_uri(settings):
        raise DevIdpError(f"redirect_uri must be exactly {redirect_uri(settings)}")
    if params.get("response_type") != "code":
        raise DevIdpError("response_type must be code")
    if "openid" not in params.get("scope", "").split():
        raise DevIdpError("scope must include openid")
    if params.get("code_challenge_method") != "S256":
        raise DevIdpError("PKCE is required: code_challenge_method must be S256")
    if not _CHALLENGE.match(params.get("code_challenge", "")):
        raise DevIdpError("code_challenge must be a base64url SHA-256 (43 characters)")
    return AuthorizeRequest(
        client_id=params["client_id"],
        redirect_uri=params["redirect_uri"],
        state=params.get("state", ""),
        nonce=params.get("nonce", ""),
        code_challenge=params["code_challenge"],
    )


def form_token(key: str, request: AuthorizeRequest, issued: str) -> str:
    """Binds the picker form to the request it was shown for, and to a time (`key` signs it)."""
    parts = (
        "dev-idp-authorize",
        issued,
        request.client_id,
        request.redirect_uri,
        request.state,
        request.nonce,
        request.code_challenge,
    )
    message = "|".join(parts)
    return hmac.new(key.encode(), message.encode(), "sha256").hexdigest()


def check_form_token(
    key: str, request: AuthorizeRequest, issued: str, sent: str, now: datetime
) -> None:
    expected = form_token(key, request, issued)
    if not hmac.compare_digest(expected.encode(), sent.encode()):
        raise DevIdpError("the form does not belong to this request; start again")
    try:
        issued_at = datetime.fromtimestamp(int(issued), UTC)
    except (ValueError, OverflowError):
        raise DevIdpError("the form does not belong to this request; start again") from None
    if issued_at + FORM_LIFETIME <= now:
        raise DevIdpError("the form has expired; start again")


@dataclass(frozen=True)
class Persona:
    value: str  # the form value: "student:<oid>", "staff:<oid>" or "guardian:<child oid>"
    label: str
    detail: str


def student_personas(db: Session) -> list[tuple[Person, bool]]:
    """Persons with a study right, with whether their henkilötunnus is known."""
    persons = repository.persons_with_study_rights(db)
    return [(person, bool(person.hetu)) for person in persons]


def staff_personas(db: Session) -> list[tuple[str, str]]:
    """(OID, name) of every staff member we know, and of everyone holding a grant."""
    names = repository.staff_names(db)
    return sorted(names.items(), key=lambda item: (item[1] or "~", item[0]))


def _opaque_sub(kind: str, value: str) -> str:
    return hashlib.sha256(f"dev-idp|{kind}|{value}".encode()).hexdigest()[:32]


def claims_for(
    db: Session, settings: Settings, audience: str, form: dict[str, str]
) -> dict[str, Any]:
    """The identity claims of the picked persona (validated against the client's audience)."""
    kind, _, value = form.get("persona", "").partition(":")
    if audience == "staff" and kind == "staff":
        return _staff_claims(db, settings, value or form.get("other_oid", "").strip(), form)
    if audience == "student" and kind == "student":
        return _student_claims(db, value, by_hetu=form.get("identifier", "hetu") == "hetu")
    if audience == "student" and kind == "guardian":
        child = registry_repository.get_person(db, value)
        if child is None:
            raise DevIdpError("unknown child for the guardian persona")
        return {
            "sub": _opaque_sub("guardian", value),
            "name": "Demo Huoltaja",
            "hetu": GUARDIAN_HETU,
            # Set as a Suomi.fi mandate would be; eHOKS ignores it on purpose.
            "acting_for": child.oid,
        }
    raise DevIdpError("pick one of the listed persons")


def _staff_claims(
    db: Session, settings: Settings, oid: str, form: dict[str, str]
) -> dict[str, Any]:
    if not _OID.match(oid) or len(oid) > MAX_PARAM:
        raise DevIdpError("the staff member's OID is not an OID")
    member = people_repository.staff_members(db, [oid]).get(oid)
    name = form.get("other_name", "").strip()[:200] or (member.name if member else "") or oid
    claims: dict[str, Any] = {"sub": oid, "name": name}
    if member is not None and member.email:
        claims["email"] = member.email
    entries = [e for e in re.split(r"[\s,]+", form.get("grants", "")) if e]
    claims[settings.oidc_staff_grants_claim or DEFAULT_GRANTS_CLAIM] = entries
    return claims


def _student_claims(db: Session, oid: str, *, by_hetu: bool) -> dict[str, Any]:
    person = registry_repository.get_person(db, oid)
    if person is None:
        raise DevIdpError("unknown student")
    claims: dict[str, Any] = {
        "sub": _opaque_sub("student", person.oid),
        "name": person_display_name(person),
    }
    # Suomi.fi gives the henkilötunnus; sending the OID instead exercises the other path.
    if by_hetu and person.hetu:
        claims["hetu"] = person.hetu
    else:
        claims["oppija_oid"] = person.oid
    return claims


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def issue_code(
    db: Session, request: AuthorizeRequest, claims: dict[str, Any], now: datetime
) -> str:
    code = secrets.token_urlsafe(32)
    repository.add_code(
        db,
        DevIdpCode(
            code_hash=code_hash(code),
            client_id=request.client_id,
            redirect_uri=request.redirect_uri,
            nonce=request.nonce or None,
            code_challenge=request.code_challenge,
            claims=claims,
            expires_at=now + CODE_LIFETIME,
            used_at=None,
        ),
    )
    return code


class TokenError(Exception):
    """An RFC 6749 §5.2 error of the token endpoint."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status


def redeem_code(
    db: Session,
    settings: Settings,
    *,
    client_id: str,
    code: str,
    redirect: str,
    verifier: str,
    now: datetime,
) -> str:
    """The ID token for a valid, unused code (RFC 6749 §4.1.3, RFC 7636 §4.6)."""
    row = repository.code(db, code_hash(code)) if code else None
    invalid = TokenError("invalid_grant", "The code is unknown, used, expired or not yours.")
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise invalid
    if row.client_id != client_id or row.redirect_uri != redirect:
        raise invalid
    if not verifier or not hmac.compare_digest(s256(verifier), row.code_challenge or ""):
        raise TokenError("invalid_grant", "The PKCE code_verifier does not match.")
    if not repository.use_code(db, row.code_hash, now):
        raise invalid
    kid, key = keys.signing_key(db)
    claims: dict[str, Any] = {
        **row.claims,
        "iss": issuer(settings),
        "aud": client_id,
        "iat": int(now.timestamp()),
        "exp": int(now.timestamp()) + ID_TOKEN_SECONDS,
    }
    if row.nonce:
        claims["nonce"] = row.nonce
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
