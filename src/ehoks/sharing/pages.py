"""The student's sharing pages under their plan, and the page a share link opens.

* `/ehoks/suunnittelu/{id}/jaot`: the plan's links (whom for, what, until when, opened when)
  and the form for a new one; a new link's address is shown once, on the answer to the form.
* `/ehoks/suunnittelu/{id}/jaot/{share-id}/peru`: revoke a link (a form post).
* `/jako/{secret}`: what the link shows, to anyone holding it, without signing in; never
  indexed, never cached; a revoked, expired or unknown link is a page saying so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Final

from fastapi import APIRouter, Path, Request
from starlette.responses import RedirectResponse, Response

from ehoks.access.subjects import StudentSubject, SubjectKind
from ehoks.kit.errors import ApiError, message_for
from ehoks.kit.forms import read_form
from ehoks.kit.http import client_address, request_id
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import FieldError, page_lang, page_router, render
from ehoks.kit.policy import public
from ehoks.pipeline.callers import PendingPerson, person_policy, session_form_policy
from ehoks.pipeline.run import handle, handle_public
from ehoks.sharing import service, views

PLAN: Final = "/ehoks/suunnittelu/{hoks_id}"
SHARES: Final = f"{PLAN}/jaot"
SHARED: Final = "/jako"
# Never in a search engine's index, never in a cache: the address is the secret.
PRIVATE_HEADERS: Final = {
    "X-Robots-Tag": "noindex, nofollow, noarchive",
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
}

router = APIRouter()
pages = page_router(sign_in="/auth/student/login?return_to={here}")
public_pages = page_router(sign_in="/")

Student = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="student (oppija), own plans only"),
]
StudentForm = Annotated[
    PendingPerson[StudentSubject],
    session_form_policy(
        SubjectKind.STUDENT, description="student, own plans only; CSRF token in the form"
    ),
]
ShareLinkHolder = public("the link's secret is its own credential; throttled per address")
HoksId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The plan's identifier.")]
ShareId = Annotated[str, Path(max_length=36, description="The link's id (share-id).")]
Secret = Annotated[str, Path(max_length=128, description="The link's secret.")]
FIELD_PATHS: Final = {
    "unit": "sisalto",
    "label": "kenelle",
    "valid_from": "alkaa",
    "valid_to": "paattyy",
}


async def _page(
    request: Request,
    subject: Student | StudentForm,
    hoks_id: int,
    lang: Lang,
    *,
    extra: Mapping[str, object] | None = None,
    status_code: int = 200,
) -> Response:
    def work(unit: service.StudentUnit) -> views.SharingPage:
        return views.sharing_page(unit, hoks_id, lang)

    found = await handle(request, subject, "share.list", work, read_only=True)
    values = {
        "page": found,
        "hoks_id": hoks_id,
        "form": {"sisalto": "", "kenelle": "", "alkaa": "", "paattyy": "", "yhteystiedot": ""},
        "created": None,
        "revoked": request.query_params.get("peruttu") == "1",
        **(extra or {}),
    }
    return render(request, "sharing/links.html", values, status_code=status_code, lang=lang)


@pages.get(SHARES, summary="My share links of a plan")
async def share_links(request: Request, hoks_id: HoksId, subject: Student) -> Response:
    """The plan's links: whom each is for, what it shows, its days, when it was opened."""
    return await _page(request, subject, hoks_id, page_lang(request))


@pages.post(SHARES, summary="Make a share link (form)")
async def make_link(request: Request, hoks_id: HoksId, subject: StudentForm) -> Response:
    """A new link: what (one unit, the prior competence, a summary), for whom, which days."""
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))
    fields = {name: form.get(name, "")[:300] for name in ("sisalto", "kenelle", "alkaa", "paattyy")}
    fields["yhteystiedot"] = "1" if form.get("yhteystiedot") == "1" else ""
    try:
        new = service.NewShare(
            chosen=views.chosen_from(fields["sisalto"], with_contacts=bool(fields["yhteystiedot"])),
            label=fields["kenelle"],
            valid_from=views.parse_day(fields["alkaa"], "alkaa"),
            valid_to=views.parse_day(fields["paattyy"], "paattyy"),
        )

        def work(unit: service.StudentUnit) -> service.Created:
            return service.create(unit, hoks_id, new, FIELD_PATHS)

        created = await handle(request, subject, service.CREATE, work)
    except ApiError as refused:
        if refused.status != 400 or not refused.violations:  # noqa: PLR2004
            raise
        errors = [
            FieldError(v.path, message_for(v.code, lang, v.params)) for v in refused.violations
        ]
        extra = {"form": fields, "errors": errors}
        return await _page(request, subject, hoks_id, lang, extra=extra, status_code=400)
    address = _address(request, created.secret)
    extra = {"created": {"url": address, "label": created.link.label}}
    return await _page(request, subject, hoks_id, lang, extra=extra, status_code=201)


@pages.post(f"{SHARES}/{{share_id}}/peru", summary="Revoke a share link (form)")
async def revoke_link(
    request: Request, hoks_id: HoksId, share_id: ShareId, subject: StudentForm
) -> Response:
    """Revoke a link at once: from now on it shows only that it was withdrawn."""
    form = await read_form(request)
    lang = page_lang(request, form.get("lang"))

    def work(unit: service.StudentUnit) -> int:
        link = service.revoke(unit, share_id)
        if link.hoks_id != hoks_id:
            raise ApiError(404, "share_link_not_found")
        return link.hoks_id

    await handle(request, subject, service.REVOKE, work)
    target = f"/ehoks/suunnittelu/{hoks_id}/jaot?peruttu=1&lang={lang.value}#links"
    return RedirectResponse(target, status_code=303)


@public_pages.get(
    f"{SHARED}/{{secret}}", summary="A shared part of a plan", dependencies=[ShareLinkHolder]
)
async def shared(request: Request, secret: Secret) -> Response:
    """What the student chose to show, to anyone with the link; a page saying why not when the
    link was withdrawn, has ended, has not started or never existed."""
    lang = page_lang(request)
    opening = service.Opening(secret, client_address(request), request_id(request), lang)
    opened = await handle_public(
        request, lambda unit: service.open_link(unit.session, opening, unit.now, unit.today)
    )
    headers = dict(PRIVATE_HEADERS)
    if opened.view is None:
        if opened.status == 429:  # noqa: PLR2004
            headers["Retry-After"] = (opened.params or {}).get("seconds", "60")
        values = {"status": opened.status, "reason": opened.refusal, "params": opened.params or {}}
        return render(
            request,
            "sharing/closed.html",
            values,
            status_code=opened.status,
            headers=headers,
            lang=lang,
        )
    return render(request, "sharing/shared.html", {"view": opened.view}, headers=headers, lang=lang)


def _address(request: Request, secret: str) -> str:
    base = str(request.app.state.settings.public_base_url).rstrip("/")
    return f"{base}{SHARED}/{secret}"


router.include_router(pages)
router.include_router(public_pages)
