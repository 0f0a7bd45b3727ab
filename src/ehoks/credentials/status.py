"""Bitstring Status List (W3C): one bit per credential, set when the credential is revoked.

A list is a bitstring of `LIST_BITS` bits (16 KiB, the size the specification asks for, so one
credential's index tells little), GZIP-compressed and encoded as Multibase base64url ("u"
prefix). Bit 0 is the most significant bit of the first byte. Credentials take a random free
index of the list being filled; a list is filled to half before the next one starts, so a free
index is found in a few tries.
"""

from __future__ import annotations

import base64
import gzip
import io
from collections.abc import Iterable
from typing import Any, Final

LIST_BITS: Final = 131_072
FILL_PER_LIST: Final = LIST_BITS // 2
PURPOSE: Final = "revocation"
MAX_ENCODED_LIST: Final = 1_000_000  # characters; a real list of 16 KiB compresses far below


class StatusListError(ValueError):
    """A status list that cannot be read."""


def encode(revoked: Iterable[int], bits: int = LIST_BITS) -> str:
    """The `encodedList` of a list whose `revoked` indexes are set."""
    data = bytearray(bits // 8)
    for index in revoked:
        data[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(data), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def is_set(encoded_list: str, index: int) -> bool:
    """Whether bit `index` of an `encodedList` is set."""
    if not encoded_list.startswith("u") or len(encoded_list) > MAX_ENCODED_LIST:
        raise StatusListError("not a Multibase base64url status list")
    body = encoded_list[1:]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        # Bounded: a list larger than the specification's biggest is refused, not inflated.
        with gzip.GzipFile(fileobj=io.BytesIO(packed)) as unpacked:
            data = unpacked.read(LIST_BITS * 8 + 1)
    except (ValueError, OSError, EOFError) as broken:
        raise StatusListError(str(broken)) from broken
    if index < 0 or index // 8 >= len(data):
        raise StatusListError("the index is outside the list")
    return bool(data[index // 8] & (0x80 >> (index % 8)))


def entry(list_url: str, index: int) -> dict[str, Any]:
    """A credential's `credentialStatus`: its bit in the list at `list_url`."""
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def list_credential(
    list_url: str, issuer: str, encoded_list: str, valid_from: str
) -> dict[str, Any]:
    """The status list as the credential the specification defines (signed like any other)."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encoded_list,
        },
    }
