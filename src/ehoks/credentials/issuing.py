"""Issuing, listing and revoking a student's credentials, and the service's published status lists.

Only a plan's own student issues, lists and revokes its credentials: every call first reads the
plan through `hoks.service.get_hoks` (404 for anyone else's), and a credential is looked up
together with its plan and student.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ehoks.config import Settings
from ehoks.credentials import document, keys, repository, retention, status
from ehoks.credentials.models import IssuedCredential
from ehoks.credentials.service import StudentUnit, own_plan, own_summary
from ehoks.credentials.signing import sign
from ehoks.kit.errors import ApiError
from ehoks.kit.i18n import Lang

STATUS_PATH: Final = "/credentials/status"
_INDEX_TRIES: Final = 50


def status_list_url(settings: Settings, number: int) -> str:
    return f"{settings.public_base_url.rstrip('/')}{STATUS_PATH}/{number}"


def issue(unit: StudentUnit, hoks_id: int, lang: Lang) -> IssuedCredential:
    """A new signed credential of the student's own plan, in `lang`."""
    summary = own_summary(unit, hoks_id, lang)
    session, settings, now = unit.session, unit.settings, unit.now
    signer = keys.signing_key(session, settings, now)
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    for _ in range(_INDEX_TRIES):
        number, index = _free_place(session)
        credential = document.achievement_credential(
            summary,
            credential_id=credential_id,
            issuer=keys.did_of(settings),
            issuer_url=settings.public_base_url,
            issued_at=now,
            status=status.entry(status_list_url(settings, number), index),
        )
        issued = IssuedCredential(
            credential_id=credential_id,
            hoks_id=hoks_id,
            oppija_oid=unit.subject.oppija_oid,
            lang=lang.value,
            kid=signer.kid,
            status_list=number,
            status_index=index,
            token=sign(credential, signer.key, keys.key_url(settings, signer.kid)),
            issued_at=now,
        )
        try:
            with session.begin_nested():
                repository.add_credential(session, issued)
        except IntegrityError:
            continue  # another request took the same index at the same moment: draw again
        return issued
    raise ApiError(503, "database_unavailable")


@dataclass(frozen=True, slots=True)
class CredentialCard:
    uuid: str
    lang: str
    issued_at: datetime
    revoked_at: datetime | None
    removed_on: date | None  # a revoked one: the day its token goes (credentials.retention)


def credentials_of(unit: StudentUnit, hoks_id: int) -> list[CredentialCard]:
    """The credentials of the student's own plan, newest first (the plan read by the caller).
    Revoked ones are listed until their retention has passed; then the row names no plan."""
    rows = repository.credentials_of_plan(unit.session, hoks_id, unit.subject.oppija_oid)
    return [
        CredentialCard(
            uuid=row.credential_id.removeprefix("urn:uuid:"),
            lang=row.lang,
            issued_at=row.issued_at,
            revoked_at=row.revoked_at,
            removed_on=(
                retention.removed_on(row.revoked_at, unit.settings) if row.revoked_at else None
            ),
        )
        for row in rows
    ]


def own_credential(unit: StudentUnit, hoks_id: int, credential_id: str) -> IssuedCredential:
    """One credential of the student's own plan; 404 for any other."""
    own_plan(unit, hoks_id)
    found = repository.credential(unit.session, credential_id)
    if found is None or found.hoks_id != hoks_id or found.oppija_oid != unit.subject.oppija_oid:
        raise ApiError(404, "not_found")
    return found


def own_token(unit: StudentUnit, hoks_id: int, credential_id: str) -> str:
    """The signed token of one of the student's own credentials; 404 for any other. A stripped
    credential names no plan, so it is not found either."""
    token = own_credential(unit, hoks_id, credential_id).token
    if token is None:
        raise ApiError(404, "not_found")
    return token


def revoke(unit: StudentUnit, hoks_id: int, credential_id: str) -> IssuedCredential:
    """Revoke one of the student's credentials (at once: its bit is set in the status list)."""
    found = own_credential(unit, hoks_id, credential_id)
    repository.revoke(unit.session, found, unit.now)
    return found


def status_list_token(session: Session, settings: Settings, number: int, now: datetime) -> str:
    """The status list `number` as a signed credential; 404 for a list not yet begun."""
    if number < 1 or number > 1 + repository.issued_count(session) // status.FILL_PER_LIST:
        raise ApiError(404, "not_found")
    url = status_list_url(settings, number)
    revoked = repository.revoked_indexes(session, number)
    listed = status.list_credential(
        url,
        keys.did_of(settings),
        status.encode(revoked),
        now.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    )
    signer = keys.signing_key(session, settings, now)
    return sign(listed, signer.key, keys.key_url(settings, signer.kid))


def _free_place(session: Session) -> tuple[int, int]:
    """(list, index): a random index of the list being filled (half-full lists move on)."""
    number = 1 + repository.issued_count(session) // status.FILL_PER_LIST
    for _ in range(_INDEX_TRIES):
        index = secrets.randbelow(status.LIST_BITS)
        if not repository.index_taken(session, number, index):
            return number, index
    return number, secrets.randbelow(status.LIST_BITS)


def did_document(session: Session, settings: Settings) -> dict[str, Any]:
    """The `did:web` document: every key, the retired ones too, as assertion methods."""
    did = keys.did_of(settings)
    methods = [
        {"id": jwk["kid"], "type": "JsonWebKey", "controller": did, "publicKeyJwk": jwk}
        for jwk in keys.published(session, settings)
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/jwk/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
