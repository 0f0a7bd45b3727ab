"""Routes of the development identity provider, under /dev-idp.

The router is always included, but every route answers 404 unless the app's settings enable the
development IdP: the settings belong to the app, not to the import, so a production app built in
the same process as a development one still serves nothing here.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from typing import Any, Final
from urllib.parse import unquote_plus, urlencode

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from ehoks.auth.devidp import keys, pages, service
from ehoks.auth.service import utcnow
from ehoks.kit.deps import get_app_settings, service_key, service_key_async
from ehoks.kit.errors import ApiError
from ehoks.kit.forms import is_form, read_form
from ehoks.kit.http import JsonResponse
from ehoks.kit.keys import DEV_IDP_FORMS
from ehoks.kit.pages import page_lang, page_router, render
from ehoks.kit.policy import public
from ehoks.kit.translations import translator
from ehoks.pipeline.run import handle_public, perform_public
from ehoks.pipeline.unit import Unit

PREFIX: Final = "/dev-idp"
TOKEN_HEADERS: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}
_POLICY = public("development identity provider")


def _only_when_enabled(request: Request) -> None:
    if not get_app_settings(request).dev_idp_enabled:
        raise ApiError(404, "not_found")


router = APIRouter(
    prefix=PREFIX,
    tags=["development identity provider"],
    dependencies=[Depends(_only_when_enabled)],
    include_in_schema=False,
)
# The picker and its form: their errors are pages (a developer's browser shows them).
page_routes = page_router()


@router.get("/.well-known/openid-configuration", dependencies=[_POLICY])
def configuration(request: Request) -> JsonResponse:
    """The discovery document (OpenID Connect Discovery 1.0 §3)."""
    issuer = service.issuer(get_app_settings(request))
    return JsonResponse(
        {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "name", "email", "oppija_oid", "hetu", "acting_for"],
        }
    )


@router.get("/jwks", dependencies=[_POLICY])
def jwks(request: Request) -> JsonResponse:
    """The public signing keys."""
    return JsonResponse(perform_public(request, lambda unit: keys.jwks(unit.session)))


def _personas(unit: Unit, audience: str) -> tuple[list[Any], list[Any]]:
    students = service.student_personas(unit.session) if audience == "student" else []
    staff = service.staff_personas(unit.session) if audience == "staff" else []
    return students, staff


def _refused(reason: str) -> ApiError:
    return ApiError(400, "dev_idp_invalid_request", params={"detail": reason})


@page_routes.get("/authorize", dependencies=[_POLICY])
def authorize_page(request: Request) -> Response:
    """Show the demo persons to pick from, for a valid authorization request."""
    settings = get_app_settings(request)
    try:
        checked = service.check_authorize(settings, dict(request.query_params))
    except service.DevIdpError as exc:
        raise _refused(str(exc)) from None
    audience = service.audience_of(settings, checked.client_id) or ""
    issued = str(int(utcnow().timestamp()))
    students, staff = perform_public(request, lambda unit: _personas(unit, audience))
    values = pages.picker_values(
        translator(page_lang(request)),
        checked,
        audience=audience,
        issued=issued,
        token=service.form_token(service_key(request, DEV_IDP_FORMS), checked, issued),
        students=students,
        staff=staff,
    )
    return render(request, "devidp/picker.html", values)


@page_routes.post("/authorize", dependencies=[_POLICY], response_class=RedirectResponse)
async def authorize(request: Request) -> Response:
    """Issue a code for the picked person and send the browser back to the client."""
    form = await read_form(request)
    settings = get_app_settings(request)
    params = {
        **{k: form.get(k, "") for k in ("client_id", "redirect_uri", "state", "nonce")},
        "code_challenge": form.get("code_challenge", ""),
        "response_type": "code",
        "scope": "openid",
        "code_challenge_method": "S256",
    }
    now = utcnow()
    try:
        checked = service.check_authorize(settings, params)
        service.check_form_token(
            await service_key_async(request, DEV_IDP_FORMS),
            checked,
            form.get("issued", ""),
            form.get("form_token", ""),
            now,
        )
    except service.DevIdpError as exc:
        raise _refused(str(exc)) from None
    audience = service.audience_of(settings, checked.client_id) or ""

    def issue(unit: Unit) -> str:
        try:
            claims = service.claims_for(unit.session, settings, audience, form)
        except service.DevIdpError as exc:
            raise _refused(str(exc)) from None
        return service.issue_code(unit.session, checked, claims, now)

    code = await handle_public(request, issue)
    query = urlencode({"code": code, "state": checked.state} if checked.state else {"code": code})
    return RedirectResponse(f"{checked.redirect_uri}?{query}", status_code=302)


def _token_error(exc: service.TokenError) -> JsonResponse:
    headers = dict(TOKEN_HEADERS)
    if exc.status == 401:  # noqa: PLR2004 - RFC 6749 §5.2 asks for a challenge with 401
        headers["WWW-Authenticate"] = 'Basic realm="dev-idp"'
    body = {"error": exc.error, "error_description": exc.description}
    return JsonResponse(body, status_code=exc.status, headers=headers)


def _client(request: Request, form: dict[str, str]) -> tuple[str, str]:
    """Client id and secret from HTTP Basic (RFC 6749 §2.3.1) or from the form."""
    authorization = request.headers.get("authorization", "")
    if authorization:
        scheme, _, encoded = authorization.partition(" ")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode()
        except (binascii.Error, ValueError):
            raise service.TokenError("invalid_client", "Malformed Basic header.", 401) from None
        if scheme.lower() != "basic" or ":" not in decoded:
            raise service.TokenError("invalid_client", "Malformed Basic header.", 401)
        raw_id, _, raw_secret = decoded.partition(":")
        return unquote_plus(raw_id), unquote_plus(raw_secret)
    return form.get("client_id", ""), form.get("client_secret", "")


def _authenticated_client(request: Request, form: dict[str, str]) -> str:
    client_id, secret = _client(request, form)
    expected = service.client_secret_of(get_app_settings(request), client_id)
    if expected is None or not hmac.compare_digest(expected.encode(), secret.encode()):
        raise service.TokenError("invalid_client", "Client authentication failed.", 401)
    if form.get("grant_type") != "authorization_code":
        raise service.TokenError("unsupported_grant_type", "Use authorization_code.")
    return client_id


@router.post("/token", dependencies=[_POLICY])
async def token(request: Request) -> JsonResponse:
    """Exchange a code for an ID token (authorization code grant with PKCE)."""
    if not is_form(request):
        return _token_error(service.TokenError("invalid_request", "Send a form."))
    form = await read_form(request)
    settings = get_app_settings(request)
    try:
        client_id = _authenticated_client(request, form)

        def redeem(unit: Unit) -> str:
            return service.redeem_code(
                unit.session,
                settings,
                client_id=client_id,
                code=form.get("code", ""),
                redirect=form.get("redirect_uri", ""),
                verifier=form.get("code_verifier", ""),
                now=unit.now,
            )

        id_token = await handle_public(request, redeem)
    except service.TokenError as exc:
        return _token_error(exc)
    body: dict[str, Any] = {
        # The development IdP has no resource servers: the access token opens nothing.
        "access_token": secrets.token_urlsafe(32),
        "token_type": "Bearer",
        "expires_in": service.ID_TOKEN_SECONDS,
        "id_token": id_token,
    }
    return JsonResponse(body, headers=TOKEN_HEADERS)


router.include_router(page_routes)
