"""Routes that answer with pages.

A page route differs from a JSON route in one way the rest of the service must know: when it
fails (an `ApiError` from a policy, a service or the route itself; a bad query parameter; an
unexpected exception), the person gets a page in their language with a way forward, never a
JSON body. The error handlers of `ehoks.kit.http` ask `is_page_route` which kind they serve.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.routing import APIRoute
from starlette.responses import HTMLResponse


class PageRoute(APIRoute):
    """A route answering with HTML; `sign_in` is where its 401 and 410 pages send people.

    `sign_in` may hold `{here}`, replaced by the address of the failed page (URL-encoded), so
    that sign-in can bring the person back: `/auth/student/login?return_to={here}`.
    """

    sign_in: ClassVar[str] = ""

    def sign_in_url(self, request: Request) -> str:
        if not self.sign_in:
            return ""
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return self.sign_in.format(here=quote(here, safe=""))


def page_router(*, sign_in: str = "", **options: Any) -> APIRouter:
    """A router for pages (kept out of the API description; HTML by default).

    Every route still declares its access policy as a dependency, exactly as JSON routes do.
    """
    route_class = type("PageRoute", (PageRoute,), {"sign_in": sign_in})
    options.setdefault("include_in_schema", False)
    options.setdefault("default_response_class", HTMLResponse)
    return APIRouter(route_class=route_class, **options)


def is_page_route(request: Request) -> bool:
    return isinstance(request.scope.get("route"), PageRoute)


def accepts_html(request: Request) -> bool:
    """A browser's navigation asks for HTML first; API clients ask for JSON or anything."""
    return "text/html" in request.headers.get("accept", "")
