"""Sign-in decisions: starting a sign-in, finishing it, and who the ID token's claims name.

Staff are named by `sub` (their OID); students by the claim `oppija_oid`, else by `hetu` looked
up in the person registry. A claim `acting_for` (a guardian acting for a child, as Suomi.fi
mandates allow) is ignored on purpose: the session is always the signer's own identity, and a
guardian who is not a student themselves gets no student session at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session

from ehoks.access.subjects import Grant, Role, StaffSubject, StudentSubject, SubjectKind
from ehoks.auth import oidc, repository
from ehoks.auth.models import OidcSignIn
from ehoks.config import Settings
from ehoks.kit import throttle
from ehoks.kit.errors import ApiError
from ehoks.people import repository as people_repository
from ehoks.registry import repository as registry_repository
from ehoks.registry.models import Person

AUDIENCES: Final = (SubjectKind.STAFF.value, SubjectKind.STUDENT.value)
SIGN_IN_MAX_AGE: Final = timedelta(minutes=10)
# Sign-ins one address may start a minute: a school's whole class behind one NAT address signing
# in at once stays well under it, and the rows one address can leave behind stay bounded.
SIGN_IN_STARTS: Final = throttle.Limit("sign-in-address", 60, timedelta(minutes=1))
MAX_RETURN_TO: Final = 2000
GRANT_SOURCE_IDP: Final = "idp"
_GRANT_ENTRY = re.compile(r"^(read|write|delete|admin):(\d+(?:\.\d+){3,})$")
_OID = re.compile(r"^\d+(?:\.\d+){3,}$")
MAX_OID_LENGTH: Final = 64


def client_for(settings: Settings, audience: str) -> oidc.Client:
    """Our OpenID Connect client for `audience`; 404 when no identity provider is set for it."""
    redirect_uri = f"{settings.public_base_url.rstrip('/')}/auth/callback"
    if audience == SubjectKind.STAFF:
        issuer = settings.staff_issuer()
        client_id, secret = settings.oidc_staff_client_id, settings.oidc_staff_client_secret
    else:
        issuer = settings.student_issuer()
        client_id, secret = settings.oidc_student_client_id, settings.oidc_student_client_secret
    if issuer is None:
        raise ApiError(404, "sign_in_not_configured")
    return oidc.Client(issuer, client_id, secret, redirect_uri)


def safe_return_to(value: str | None) -> str:
    """A local path to land on after sign-in; anything else (other hosts, `//x`, `/\\x`) is `/`."""
    if (
        not value
        or len(value) > MAX_RETURN_TO
        or not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(ch in value for ch in "\r\n\t\\")
    ):
        return "/"
    return value


def begin_sign_in(
    db: Session,
    settings: Settings,
    audience: str,
    return_to: str | None,
    *,
    now: datetime,
    address: str,
) -> tuple[str, str]:
    """Record a sign-in in progress; returns (state, URL of the provider's authorization page).

    Anyone may start a sign-in, and each start stores a row until it expires: an address that
    starts too many is refused with 429 `too_many_attempts` (`SIGN_IN_STARTS`).
    """
    throttle.refuse_if_over(db, [(SIGN_IN_STARTS, address)], now)
    throttle.count(db, SIGN_IN_STARTS, address, now)
    client = client_for(settings, audience)
    pkce = oidc.new_pkce()
    row = OidcSignIn(
        state=oidc.random_token(),
        audience=audience,
        nonce=oidc.random_token(),
        code_verifier=pkce.verifier,
        return_to=safe_return_to(return_to),
        created_at=now,
    )
    # Built before the row is stored, so an unreachable provider leaves nothing behind.
    url = oidc.authorization_url(
        client, state=row.state, nonce=row.nonce, code_challenge=pkce.challenge
    )
    # Sign-ins nobody finished are of no use after their lifetime; forget them as we go.
    repository.add_sign_in(db, row, forget_before=now - SIGN_IN_MAX_AGE)
    return row.state, url


def forget_stale_sign_ins(db: Session, now: datetime) -> int:
    """Delete the sign-ins too old to be finished (`ehoks maintenance purge`); how many."""
    return repository.forget_sign_ins(db, before=now - SIGN_IN_MAX_AGE)


def consume_sign_in(db: Session, state: str) -> OidcSignIn | None:
    """The sign-in of `state`, deleted so that it can be used once only; None if unknown.

    The caller commits at once, before it calls the provider, so that a failed attempt cannot be
    replayed with the same state.
    """
    if not state or len(state) > MAX_OID_LENGTH:
        return None
    return repository.take_sign_in(db, state)


def is_stale(row: OidcSignIn, now: datetime) -> bool:
    return row.created_at + SIGN_IN_MAX_AGE <= now


@dataclass(frozen=True)
class SignedIn:
    """Who the ID token names, as a subject to start a session for."""

    subject: StaffSubject | StudentSubject
    principal: str
    display_name: str


def sign_in_staff(
    db: Session, settings: Settings, claims: dict[str, Any], now: datetime
) -> SignedIn:
    """Upsert the staff member `sub` names; replace their identity-provider grants if configured."""
    oid = str(claims["sub"])
    if not _OID.match(oid) or len(oid) > MAX_OID_LENGTH:
        raise ApiError(401, "id_token_invalid", params={"detail": "sub is not an OID"})
    name = _text_claim(claims, "name") or oid
    email = _text_claim(claims, "email")
    people_repository.sign_in_staff_member(
        db, oid, name=name[:200], email=email[:320] or None, now=now
    )
    claim = settings.oidc_staff_grants_claim
    if claim:
        # The identity provider is the authority for its grants: they are replaced at every
        # sign-in. A configured claim that is absent counts as empty, because providers often
        # leave out a claim with no values; keeping yesterday's grants then would keep access
        # the provider took away.
        people_repository.replace_grants(
            db,
            oid,
            parse_grants(claims.get(claim)),
            source=GRANT_SOURCE_IDP,
            created_by="identity provider",
            now=now,
        )
    grants = people_repository.grants_of(db, oid)
    subject = StaffSubject(
        oid=oid,
        name=name,
        grants=tuple(Grant(org, Role(role)) for org, role in grants if role in set(Role)),
    )
    return SignedIn(subject, oid, name)


def parse_grants(value: object) -> set[tuple[str, str]]:
    """(organisation OID, role) of every well-formed "<role>:<organisation OID>" entry.

    A single string is taken as a list of one; malformed entries are ignored.
    """
    entries = [value] if isinstance(value, str) else value
    if not isinstance(entries, list):
        return set()
    found: set[tuple[str, str]] = set()
    for entry in entries:
        match = _GRANT_ENTRY.match(entry.strip()) if isinstance(entry, str) else None
        if match and len(match.group(2)) <= MAX_OID_LENGTH:
            found.add((match.group(2), match.group(1)))
    return found


def sign_in_student(db: Session, claims: dict[str, Any]) -> SignedIn:
    """The student the claims name; 403 `student_unknown` if the person registry does not know them.

    `acting_for` is deliberately not read (see the module docstring).
    """
    person: Person | None = None
    oppija_oid = _text_claim(claims, "oppija_oid")
    if oppija_oid:
        if len(oppija_oid) <= MAX_OID_LENGTH:
            person = registry_repository.get_person(db, oppija_oid)
    else:
        hetu = _text_claim(claims, "hetu")
        if hetu:
            person = registry_repository.persons_by_hetu(db, [hetu.upper()]).get(hetu.upper())
    if person is None:
        raise ApiError(403, "student_unknown")
    if person.master_oid and person.master_oid != person.oid:
        # A merged duplicate: the student's data lives under the master OID.
        person = registry_repository.get_person(db, person.master_oid) or person
    name = person_display_name(person)
    return SignedIn(StudentSubject(oppija_oid=person.oid, name=name), person.oid, name)


def person_display_name(person: Person) -> str:
    first = person.calling_name or (person.first_names or "").split(" ")[0]
    return " ".join(part for part in (first, person.last_name) if part) or person.oid


def _text_claim(claims: dict[str, Any], name: str) -> str:
    value = claims.get(name)
    return value.strip() if isinstance(value, str) else ""


def utcnow() -> datetime:
    return datetime.now(UTC)
