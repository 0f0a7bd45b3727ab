"""Rendering a page: the template environment, the page's language and the values every page has.

The language of a page is, in order: an explicit choice (`?lang=` from the language switch,
remembered in a cookie for a year), the cookie, the browser's Accept-Language, Finnish.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode

from fastapi import Request
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from ehoks.config import Settings
from ehoks.kit import formatting
from ehoks.kit.assets import asset_url
from ehoks.kit.i18n import DEFAULT_LANG, LANG_NAMES, Lang, negotiate, parse_lang
from ehoks.kit.translations import Translator, translator

TEMPLATE_DIR: Final = Path(__file__).resolve().parent.parent.parent / "templates"
LANG_COOKIE: Final = "ehoks_lang"
LANG_PARAM: Final = "lang"
LANG_COOKIE_SECONDS: Final = 365 * 24 * 3600


@dataclass(frozen=True, slots=True)
class FieldError:
    """A form field's error: `field` is the input's id, `message` the text beside it."""

    field: str
    message: str


@dataclass(frozen=True, slots=True)
class LanguageLink:
    lang: str
    name: str
    href: str


# The language of the page being rendered, for the texts and formats of the templates' globals:
# macros imported from other templates see globals, not the page's own values.
_rendering: ContextVar[Lang] = ContextVar("rendering_lang", default=DEFAULT_LANG)


def _texts() -> Translator:
    return translator(_rendering.get())


def _gettext(text: str, **params: object) -> str:
    return _texts().gettext(text, **params)


def _ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    return _texts().ngettext(singular, plural, n, **params)


def _pgettext(context: str, text: str, **params: object) -> str:
    return _texts().pgettext(context, text, **params)


@cache
def environment() -> Environment:
    """The templates: `.html` autoescaped (`.txt`, e-mail text parts, are not)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(("html",), default_for_string=True, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(
        {
            "_": _gettext,
            "gettext": _gettext,
            "ngettext": _ngettext,
            "pgettext": _pgettext,
            "format_date": lambda value: formatting.format_date(value, _rendering.get()),
            "format_datetime": lambda value: formatting.format_datetime(value, _rendering.get()),
            "format_number": lambda value: formatting.format_number(value, _rendering.get()),
            "format_percent": lambda value: formatting.format_percent(value, _rendering.get()),
            "localised": lambda names, fallback="": formatting.localised(
                names, _rendering.get(), fallback
            ),
            "organisation_name": lambda names, oid: formatting.organisation_name(
                names, oid, _rendering.get()
            ),
            "asset_url": asset_url,
        }
    )
    return env


def render_template(template: str, values: Mapping[str, Any], lang: Lang) -> str:
    """A template rendered in `lang` (pages use `render`; e-mails call this directly)."""
    token = _rendering.set(lang)
    try:
        return environment().get_template(template).render(values)
    finally:
        _rendering.reset(token)


def page_lang(request: Request, chosen: str | None = None) -> Lang:
    """The page's language: `chosen` (a form's field), ?lang=, the cookie, the browser, Finnish.

    A form's choice holds for the rest of the request, its error page included.
    """
    from_form = parse_lang(chosen)
    if from_form is not None:
        request.state.page_lang = from_form
        return from_form
    return (
        getattr(request.state, "page_lang", None)
        or parse_lang(request.query_params.get(LANG_PARAM))
        or parse_lang(request.cookies.get(LANG_COOKIE))
        or negotiate(request.headers.get("accept-language"))
    )


def development_mode(settings: Settings) -> bool:
    """Whether pages carry the banner that says this is not the production service."""
    return settings.development_mode


def render(
    request: Request,
    template: str,
    values: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    lang: Lang | None = None,
) -> HTMLResponse:
    """The page `template` (a path under `ehoks/templates`) filled with `values`."""
    chosen = lang or page_lang(request)
    html = render_template(template, {**page_context(request, chosen), **(values or {})}, chosen)
    response = HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))
    _remember_choice(request, response, chosen)
    return response


def page_context(request: Request, lang: Lang) -> dict[str, Any]:
    """The values every page has besides its own (docs/pages.md lists them with the globals)."""
    settings: Settings = request.app.state.settings
    subject = getattr(request.state, "subject", None)
    return {
        "lang": lang.value,
        "language_links": language_links(request, lang),
        "development": development_mode(settings),
        "signed_in": subject is not None,
        "csrf_token": getattr(subject, "csrf_token", ""),
        "title": "",
        "errors": [],
    }


def language_links(request: Request, current: Lang) -> list[LanguageLink]:
    """This very page in each other language (the query kept, `lang` replaced)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != LANG_PARAM]
    return [
        LanguageLink(
            other.value,
            LANG_NAMES[other],
            f"{request.url.path}?{urlencode([*kept, (LANG_PARAM, other.value)])}",
        )
        for other in Lang
        if other is not current
    ]


def _remember_choice(request: Request, response: HTMLResponse, lang: Lang) -> None:
    asked = parse_lang(request.query_params.get(LANG_PARAM))
    if asked is None or asked is not lang or request.cookies.get(LANG_COOKIE) == lang.value:
        return
    settings: Settings = request.app.state.settings
    response.set_cookie(
        LANG_COOKIE,
        lang.value,
        max_age=LANG_COOKIE_SECONDS,
        path="/",
        httponly=True,
        secure=settings.cookie_secure,
        samesite="lax",
    )
