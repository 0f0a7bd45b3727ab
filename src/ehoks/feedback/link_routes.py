"""The provider API's legacy survey-link routes (national 3.1 #4 and #10): a provider's system
records a survey link it made for a HOKS, and later that its invitation went.

Matched before `/hoks/{hoks_id}` and the removed part routes, as in the national service.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from ehoks.feedback import recorded_links
from ehoks.hoks.routes import PREFIX, ClientUnit, HoksId, WriteClient
from ehoks.pipeline.run import handle, json_body

router = APIRouter(prefix=PREFIX, tags=["provider API"])


@router.patch(
    "/hoks/kyselylinkki",
    status_code=204,
    summary="Record that a survey link's invitation was sent",
    responses={
        204: {"description": "Recorded."},
        404: {"description": "`No kyselylinkki found`: no such link recorded for your HOKS."},
    },
)
async def update_survey_link(request: Request, subject: WriteClient) -> Response:
    """Body `{"kyselylinkki", "lahetyspvm", "sahkoposti", "lahetystila"?}`: the invitation of a
    link recorded with `POST /hoks/{id}/kyselylinkki` was sent on `lahetyspvm` to `sahkoposti`
    (`lahetystila` as herätepalvelu says it, e.g. `lahetetty`). Only links recorded from a
    provider system, of a HOKS the caller may write (write access)."""

    def work(unit: ClientUnit) -> None:
        recorded_links.update(unit.session, unit.access, unit.audit, body=unit.body, now=unit.now)

    await handle(request, subject, "update-survey-link", work, body=json_body)
    return Response(status_code=204)


@router.post(
    "/hoks/{hoks_id}/kyselylinkki",
    status_code=204,
    summary="Record a survey link made by your system",
    responses={
        204: {"description": "Recorded (or already recorded for this HOKS)."},
        409: {"description": "The link is recorded for another HOKS, or is this service's own."},
    },
)
async def record_survey_link(request: Request, hoks_id: HoksId, subject: WriteClient) -> Response:
    """Body `{"kyselylinkki", "alkupvm", "tyyppi", "lahetyspvm"?, "sahkoposti"?,
    "lahetystila"?}`: a student survey link your system made for this HOKS, open from `alkupvm`.
    `tyyppi` is `aloittaneet`, `tutkinnon_suorittaneet` or `tutkinnon_osia_suorittaneet`. The
    student then sees the link, and staff see it on the HOKS's feedback page (write access)."""

    def work(unit: ClientUnit) -> None:
        unit.audit.about(hoks_id=hoks_id)
        recorded_links.record(
            unit.session, unit.access, unit.audit, hoks_id=hoks_id, body=unit.body, now=unit.now
        )

    await handle(request, subject, "record-survey-link", work, body=json_body)
    return Response(status_code=204)
