"""Errors of page routes, as pages: the person's language, what happened, and a way forward.

Every page route gets this without doing anything: raise the service's `ApiError` (or let a
policy raise it) and `ehoks.kit.http` answers with `error_page` instead of the JSON error
contract. A browser that opens an address no route serves gets the 404 page too.
`templates/errors/error.html` holds the texts, one heading and explanation per status.
"""

from __future__ import annotations

from typing import Any, Final

from fastapi import Request
from starlette.responses import HTMLResponse

from ehoks.kit.errors import ApiError, message_for
from ehoks.kit.i18n import Lang
from ehoks.kit.pages.render import page_lang, render
from ehoks.kit.pages.routing import PageRoute, accepts_html, is_page_route
from ehoks.kit.pages.start import START_PAGES
from ehoks.kit.translations import N_, translator

# Codes whose own text speaks to API callers ("obtain a new access token"); the page's own
# explanation of the status says it better.
_GENERIC_CODES: Final = frozenset(
    {
        "not_found",
        "not_authenticated",
        "forbidden",
        "internal_error",
        "unknown_error",
        "method_not_allowed",
        "database_unavailable",
    }
)
_RETRYABLE: Final = frozenset({429, 500, 502, 503, 504})
# A role code among an error's parameters ("this action needs the {role} role"), in words on a
# page; the JSON error contract keeps the code.
_ROLE_WORDS: Final = {
    "read": N_("read"),
    "write": N_("write"),
    "delete": N_("delete"),
    "admin": N_("administer"),
}


def wants_page(request: Request) -> bool:
    """Whether an error of this request is answered with a page rather than JSON."""
    if is_page_route(request):
        return True
    return request.scope.get("route") is None and accepts_html(request)


def error_page(request: Request, error: ApiError, request_id: str) -> HTMLResponse:
    lang = page_lang(request)
    route = request.scope.get("route")
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    values = {
        "status": error.status,
        "detail": (
            None
            if error.code in _GENERIC_CODES
            else message_for(error.code, lang, _in_words(error.params, lang))
        ),
        "sign_in_url": route.sign_in_url(request) if isinstance(route, PageRoute) else "",
        "retry_url": here if request.method == "GET" and error.status in _RETRYABLE else "",
        "request_id": request_id,
        **_signed_in_as(request),
    }
    return render(
        request,
        "errors/error.html",
        values,
        status_code=error.status,
        headers=error.headers,
        lang=lang,
    )


def _signed_in_as(request: Request) -> dict[str, str]:
    """Who the request's session is, as the page names them: `signed_in_as` (the kind of
    person, "" for none), `signed_in_name` (the name, or an instructor's e-mail address) and
    `signed_in_start` (their own start page).
    A person refused a page (403) sees who they are signed in as, and their own way on."""
    subject = getattr(request.state, "subject", None)
    kind = str(getattr(subject, "kind", ""))
    if kind not in START_PAGES:
        return {"signed_in_as": "", "signed_in_name": "", "signed_in_start": ""}
    name = getattr(subject, "name", "") or getattr(subject, "email", "")
    return {"signed_in_as": kind, "signed_in_name": str(name), "signed_in_start": START_PAGES[kind]}


def _in_words(params: dict[str, Any], lang: Lang) -> dict[str, Any]:
    """An error's parameters for a page: a role code as the word for it in `lang`."""
    role = params.get("role")
    if not isinstance(role, str) or role not in _ROLE_WORDS:
        return params
    return {**params, "role": translator(lang).gettext(_ROLE_WORDS[role])}
