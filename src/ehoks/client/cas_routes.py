"""The CAS REST ticket endpoints, for provider systems written for the national service.

    POST   /cas/v1/tickets          username, password  -> 201, Location: …/cas/v1/tickets/TGT-…
    POST   /cas/v1/tickets/{tgt}    service             -> 200, the service ticket as text
    DELETE /cas/v1/tickets/{tgt}                        -> 200, the ticket ended

The answers are what CAS clients read: the `Location` header of a created TGT, a plain-text
service ticket. Errors use the service's error body with their own codes. A ticket is then sent
in the `ticket` header of a provider-API call (`ehoks.client.auth`).
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from ehoks.client import cas
from ehoks.client.routes import _hash_slot
from ehoks.kit.errors import ApiError
from ehoks.kit.forms import is_form, read_form
from ehoks.kit.http import client_address
from ehoks.kit.policy import public
from ehoks.pipeline.run import handle_public
from ehoks.pipeline.unit import Unit

router = APIRouter(tags=["cas"])

NO_STORE: Final = {"Cache-Control": "no-store", "Pragma": "no-cache"}
TicketPath = Annotated[
    str,
    Path(
        max_length=64, description="A ticket-granting ticket, `TGT-…`, from POST /cas/v1/tickets."
    ),
]


@router.post(
    cas.TICKETS_PATH,
    dependencies=[public("CAS ticket endpoint (the credentials are checked here)")],
    summary="Get a CAS ticket-granting ticket (provider systems)",
    status_code=201,
    response_class=HTMLResponse,
    responses={
        201: {"description": "Created: the ticket's URL is in the Location header."},
        400: {"description": "The form lacks username or password."},
        401: {"description": "The user name or the password is wrong, or the client is disabled."},
        429: {"description": "too_many_attempts: too many failed attempts; see Retry-After."},
    },
)
async def create_granting_ticket(request: Request) -> Response:
    """Trade a system client's CAS user name and password (its client secret) for a
    ticket-granting ticket, sent as `application/x-www-form-urlencoded` fields `username` and
    `password`. The ticket's URL is in `Location`; POST `service=` to it for service tickets."""
    form = await _form(request)
    username = form.get("username", "").strip()
    password = form.get("password", "")
    if not username or not password:
        raise ApiError(400, "cas_credentials_missing")
    if len(username) > cas.USERNAME_MAX_LENGTH:
        raise ApiError(401, "cas_authentication_failed")

    address = client_address(request)

    def work(unit: Unit) -> str | None:
        return cas.grant(
            unit.session, unit.settings, username, password, address=address, now=unit.now
        )

    # Each check holds 16 MB of scrypt: only a few run at once (with the token endpoint's).
    async with _hash_slot(request):
        ticket = await handle_public(request, work)
    if ticket is None:
        raise ApiError(401, "cas_authentication_failed")
    location = cas.granting_ticket_url(request.app.state.settings, ticket)
    # A small form, as CAS answers, for people trying the protocol in a browser.
    body = (
        '<!DOCTYPE html><html lang="en"><head><title>Ticket-granting ticket created</title>'
        f'</head><body><form action="{location}" method="post"><label>service '
        '<input name="service"></label><button>Get a service ticket</button></form>'
        "</body></html>"
    )
    return HTMLResponse(body, status_code=201, headers={"Location": location, **NO_STORE})


@router.post(
    cas.TICKETS_PATH + "/{granting_ticket}",
    dependencies=[public("CAS ticket endpoint (the ticket-granting ticket is checked here)")],
    summary="Get a single-use CAS service ticket",
    response_class=PlainTextResponse,
    responses={
        200: {
            "description": "The service ticket, `ST-…`, as plain text.",
            "content": {"text/plain": {"schema": {"type": "string", "pattern": "^ST-"}}},
        },
        400: {"description": "`service` is missing or is not this service's URL."},
        404: {"description": "The ticket-granting ticket is unknown, expired or ended."},
    },
)
async def create_service_ticket(request: Request, granting_ticket: TicketPath) -> Response:
    """A service ticket for `service` (form field), which must be
    `{public base URL}/ehoks-virkailija-backend/cas-security-check`. Send it once, in the
    `ticket` header of one provider-API call, within the service ticket's lifetime."""
    form = await _form(request)
    service = form.get("service", "").strip()
    if not service:
        raise ApiError(400, "cas_service_missing")

    def work(unit: Unit) -> str:
        return cas.issue_service_ticket(
            unit.session, unit.settings, granting_ticket, service, unit.now
        )

    try:
        ticket = await handle_public(request, work)
    except cas.CasError as exc:
        if exc.reason == "unknown_service":
            raise ApiError(
                400,
                "cas_unknown_service",
                params={"service": cas.service_url(request.app.state.settings)},
            ) from None
        raise ApiError(404, "cas_unknown_ticket") from None
    return PlainTextResponse(ticket, headers=NO_STORE)


@router.delete(
    cas.TICKETS_PATH + "/{granting_ticket}",
    dependencies=[public("CAS ticket endpoint (ending a ticket needs the ticket)")],
    summary="End a CAS ticket-granting ticket",
    response_class=PlainTextResponse,
    responses={
        200: {
            "description": "Ended, with the service tickets it issued; the body is the ticket.",
            "content": {"text/plain": {"schema": {"type": "string", "pattern": "^TGT-"}}},
        },
        404: {"description": "The ticket-granting ticket is unknown."},
    },
)
async def end_granting_ticket(request: Request, granting_ticket: TicketPath) -> Response:
    """End a ticket-granting ticket (sign out): it and its service tickets stop working."""
    ended = await handle_public(request, lambda unit: cas.end(unit.session, granting_ticket))
    if not ended:
        raise ApiError(404, "cas_unknown_ticket")
    return PlainTextResponse(granting_ticket, headers=NO_STORE)


async def _form(request: Request) -> dict[str, str]:
    if not is_form(request):
        raise ApiError(415, "cas_form_expected")
    return await read_form(request)
