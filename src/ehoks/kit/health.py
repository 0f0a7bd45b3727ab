"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from ehoks.kit.errors import ApiError
from ehoks.kit.http import JsonResponse
from ehoks.kit.policy import public

router = APIRouter(tags=["health"])


@router.get("/healthz", dependencies=[public("liveness probe")])
def healthz() -> JsonResponse:
    """The process is up."""
    return JsonResponse({"status": "ok"})


@router.get("/readyz", dependencies=[public("readiness probe")])
def readyz(request: Request) -> JsonResponse:
    """The process can reach its database."""
    try:
        with request.app.state.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        raise ApiError(503, "unknown_error") from exc
    return JsonResponse({"status": "ready"})
