"""Signing a credential as a JWT the way VC-JOSE secures the VC data model: the credential is the
payload, the header says `typ: vc+jwt` and names the key by its DID URL.

`EdDSA` is the algorithm's name that Open Badges 3.0 and VC-JOSE verifiers know; RFC 9864 now
prefers the fully specified `Ed25519`, which joserfc warns about but few verifiers accept yet.
"""

from __future__ import annotations

import warnings
from typing import Any, Final

import orjson
from joserfc import jws
from joserfc.errors import SecurityWarning
from joserfc.jwk import OKPKey

from ehoks.credentials.keys import ALGORITHM

MEDIA_TYPE: Final = "application/vc+jwt"
TOKEN_TYPE: Final = "vc+jwt"  # noqa: S105 - a media type, not a secret
# The deprecation note on the name "EdDSA" (see the module's docstring) is known and chosen.
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)


def sign(credential: dict[str, Any], key: OKPKey, kid_url: str) -> str:
    """The compact JWS of `credential`, signed by `key` (whose DID URL is `kid_url`)."""
    header = {"alg": ALGORITHM, "typ": TOKEN_TYPE, "cty": "vc", "kid": kid_url}
    payload = orjson.dumps(credential)
    return jws.serialize_compact(header, payload, key, algorithms=[ALGORITHM])


def verify_signature(token: str, public_jwk: dict[str, Any]) -> bytes:
    """The payload of `token` if `public_jwk` signed it; raises joserfc's errors otherwise."""
    key = OKPKey.import_key(public_jwk)
    return jws.deserialize_compact(token, key, algorithms=[ALGORITHM]).payload
