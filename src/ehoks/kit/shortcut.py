"""A hot route's common case answered without FastAPI's dependency machinery.

FastAPI solves a route's dependencies on every request: the policy, the bearer scheme under it,
each path parameter validated by pydantic. On a read that does little else this was a sixth of
its CPU time. A route built with `shortcut_route(answer)` first offers the request to `answer`,
a plain coroutine that admits the caller itself (one call of the same policy function) and
parses only what it can parse exactly as the route's declared parameters would; for anything
else it returns None and the route runs as declared, dependencies and all. So every error
answer stays the declared route's own, and the route's declaration (its policy, its parameters,
its OpenAPI description) is unchanged.

Exceptions raised by `answer` are answered by the application's exception handlers, as those of
the route's own endpoint are.

`ShortcutsFirst` goes one step further for a shortcut route at a fixed address (no path
parameters): once FastAPI has routed a GET of that address to it, later GETs of the address are
offered to its `answer` before FastAPI's route search, which matches every included router's
routes in turn and the chosen router's again (0.3 ms of a staff search's CPU, 0.5 ms of a
students page's; bench/README.md). The route is the one FastAPI chose for that address, so
what routing gives the rest of the request stays: the route in the scope (the metrics' label,
a page route's error pages), the endpoint, the exception handlers (it runs inside them, as the
router does).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ClassVar, TypeGuard

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

Answer = Callable[[Request], Awaitable[Response | None]]


def shortcut_route(answer: Answer, base: type[APIRoute] = APIRoute) -> type[APIRoute]:
    """A route class whose requests `answer` serves when it can (see the module's docstring);
    `base`: the route class it is otherwise (a page router's, whose errors are pages)."""

    class ShortcutRoute(base):  # type: ignore[valid-type,misc]  # a class given at run time
        shortcut: ClassVar[Answer] = staticmethod(answer)

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            declared: Callable[[Request], Awaitable[Response]] = super().get_route_handler()

            async def handler(request: Request) -> Response:
                answered = await answer(request)
                if answered is not None:
                    return answered
                return await declared(request)

            return handler

    return ShortcutRoute


class ShortcutsFirst:
    """The router's own middleware: GETs of a fixed address that FastAPI routed to a shortcut
    route go to its `answer` first (see the module's docstring); anything else, and whatever
    `answer` leaves, is routed as always."""

    def __init__(self, app: ASGIApp, router: object) -> None:
        self.app = app
        self.router = router
        # Address -> the route FastAPI chose for it: only fixed addresses of shortcut routes,
        # so at most one entry each.
        self.known: dict[str, APIRoute] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        route = self.known.get(path)
        if route is not None:
            scope.setdefault("router", self.router)
            scope.update(endpoint=route.endpoint, path_params={}, route=route)
            answer: Answer = type(route).shortcut  # type: ignore[attr-defined]  # see _fixed_shortcut
            answered = await answer(Request(scope, receive, send))
            if answered is not None:
                await answered(scope, receive, send)
                return
        await self.app(scope, receive, send)
        chosen = scope.get("route")
        if route is None and _fixed_shortcut(chosen, path):
            self.known[path] = chosen


def _fixed_shortcut(route: object, path: str) -> TypeGuard[APIRoute]:
    """Whether `route` is a shortcut route whose address is exactly `path` (no parameters)."""
    return (
        isinstance(route, APIRoute)
        and hasattr(type(route), "shortcut")
        and route.path == path
        and not route.param_convertors
    )


def canonical_int(text: str, low: int, high: int) -> int | None:
    """`text` as an int if it is the plain decimal spelling of one in [low, high], else None
    (anything else is left to the declared parameter's own validation and error)."""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(high)) or text[0] == "0":
        return None
    value = int(text)
    return value if low <= value <= high else None
