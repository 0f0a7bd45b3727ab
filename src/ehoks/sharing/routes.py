"""The national share-link routes (ehoks-api.md 3.10) with the checks the national service
lacks: only the plan's own student creates, reads, lists and deletes its links; anyone else's
link is not found. A link's content opens for others only through its secret address
(`sharing.pages`), never through these routes."""

from __future__ import annotations

from typing import Annotated, Any, Final

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from ehoks.access.subjects import StudentSubject, SubjectKind
from ehoks.kit.responses import Empty, Envelope, NoMeta, envelope
from ehoks.pipeline.callers import PendingPerson, person_policy
from ehoks.pipeline.run import handle, json_body
from ehoks.sharing import national, service
from ehoks.sharing.pages import SHARED
from ehoks.sharing.schemas import CreatedMeta, CreatedUri, ModuleShare, SharedPart

PREFIX: Final = "/ehoks-oppija-backend/api/v1/oppija/jaot"
router = APIRouter(prefix=PREFIX, tags=["student API: share links"])

Student = Annotated[
    PendingPerson[StudentSubject],
    person_policy(SubjectKind.STUDENT, description="student (oppija), own plans' links only"),
]
ShareId = Annotated[str, Path(max_length=36, description="The link's id (share-id).")]
ModuleId = Annotated[
    str, Path(max_length=36, description="A unit's, period's or demonstration's module-id.")
]


@router.post(
    "/jakolinkit",
    summary="Make a share link",
    response_model=Envelope[CreatedUri, CreatedMeta],
)
async def create_link(request: Request, subject: Student) -> Response:
    """A link to one unit of one of my plans (`hoks-eid`), or to one period
    (`osaamisenhankkiminen`) or demonstration (`osaamisenosoittaminen`) of it. The days are
    inclusive; without them the link is open from today for 30 days, at most a year.

    `meta.url` is the address that opens the link: it is in this answer only (the service
    keeps only a hash of its secret). Optional `kenelle` (whom it is for) and `yhteystiedot`
    (true: show my e-mail address and phone number) are this service's own.
    """

    def work(unit: service.StudentUnit) -> service.Created:
        return national.create(unit, unit.body)

    created = await handle(request, subject, service.CREATE, work, body=json_body)
    base = str(request.app.state.settings.public_base_url).rstrip("/")
    data = CreatedUri(uri=f"{request.url.path}/{created.link.id}")
    meta = CreatedMeta(uuid=created.link.id, url=f"{base}{SHARED}/{created.secret}")
    return envelope(data, meta)


@router.get(
    "/jakolinkit/{share_id}",
    summary="One of my share links",
    response_model=Envelope[SharedPart, NoMeta],
    responses={410: {"description": "withdrawn or ended"}, 423: {"description": "not open yet"}},
)
async def read_link(request: Request, share_id: ShareId, subject: Student) -> Response:
    """What the link shows, as the national body, and how often it was opened. 404 for a link
    of anyone else's plan; 423 before its first day; 410 after its last or once withdrawn."""

    def work(unit: service.StudentUnit) -> SharedPart:
        return national.read(unit, share_id)

    return envelope(await handle(request, subject, "share.read", work, read_only=True))


@router.delete(
    "/jakolinkit/{share_id}",
    summary="Withdraw one of my share links",
    response_model=Envelope[Empty, NoMeta],
)
async def delete_link(request: Request, share_id: ShareId, subject: Student) -> Response:
    """Withdraw the link at once (it stays in my list, as withdrawn). 404 for anyone else's."""

    def work(unit: service.StudentUnit) -> None:
        service.revoke(unit, share_id)

    await handle(request, subject, service.REVOKE, work)
    return envelope(Empty())


@router.get(
    "/moduulit/{module_id}",
    summary="My share links of one part of a plan",
    response_model=Envelope[list[ModuleShare], NoMeta],
)
async def module_links(request: Request, module_id: ModuleId, subject: Student) -> Response:
    """My links not withdrawn that show this unit, period or demonstration; an empty list when
    there are none (also for a part of anyone else's plan)."""

    def work(unit: service.StudentUnit) -> list[dict[str, Any]]:
        return national.of_module(unit, module_id)

    return envelope(await handle(request, subject, "share.list", work, read_only=True))
