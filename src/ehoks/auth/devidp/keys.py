"""The development IdP's signing key: generated once, kept in the database for every process."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from typing import Any, Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from sqlalchemy.orm import Session

from ehoks.auth.devidp import repository
from ehoks.auth.models import DevIdpKey

KEY_BITS: Final = 2048
_parsed: dict[str, rsa.RSAPrivateKey] = {}
_lock = threading.Lock()


def _load(row: DevIdpKey) -> rsa.RSAPrivateKey:
    with _lock:
        key = _parsed.get(row.kid)
    if key is None:
        loaded = serialization.load_pem_private_key(row.private_pem.encode(), password=None)
        if not isinstance(loaded, rsa.RSAPrivateKey):
            raise TypeError("the development IdP key is not an RSA key")
        key = loaded
        with _lock:
            _parsed[row.kid] = key
    return key


def _create(db: Session) -> DevIdpKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    public_der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    row = DevIdpKey(
        kid=hashlib.sha256(public_der).hexdigest()[:32],
        private_pem=pem.decode(),
        created_at=datetime.now(UTC),
    )
    repository.add_key(db, row)
    return row


def _rows(db: Session) -> list[DevIdpKey]:
    return repository.keys(db)


def signing_key(db: Session) -> tuple[str, rsa.RSAPrivateKey]:
    """(kid, key) to sign with: the oldest stored key, created on first use.

    Two processes starting at once may both create one; both are then published and the oldest
    signs, so every process agrees.
    """
    rows = _rows(db)
    row = rows[0] if rows else _create(db)
    return row.kid, _load(row)


def jwks(db: Session) -> dict[str, Any]:
    """The public keys as a JWK Set (RFC 7517 §5)."""
    rows = _rows(db)
    if not rows:
        rows = [_create(db)]
    keys = []
    for row in rows:
        jwk = RSAAlgorithm.to_jwk(_load(row).public_key(), as_dict=True)
        keys.append({**jwk, "kid": row.kid, "use": "sig", "alg": "RS256"})
    return {"keys": keys}
