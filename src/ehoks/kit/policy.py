"""Every route declares who may call it: a policy dependency, marked so that tests can see it.

`public` here, `system_client_policy` (provider systems) and `person_policy` (people with a
session) build dependencies that both admit the caller and mark the route with a readable
description, so a test can enumerate every route of the application and fail if one has no
declared policy (deny by default). What the admitted caller may then do to a HOKS, a student or
an organisation is decided by `ehoks.access.rules.Access`.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, params

POLICY_ATTRIBUTE = "__ehoks_policy__"


def mark(dependency: Any, description: str) -> Any:  # returns the same callable, marked
    """Mark `dependency` as a route policy described by `description`."""
    setattr(dependency, POLICY_ATTRIBUTE, description)
    return dependency


def public(reason: str) -> params.Depends:
    """Anyone may call: only for what holds no personal data (probes, docs, token endpoint)."""

    def _allow() -> None:
        return None

    marked: params.Depends = Depends(mark(_allow, f"public: {reason}"))
    return marked


def route_policy(dependency: Any) -> str | None:
    """The policy a dependency declares, if it is a policy dependency."""
    value = getattr(dependency, POLICY_ATTRIBUTE, None)
    return value if isinstance(value, str) else None
