"""Administration pages (`/ehoks-virkailija-ui/yllapito`): staff grants and system clients of the
chosen organisation, for its administrators. Every change is a form post (CSRF token in the
form) that the pipeline audits; a new client's secret is shown once, on the answer to its post,
and never again."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import Path, Request
from starlette.responses import RedirectResponse, Response

from ehoks.kit.errors import ApiError
from ehoks.kit.forms import read_form
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import FieldError, page_lang
from ehoks.kit.translations import translator
from ehoks.people.grants import GrantChange
from ehoks.pipeline.run import handle
from ehoks.staffpages import admin
from ehoks.staffpages.common import (
    PageValues,
    Staff,
    StaffForm,
    StaffUnit,
    page_of_organisation,
    staff_pages,
)
from ehoks.staffpages.paths import ADMIN

pages = staff_pages()
GRANTS: Final = f"{ADMIN}/oikeudet"
CLIENTS: Final = f"{ADMIN}/jarjestelmat"
ClientId = Annotated[str, Path(max_length=64, description="The system client's id.")]


async def _page(
    request: Request,
    subject: Staff | StaffForm,
    *,
    lang: Lang,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    def work(unit: StaffUnit, oid: str) -> PageValues:
        return {
            "admin": admin.administration(unit.session, unit.access, oid, unit.audit),
            "errors": [],
            "grant_form": {"organisation": oid, "role": "read"},
            "client_form": {"organisation": oid, "access": "write"},
            "created": None,
            **(extra or {}),
        }

    return await page_of_organisation(
        request,
        subject,
        "read-administration",
        "staff/admin.html",
        work,
        status_code=status_code,
        lang=lang,
    )


@pages.get(ADMIN, summary="Administration: staff grants and system clients")
async def administration(request: Request, subject: Staff, tehty: str = "") -> Response:
    return await _page(request, subject, lang=page_lang(request), extra={"done": tehty[:20]})


@pages.post(GRANTS, summary="Give a staff member a role (form)")
async def grant(request: Request, subject: StaffForm) -> Response:
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))
    fields = {
        "staff_oid": form.get("staff_oid", "").strip()[:64],
        "name": form.get("name", "").strip()[:200],
        "organisation": form.get("organisation", "").strip()[:64],
        "role": form.get("role", ""),
    }
    change = GrantChange(fields["staff_oid"], fields["organisation"], fields["role"])

    def work(unit: StaffUnit) -> None:
        admin.grant(
            unit.session, unit.access, unit.subject, unit.audit, change, name=fields["name"] or None
        )

    try:
        await handle(request, subject, "grant-role", work)
    except ApiError as error:
        if error.code != "grant_refused":
            raise
        message = translator(lang).gettext("Check the OID, the organisation and the role.")
        extra = {"errors": [FieldError("staff_oid", message)], "grant_form": fields}
        return await _page(request, subject, lang=lang, extra=extra, status_code=400)
    return RedirectResponse(f"{ADMIN}?tehty=grant&lang={lang.value}", status_code=303)


@pages.post(f"{GRANTS}/poista", summary="Take a role away (form)")
async def revoke(request: Request, subject: StaffForm) -> Response:
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))
    change = GrantChange(
        form.get("staff_oid", "")[:64], form.get("organisation", "")[:64], form.get("role", "")
    )

    def work(unit: StaffUnit) -> None:
        admin.revoke(unit.session, unit.access, unit.audit, change)

    await handle(request, subject, "revoke-role", work)
    return RedirectResponse(f"{ADMIN}?tehty=revoke&lang={lang.value}", status_code=303)


@pages.post(CLIENTS, summary="Create a system client (form)")
async def create_client(request: Request, subject: StaffForm) -> Response:
    """Answers with the administration page showing the new secret once."""
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))
    fields = {
        "name": form.get("client_name", "").strip()[:200],
        "organisation": form.get("client_organisation", "").strip()[:64],
        "access": form.get("access", ""),
    }

    def work(unit: StaffUnit) -> tuple[admin.ClientView, str]:
        return admin.create_client(
            unit.session,
            unit.access,
            unit.audit,
            name=fields["name"],
            organisation_oid=fields["organisation"],
            level=fields["access"],
        )

    try:
        result = await handle(request, subject, "create-client", work)
    except ApiError as error:
        if error.code != "client_refused":
            raise
        message = translator(lang).gettext(
            "Give the system a name, and choose its organisation and access."
        )
        extra = {"errors": [FieldError("client_name", message)], "client_form": fields}
        return await _page(request, subject, lang=lang, extra=extra, status_code=400)
    client, secret = result
    return await _page(
        request, subject, lang=lang, extra={"created": {"client": client, "secret": secret}}
    )


@pages.post(f"{CLIENTS}/{{client_id}}/poista", summary="Revoke a system client (form)")
async def disable_client(request: Request, client_id: ClientId, subject: StaffForm) -> Response:
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))

    def work(unit: StaffUnit) -> None:
        admin.disable_client(unit.session, unit.access, unit.audit, client_id)

    await handle(request, subject, "disable-client", work)
    return RedirectResponse(f"{ADMIN}?tehty=client-revoked&lang={lang.value}", status_code=303)
