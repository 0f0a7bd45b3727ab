"""What the service publishes so that anyone can verify its credentials without calling it for
each one: its keys (a `did:web` document and a JWKS) and its revocation status lists."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Request
from starlette.responses import JSONResponse, Response

from ehoks.credentials import issuing, keys
from ehoks.credentials.signing import MEDIA_TYPE
from ehoks.kit.policy import public
from ehoks.pipeline.run import handle_public

router = APIRouter(tags=["credentials"])
PublishedKeys = public("the service's public signing keys; no personal data")
StatusList = public("a revocation bitstring; says nothing of whose credentials")
# Verifiers may keep these for a few minutes; a revocation shows in the list within that time.
SHORT_CACHE: Final = "public, max-age=300"
ListNumber = Annotated[int, Path(ge=1, le=1_000_000, description="The status list's number.")]

_OBJECT: Final[dict[str, Any]] = {"type": "object"}
DID_RESPONSE: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "The DID document: every signing key, retired ones too.",
        "content": {"application/json": {"schema": _OBJECT}},
    }
}
JWKS_RESPONSE: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "The signing keys as a JSON Web Key Set (kid: the key's DID URL).",
        "content": {"application/json": {"schema": _OBJECT}},
    }
}
LIST_RESPONSE: Final[dict[int | str, dict[str, Any]]] = {
    200: {
        "description": "A BitstringStatusListCredential, signed as vc+jwt.",
        "content": {MEDIA_TYPE: {"schema": {"type": "string"}}},
    }
}


@router.get(
    "/.well-known/did.json",
    summary="The service's did:web document",
    dependencies=[PublishedKeys],
    responses=DID_RESPONSE,
)
async def did_document(request: Request) -> Response:
    """The `did:web` document of the service: its signing keys as verification methods."""
    document = await handle_public(
        request, lambda unit: issuing.did_document(unit.session, unit.settings)
    )
    return JSONResponse(document, headers={"Cache-Control": SHORT_CACHE})


@router.get(
    "/.well-known/jwks.json",
    summary="The service's signing keys (JWKS)",
    dependencies=[PublishedKeys],
    responses=JWKS_RESPONSE,
)
async def key_set(request: Request) -> Response:
    """Every public key that has signed credentials, retired ones too."""
    published = await handle_public(
        request, lambda unit: keys.published(unit.session, unit.settings)
    )
    return JSONResponse({"keys": published}, headers={"Cache-Control": SHORT_CACHE})


@router.get(
    f"{issuing.STATUS_PATH}/{{number}}",
    summary="A revocation status list",
    dependencies=[StatusList],
    responses=LIST_RESPONSE,
    response_class=Response,
)
async def status_list(request: Request, number: ListNumber) -> Response:
    """The Bitstring Status List `number`: bit N set means the credential with index N is
    revoked."""
    token = await handle_public(
        request,
        lambda unit: issuing.status_list_token(unit.session, unit.settings, number, unit.now),
    )
    return Response(token, media_type=MEDIA_TYPE, headers={"Cache-Control": SHORT_CACHE})
