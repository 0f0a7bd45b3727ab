"""Verifying a credential with nothing but what its issuer publishes: the key named in the token
(a `did:web` DID URL) and the status list the credential points to.

Where the keys and lists come from is the caller's: the `ehoks credentials verify` command
fetches them over HTTPS like any outside verifier (`remote`); the service's own check page reads
its own (`local`). The steps and their reasons are the same for both.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Final, Protocol

import orjson
from joserfc import jws
from joserfc.errors import JoseError

from ehoks.credentials import status
from ehoks.credentials.keys import ALGORITHM
from ehoks.credentials.signing import TOKEN_TYPE, verify_signature

MAX_TOKEN_CHARS: Final = 200_000


class Reason(StrEnum):
    """Why a credential verifies or not (stable codes; the texts are in `outcomes`)."""

    VERIFIED = "verified"
    MALFORMED = "malformed"
    UNSUPPORTED = "unsupported"
    UNKNOWN_KEY = "unknown_key"
    ALTERED = "altered"
    ISSUER_MISMATCH = "issuer_mismatch"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    STATUS_UNAVAILABLE = "status_unavailable"


class Unavailable(Exception):  # noqa: N818 - a state of the outside world, not a bug
    """A key or a status list could not be fetched."""


class Keys(Protocol):
    def public_key(self, kid: str) -> dict[str, Any] | None:
        """The public JWK published under the DID URL `kid`; None if none is."""


class StatusLists(Protocol):
    def token(self, url: str) -> str:
        """The signed status list credential at `url`; raises `Unavailable`."""


@dataclass(frozen=True, slots=True)
class Verdict:
    reason: Reason
    detail: str = ""
    credential: dict[str, Any] = field(default_factory=dict)
    kid: str = ""

    @property
    def ok(self) -> bool:
        return self.reason is Reason.VERIFIED


def verify(token: str, keys: Keys, lists: StatusLists, now: datetime) -> Verdict:
    """Whether `token` is authentic, unaltered, valid now and not revoked; and what it says."""
    token = "".join(token.split())
    refused, kid = _header(token)
    if refused is not None:
        return refused
    verdict = _signed(token, kid, keys)
    if not verdict.ok:
        return verdict
    credential = verdict.credential
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or kid.partition("#")[0] != issuer_id:
        return Verdict(Reason.ISSUER_MISMATCH, str(issuer_id), credential, kid)
    timing = _timing(credential, now)
    if timing is not None:
        return Verdict(timing, "", credential, kid)
    return _status(credential, kid, keys, lists)


def _header(token: str) -> tuple[Verdict | None, str]:
    """(a refusal, if the token is no vc+jwt of ours; the key id it names)."""
    if len(token) > MAX_TOKEN_CHARS:
        return Verdict(Reason.MALFORMED, "too long"), ""
    try:
        header = jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, binascii.Error, UnicodeError) as broken:
        return Verdict(Reason.MALFORMED, str(broken) or type(broken).__name__), ""
    if header.get("alg") != ALGORITHM or header.get("typ") != TOKEN_TYPE:
        found = f"alg {header.get('alg')}, typ {header.get('typ')}"
        return Verdict(Reason.UNSUPPORTED, found), ""
    return None, str(header.get("kid") or "")


def _signed(token: str, kid: str, keys: Keys) -> Verdict:
    try:
        public = keys.public_key(kid) if kid else None
    except Unavailable as failed:
        return Verdict(Reason.UNKNOWN_KEY, str(failed), kid=kid)
    if public is None:
        return Verdict(Reason.UNKNOWN_KEY, kid, kid=kid)
    try:
        payload = verify_signature(token, public)
    except (JoseError, ValueError) as wrong:
        return Verdict(Reason.ALTERED, str(wrong) or type(wrong).__name__, kid=kid)
    try:
        credential = orjson.loads(payload)
    except orjson.JSONDecodeError as broken:
        return Verdict(Reason.MALFORMED, str(broken), kid=kid)
    if not isinstance(credential, dict):
        return Verdict(Reason.MALFORMED, "the payload is not a JSON object", kid=kid)
    return Verdict(Reason.VERIFIED, "", credential, kid)


def instant(value: object) -> datetime | None:
    """An ISO 8601 instant with its offset ("2026-12-07T02:00:00Z"); None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _timing(credential: dict[str, Any], now: datetime) -> Reason | None:
    valid_from = instant(credential.get("validFrom"))
    valid_until = instant(credential.get("validUntil"))
    if valid_from is not None and now < valid_from:
        return Reason.NOT_YET_VALID
    if valid_until is not None and now > valid_until:
        return Reason.EXPIRED
    return None


def _status(credential: dict[str, Any], kid: str, keys: Keys, lists: StatusLists) -> Verdict:
    entries = credential.get("credentialStatus") or []
    for entry in entries if isinstance(entries, list) else [entries]:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            continue
        url = str(entry.get("statusListCredential") or "")
        try:
            index = int(str(entry.get("statusListIndex")))
            listed = _list(url, keys, lists)
            if not listed.ok or listed.kid.partition("#")[0] != kid.partition("#")[0]:
                return Verdict(Reason.STATUS_UNAVAILABLE, listed.reason.value, credential, kid)
            subject = listed.credential.get("credentialSubject") or {}
            if status.is_set(str(subject.get("encodedList") or ""), index):
                return Verdict(Reason.REVOKED, "", credential, kid)
        except (Unavailable, ValueError) as failed:
            return Verdict(Reason.STATUS_UNAVAILABLE, str(failed), credential, kid)
    return Verdict(Reason.VERIFIED, "", credential, kid)


def _list(url: str, keys: Keys, lists: StatusLists) -> Verdict:
    """The status list at `url`, verified as a credential of its own."""
    if not url:
        raise Unavailable("the credential names no status list")
    token = lists.token(url)
    try:
        header = jws.extract_compact(token.encode("ascii")).headers()
    except (JoseError, ValueError, binascii.Error, UnicodeError) as broken:
        return Verdict(Reason.MALFORMED, str(broken))
    listed = _signed(token, str(header.get("kid") or ""), keys)
    if listed.ok and listed.credential.get("id") != url:
        return Verdict(Reason.MALFORMED, "the list is not the one asked for")
    return listed
