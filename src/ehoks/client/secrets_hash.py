"""Client secrets are stored only as scrypt hashes: `scrypt$n$r$p$salt_b64$hash_b64`."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Final

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
# 128 * r * n bytes are needed (16 MiB with the defaults); leave room for OpenSSL's overhead.
_MAX_MEM = 64 * 1024 * 1024
# Refuse stored parameters that would make one verification cost more than this service allows.
_MAX_N = 2**17
_MAX_R = 16
_MAX_P = 4
_PARTS = 6
# scrypt runs in these few threads only. Each call allocates 16 MiB, and the C allocator keeps
# what a thread freed for that thread's next use: run in any of the web process's pool threads,
# scrypt would leave 16 MiB behind in each of them.
HASH_THREADS: Final = 4
_HASH_THREADS: Final = ThreadPoolExecutor(max_workers=HASH_THREADS, thread_name_prefix="scrypt")


def hash_secret(secret: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(secret, salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, length=HASH_BYTES)
    return "$".join(
        (
            "scrypt",
            str(SCRYPT_N),
            str(SCRYPT_R),
            str(SCRYPT_P),
            base64.b64encode(salt).decode("ascii"),
            base64.b64encode(digest).decode("ascii"),
        )
    )


def verify_secret(secret: str, stored: str) -> bool:
    """True when `secret` matches `stored`; a malformed stored value never matches."""
    parts = stored.split("$")
    if len(parts) != _PARTS or parts[0] != "scrypt":
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except (ValueError, binascii.Error):
        return False
    if not (1 < n <= _MAX_N and 0 < r <= _MAX_R and 0 < p <= _MAX_P and expected):
        return False
    actual = _scrypt(secret, salt, n=n, r=r, p=p, length=len(expected))
    return hmac.compare_digest(actual, expected)


def burn_verification(secret: str) -> None:
    """Spend the time of one verification, so unknown client ids answer as slowly as known ones."""
    verify_secret(secret, _dummy_hash())


@cache
def _dummy_hash() -> str:
    return hash_secret(secrets.token_urlsafe(32))


def _scrypt(secret: str, salt: bytes, *, n: int, r: int, p: int, length: int) -> bytes:
    work = _HASH_THREADS.submit(
        hashlib.scrypt,
        secret.encode("utf-8", "surrogatepass"),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=_MAX_MEM,
        dklen=length,
    )
    return work.result()
