"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import Field

from ehoks.kit.db.engine import reachable
from ehoks.kit.faults import database_unavailable
from ehoks.kit.http import JsonResponse
from ehoks.kit.policy import public
from ehoks.kit.responses import Wire, answer

router = APIRouter(tags=["health"])


class Status(Wire):
    status: str = Field(description="`ok` (up) or `ready` (can reach its database).")


@router.get("/healthz", dependencies=[public("liveness probe")], response_model=Status)
def healthz() -> JsonResponse:
    """The process is up."""
    return answer(Status(status="ok"))


@router.get("/readyz", dependencies=[public("readiness probe")], response_model=Status)
def readyz(request: Request) -> JsonResponse:
    """The process can reach its database; else 503 `database_unavailable` with Retry-After."""
    if not reachable(request.app.state.engine):
        raise database_unavailable()
    return answer(Status(status="ready"))
