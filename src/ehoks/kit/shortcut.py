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
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

Answer = Callable[[Request], Awaitable[Response | None]]


def shortcut_route(answer: Answer, base: type[APIRoute] = APIRoute) -> type[APIRoute]:
    """A route class whose requests `answer` serves when it can (see the module's docstring);
    `base`: the route class it is otherwise (a page router's, whose errors are pages)."""

    class ShortcutRoute(base):  # type: ignore[valid-type,misc]  # a class given at run time
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            declared: Callable[[Request], Awaitable[Response]] = super().get_route_handler()

            async def handler(request: Request) -> Response:
                answered = await answer(request)
                if answered is not None:
                    return answered
                return await declared(request)

            return handler

    return ShortcutRoute


def canonical_int(text: str, low: int, high: int) -> int | None:
    """`text` as an int if it is the plain decimal spelling of one in [low, high], else None
    (anything else is left to the declared parameter's own validation and error)."""
    if not text.isascii() or not text.isdigit() or len(text) > len(str(high)) or text[0] == "0":
        return None
    value = int(text)
    return value if low <= value <= high else None
