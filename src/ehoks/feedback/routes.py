"""Feedback at the national paths: the student's open survey links (3.9 #12), a HOKS's student
surveys for staff (3.4 #8) and sending an invitation again (3.4 #7).

Differences from the national service, on purpose: sending again needs the write role (the
national route asks only for read), and answers with an error when there is no open survey of
that type (the national one quietly marks a legacy row).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ehoks.access.subjects import StaffSubject, StudentSubject, SubjectKind
from ehoks.feedback import service
from ehoks.feedback.schemas import Resent, StudentFeedback
from ehoks.kit.responses import Envelope, NoMeta, envelope
from ehoks.pipeline.callers import PendingPerson, person_policy
from ehoks.pipeline.run import handle, json_body
from ehoks.pipeline.unit import AuditedUnit

router = APIRouter(tags=["feedback"])

STUDENT = "/ehoks-oppija-backend/api/v1/oppija"
STAFF = "/ehoks-virkailija-backend/api/v1/virkailija"
Student = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="student (oppija), own data only"),
]
Staff = Annotated[
    PendingPerson[StaffSubject],
    person_policy(SubjectKind.STAFF, description="staff member (virkailija) with a session"),
]
OppijaOid = Annotated[str, Path(max_length=64, description="The student's OID.")]
HoksId = Annotated[int, Path(ge=1, le=2_147_483_647, description="The HOKS id (`id`).")]


@router.get(
    STUDENT + "/oppijat/{oppija_oid}/kyselylinkit",
    summary="My open survey links",
    response_model=Envelope[list[str], NoMeta],
)
async def my_survey_links(request: Request, oppija_oid: OppijaOid, subject: Student) -> Response:
    """The addresses of my surveys that are open today: made, not answered, not expired."""

    def work(unit: AuditedUnit[StudentSubject]) -> list[str]:
        return service.student_links(unit.session, unit.access, oppija_oid, unit.audit, unit.today)

    return envelope(await handle(request, subject, "read-survey-links", work))


@router.get(
    STAFF + "/oppijat/{oppija_oid}/hoksit/{hoks_id}/opiskelijapalaute",
    summary="A HOKS's student surveys",
    response_model=Envelope[list[StudentFeedback], NoMeta],
)
async def student_feedback(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """The start and end surveys of the HOKS that were not ruled out: type, state and why,
    dates, the last invitation's delivery state and every event. Never the link itself, the
    answer, nor Arvo's id (read role)."""

    def work(unit: AuditedUnit[StaffSubject]) -> list[StudentFeedback]:
        return service.staff_view(unit.session, unit.access, oppija_oid, hoks_id, unit.audit)

    return envelope(await handle(request, subject, "read-feedback", work))


@router.post(
    STAFF + "/oppijat/{oppija_oid}/hoksit/{hoks_id}/resend-palaute",
    summary="Send a survey invitation again",
    response_model=Envelope[Resent, NoMeta],
)
async def resend_feedback(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff
) -> Response:
    """Body `{"tyyppi": "aloittaneet" | "tutkinnon_suorittaneet" |
    "tutkinnon_osia_suorittaneet"}`. Queues the invitation of the open survey of that type to
    the address now in the HOKS, and answers with that address (write role)."""

    def work(unit: AuditedUnit[StaffSubject]) -> Resent:
        email = service.resend(
            unit.session,
            unit.access,
            oppija_oid=oppija_oid,
            hoks_id=hoks_id,
            body=unit.body,
            audit=unit.audit,
            now=unit.now,
            today=unit.today,
        )
        return Resent(sahkoposti=email)

    return envelope(await handle(request, subject, "resend-palaute", work, body=json_body))
