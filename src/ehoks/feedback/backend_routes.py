"""The palaute backend's routes (ehoks-api.md 3.12) at `/ehoks-palaute-backend/api/v1`, at the
paths they were meant to have: the national two per-HOKS routes were declared without a slash
(`/opiskelijapalaute:hoks-id/...`) and could never be reached.

Each makes happen now what the worker would do on its next round, for what it names; the jobs
run through the worker's own handlers (`feedback.worker.on_demand`). Only a national system
with write access may call them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ehoks.access.subjects import SystemClientSubject
from ehoks.client.auth import system_client_policy
from ehoks.feedback import backend
from ehoks.feedback.schemas import Links, Sending, Sendings, Tunnukset
from ehoks.feedback.worker.on_demand import Outcome, Selection, run_now
from ehoks.feedback.worker.setup import build_context
from ehoks.kit.responses import Envelope, NoMeta, envelope
from ehoks.pipeline.run import handle, off_loop
from ehoks.pipeline.unit import AuditedUnit

PREFIX = "/ehoks-palaute-backend/api/v1"
router = APIRouter(prefix=PREFIX, tags=["palaute backend"])
NationalSystem = Annotated[
    SystemClientSubject,
    system_client_policy(
        write=True, description="provider system, write access (national root organisation only)"
    ),
]
HoksId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The HOKS id (`id`).")]
FeedbackId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The feedback's `id`.")]
HANDLE = "handle"
INVITE = "invite"


async def _run(
    request: Request, subject: SystemClientSubject, operation: str, selection: Selection
) -> list[Outcome]:
    """Authorise and audit the call, then run the selected jobs outside its transaction."""

    def work(unit: AuditedUnit[SystemClientSubject]) -> None:
        backend.authorise(
            unit.access, unit.audit, hoks_id=selection.hoks_id, feedback_id=selection.feedback_id
        )

    await handle(request, subject, operation, work)
    context = build_context(request.app.state.sessionmaker, request.app.state.settings)
    return await off_loop(run_now, context, selection, datetime.now(UTC))


def _sendings(outcomes: list[Outcome]) -> Sendings:
    return Sendings(
        lahetykset=[
            Sending(id=o.feedback_id, tila=o.state, viestin_tila=o.delivery) for o in outcomes
        ]
    )


def _post(path: str, summary: str, model: Any) -> Callable[[Any], Any]:
    return router.post(path, summary=summary, response_model=Envelope[model, NoMeta])


@_post(
    "/opiskelijapalaute/{hoks_id}/kyselylinkki", "Create the due survey links of a HOKS", Tunnukset
)
async def hoks_links(request: Request, hoks_id: HoksId, subject: NationalSystem) -> Response:
    """The HOKS's student surveys whose date has come get their links now; their Arvo ids."""
    selection = Selection(HANDLE, workplace=False, hoks_id=hoks_id)
    outcomes = await _run(request, subject, "palaute.create-links", selection)
    return envelope(Tunnukset(vastaajatunnukset=backend.tunnukset(outcomes)))


@_post("/opiskelijapalaute/{hoks_id}/kutsuviesti", "Send the due invitations of a HOKS", Sendings)
async def hoks_invitations(request: Request, hoks_id: HoksId, subject: NationalSystem) -> Response:
    """The HOKS's student surveys with a link and no invitation yet are sent now (inside the
    sending window; outside it they wait for its opening)."""
    selection = Selection(INVITE, workplace=False, hoks_id=hoks_id)
    outcomes = await _run(request, subject, "palaute.send-invitations", selection)
    return envelope(_sendings(outcomes))


@_post("/opiskelijapalaute/kyselylinkit", "Create every due survey link", Links)
async def all_links(request: Request, subject: NationalSystem) -> Response:
    """Student surveys whose date has come get their links now (at most 200 a call)."""
    outcomes = await _run(
        request, subject, "palaute.create-links", Selection(HANDLE, workplace=False)
    )
    return envelope(Links(kyselylinkit=backend.links(outcomes)))


@_post("/opiskelijapalaute/kutsuviestit", "Send every due invitation", Sendings)
async def all_invitations(request: Request, subject: NationalSystem) -> Response:
    """Student surveys with a link and no invitation yet are sent now (at most 200 a call)."""
    outcomes = await _run(
        request, subject, "palaute.send-invitations", Selection(INVITE, workplace=False)
    )
    return envelope(_sendings(outcomes))


@_post(
    "/tyoelamapalaute/{feedback_id}/vastaajatunnus", "Create one workplace feedback's id", Tunnukset
)
async def one_workplace(
    request: Request, feedback_id: FeedbackId, subject: NationalSystem
) -> Response:
    """A workplace feedback whose date has come gets its Arvo id now; `[]` for an unknown one
    or one not due."""
    selection = Selection(HANDLE, workplace=True, feedback_id=feedback_id)
    outcomes = await _run(request, subject, "palaute.create-workplace-ids", selection)
    return envelope(Tunnukset(vastaajatunnukset=backend.tunnukset(outcomes)))


@_post("/tyoelamapalaute/vastaajatunnukset", "Create every due workplace feedback id", Tunnukset)
async def all_workplace(request: Request, subject: NationalSystem) -> Response:
    """Workplace feedback whose date has come gets its Arvo ids now (at most 200 a call)."""
    outcomes = await _run(
        request, subject, "palaute.create-workplace-ids", Selection(HANDLE, workplace=True)
    )
    return envelope(Tunnukset(vastaajatunnukset=backend.tunnukset(outcomes)))
