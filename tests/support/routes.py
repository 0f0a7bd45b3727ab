"""Enumerating every route of the application with its declared policy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from ehoks.kit.policy import route_policy


@dataclass(frozen=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    policies: tuple[str, ...]
    policy_calls: tuple[Any, ...] = ()  # the policy dependencies themselves


def _policies(dependant: Any) -> Iterator[str]:
    for dependency in dependant.dependencies:
        policy = route_policy(dependency.call)
        if policy is not None:
            yield policy
        yield from _policies(dependency)


def _policy_calls(dependant: Any) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        if route_policy(dependency.call) is not None:
            yield dependency.call
        yield from _policy_calls(dependency)


def all_routes(app: FastAPI) -> list[RouteInfo]:
    """Every HTTP route, whether mounted directly or through an included router."""
    found: list[RouteInfo] = []
    for route in app.routes:
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for context in contexts:
            dependant = getattr(context, "dependant", None)
            methods = getattr(context, "methods", None)
            if dependant is None or not methods:
                continue
            found.append(
                RouteInfo(
                    context.path,
                    frozenset(methods),
                    tuple(_policies(dependant)),
                    tuple(_policy_calls(dependant)),
                )
            )
    return found
