"""The student (oppija) JSON API at the national paths (ehoks-api.md 3.9), plus `tapahtumat`.

A signed-in student reaches their own data only (403 for any other OID). Every route writes an
audit event, so the student's own reads appear in their access log too.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from ehoks.access.subjects import StudentSubject, SubjectKind
from ehoks.kit.responses import Envelope, NamedEnvelope, NoMeta, envelope
from ehoks.people import naming, student_service
from ehoks.people.schemas import AccessLogEntry, Document, OwnHoksMeta, StudentName
from ehoks.pipeline.callers import PendingPerson, person_policy
from ehoks.pipeline.run import handle
from ehoks.pipeline.unit import AuditedUnit

PREFIX = "/ehoks-oppija-backend/api/v1/oppija"
router = APIRouter(prefix=PREFIX, tags=["student API"])

Student = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="student (oppija), own data only"),
]
StudentUnit = AuditedUnit[StudentSubject]
OppijaOid = Annotated[str, Path(max_length=64, description="The student's own OID.")]


@router.get(
    "/oppijat/{oppija_oid}", summary="My name", response_model=Envelope[StudentName, NoMeta]
)
async def me(request: Request, oppija_oid: OppijaOid, subject: Student) -> Response:
    """`{oid, nimi}` from the person registry."""

    def work(unit: StudentUnit) -> dict[str, str]:
        return student_service.summary(unit.session, unit.access, oppija_oid, unit.audit)

    return envelope(StudentName(**await handle(request, subject, "read-student", work)))


@router.get(
    "/oppijat/{oppija_oid}/hoks",
    summary="My HOKS",
    response_model=NamedEnvelope[list[Document], OwnHoksMeta],
)
async def my_hoks(
    request: Request,
    *,
    oppija_oid: OppijaOid,
    subject: Student,
    nimet: Annotated[
        bool, Query(description="Also return `names` of every code and organisation.")
    ] = False,
) -> Response:
    """Every non-deleted HOKS of mine, in full but without the internal `id` (`eid` is kept).

    `meta.opiskeluoikeudet` names each HOKS's qualification and osaamisala in fi/sv/en. An empty
    list when there is none (the national service answers 404).
    """

    def work(unit: StudentUnit) -> tuple[student_service.OwnHoks, naming.Names | None]:
        own = student_service.own_hoks(unit.session, unit.access, oppija_oid, unit.audit)
        names = naming.names_in(unit.session, own.documents) if nimet else None
        return own, names

    own, names = await handle(request, subject, "read-hoks", work)
    return envelope(own.documents, {"opiskeluoikeudet": own.study_rights}, names=names)


@router.get(
    "/oppijat/{oppija_oid}/opiskeluoikeudet",
    summary="My study rights",
    response_model=Envelope[list[Document], NoMeta],
)
async def my_study_rights(request: Request, oppija_oid: OppijaOid, subject: Student) -> Response:
    """My study rights as Koski documents, from the local registry."""

    def work(unit: StudentUnit) -> list[dict[str, Any]]:
        return student_service.own_study_rights(unit.session, unit.access, oppija_oid, unit.audit)

    return envelope(await handle(request, subject, "read-study-rights", work))


@router.get(
    "/oppijat/{oppija_oid}/tapahtumat",
    summary="Who has handled my data",
    response_model=Envelope[list[AccessLogEntry], NoMeta],
)
async def my_access_log(request: Request, oppija_oid: OppijaOid, subject: Student) -> Response:
    """Every successful read and change of my data, newest first: time, operation, outcome,
    the organisation (OID and fi/sv/en name) and the role it acted in. Never a person's or a
    system's identity."""

    def work(unit: StudentUnit) -> list[AccessLogEntry]:
        return student_service.access_log(unit.session, unit.access, oppija_oid, unit.audit)

    return envelope(await handle(request, subject, "read-access-log", work))
