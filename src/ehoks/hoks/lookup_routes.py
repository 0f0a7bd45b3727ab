"""Two national provider-API lookups: a learning period by its id, and a HOKS's procured
training. They sit on their own router, matched before `/hoks/{hoks_id}` and the removed part
routes, as the national service matches them first."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ehoks.hoks import service
from ehoks.hoks.routes import PREFIX, ClientUnit, HoksId, ReadClient
from ehoks.hoks.schemas import ProcuredStudyRights
from ehoks.kit.http import JsonResponse
from ehoks.kit.responses import envelope
from ehoks.pipeline.run import handle

router = APIRouter(prefix=PREFIX, tags=["provider API"])

PeriodId = Annotated[
    UUID,
    Path(description="The learning period's `module-id`, as a GET of its HOKS returns it."),
]


@router.get(
    "/hoks/osaamisen-hankkimistapa/{module_id}",
    summary="Read one learning period (osaamisen hankkimistapa)",
    responses={
        200: {
            "description": "The learning period, as in its HOKS.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        404: {"description": "No learning period with this id in a HOKS the caller may read."},
    },
)
async def learning_period(request: Request, module_id: PeriodId, subject: ReadClient) -> Response:
    """A learning period by its `module-id`. The national service takes its own database id,
    which it never shows otherwise; this service's stable id of a part is its `module-id`."""

    def work(unit: ClientUnit) -> dict[str, object]:
        return service.learning_period(unit.session, str(module_id), _actor(unit))

    period = await handle(request, subject, "hoks.read", work, read_only=True)
    return envelope(period)


@router.get(
    "/hoks/{hoks_id}/hankintakoulutukset",
    summary="The procured-training study rights of a HOKS",
    response_model=ProcuredStudyRights,
)
async def procured_training(request: Request, hoks_id: HoksId, subject: ReadClient) -> Response:
    """The OIDs of the study rights of procured training contained in the HOKS's study right
    (Koski's `sisältyyOpiskeluoikeuteen`), as a bare JSON list as in the national service."""

    def work(unit: ClientUnit) -> list[str]:
        unit.audit.about(hoks_id=hoks_id)
        return service.procured_study_rights(unit.session, hoks_id, _actor(unit))

    return JsonResponse(await handle(request, subject, "hoks.read", work, read_only=True))


def _actor(unit: ClientUnit) -> service.Actor:
    return service.Actor(access=unit.access, audit=unit.audit)
