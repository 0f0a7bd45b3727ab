"""The service's Ed25519 signing keys: created on first use, rotated by the operator, and every
one of them published for as long as the service runs, so a credential signed with an older key
still verifies after a rotation.

A key's id is its RFC 7638 thumbprint. The public half is in the database. The private half is in
the database too, unless `credential_key_dir` names a directory: then each private key is the file
`<kid>.pem` there (created readable by the service's user only), and a copy of the database holds
no private key at all. Never in the repository: both places are outside it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote, urlsplit

from joserfc.jwk import OKPKey
from sqlalchemy.orm import Session

from ehoks.config import Settings
from ehoks.credentials import repository
from ehoks.credentials.models import CredentialKey

CURVE: Final = "Ed25519"
ALGORITHM: Final = "EdDSA"  # the name verifiers of VC-JOSE and Open Badges 3.0 know


class KeyUnavailableError(RuntimeError):
    """The private key of the signing key id is not where the settings say."""


@dataclass(frozen=True, slots=True)
class SigningKey:
    kid: str
    key: OKPKey


def did_of(settings: Settings) -> str:
    """The service's `did:web` identifier, from its public address (`did:web:host%3Aport`)."""
    parts = urlsplit(settings.public_base_url)
    path = [quote(p, safe="") for p in parts.path.strip("/").split("/") if p]
    return ":".join(["did:web", quote(parts.netloc, safe=""), *path])


def key_url(settings: Settings, kid: str) -> str:
    """The DID URL of a key (`did:web:...#<kid>`): the `kid` of tokens and of the JWKS."""
    return f"{did_of(settings)}#{kid}"


def signing_key(session: Session, settings: Settings, now: datetime) -> SigningKey:
    """The key that signs now; the first one is created on first use."""
    row = repository.newest_active_key(session)
    if row is None:
        return _create(session, settings, now)
    return SigningKey(row.kid, OKPKey.import_key(_private_pem(row, settings)))


def rotate(session: Session, settings: Settings, now: datetime) -> str:
    """A new signing key; the others sign no more but stay published. Its id."""
    created = _create(session, settings, now)
    repository.retire_keys(session, now, keep=created.kid)
    return created.kid


def published(session: Session, settings: Settings) -> list[dict[str, Any]]:
    """Every public key as a JWK whose `kid` is its DID URL, oldest first."""
    return [
        {**json.loads(row.public_jwk), "kid": key_url(settings, row.kid), "alg": ALGORITHM}
        for row in repository.keys(session)
    ]


def key_rows(session: Session) -> list[CredentialKey]:
    return list(repository.keys(session))


def _create(session: Session, settings: Settings, now: datetime) -> SigningKey:
    key = OKPKey.generate_key(CURVE)
    kid = key.thumbprint()
    pem = key.as_pem(private=True).decode("ascii")
    stored_pem: str | None = pem
    if settings.credential_key_dir:
        _write_private(Path(settings.credential_key_dir), kid, pem)
        stored_pem = None
    public = json.dumps(key.as_dict(private=False), sort_keys=True)
    repository.add_key(
        session, CredentialKey(kid=kid, public_jwk=public, private_pem=stored_pem, created_at=now)
    )
    return SigningKey(kid, key)


def _write_private(directory: Path, kid: str, pem: str) -> None:
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = directory / f"{kid}.pem"
    # Created with the owner's read and write only; never replaces an existing file.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(pem)


def _private_pem(row: CredentialKey, settings: Settings) -> str:
    if row.private_pem:
        return row.private_pem
    if not settings.credential_key_dir:
        raise KeyUnavailableError(
            f"the private key {row.kid} is kept in a key directory: set EHOKS_CREDENTIAL_KEY_DIR"
        )
    path = Path(settings.credential_key_dir) / f"{row.kid}.pem"
    try:
        return path.read_text(encoding="ascii")
    except OSError as missing:
        raise KeyUnavailableError(f"the private key {row.kid} is not in {path}") from missing
