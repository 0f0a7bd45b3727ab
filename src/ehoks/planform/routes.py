"""The staff's plan form: create a plan for a student, edit any plan (docs/staff-plan-form.md).

Pages under `/ehoks-virkailija-ui/`, for members with the write role (a member who may only
read gets 403). The form posts back to its own address: the "add" and "remove" buttons change
the form and show it again with everything typed kept, "Save" validates with the service's own
validator and stores a new revision. A save that finds the plan changed by someone else since
the form was opened shows the conflict page instead of overwriting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Final, TypeVar

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from ehoks.access.subjects import StaffSubject
from ehoks.hoks.stored import StoredHoks
from ehoks.kit.errors import ApiError
from ehoks.kit.forms import read_form
from ehoks.kit.i18n import Lang
from ehoks.kit.pages import page_lang, render
from ehoks.pipeline.callers import PendingPerson
from ehoks.pipeline.run import handle
from ehoks.planform import fields, service, views
from ehoks.staffpages.common import (
    HoksId,
    OppijaOid,
    Staff,
    StaffUnit,
    context_of,
    staff_form_policy,
    staff_pages,
)
from ehoks.staffpages.context import StaffContext

START: Final = "/ehoks-virkailija-ui"
MAX_FORM_BYTES: Final = 2_000_000
MAX_FIELDS: Final = 20_000
# The form's own fields beside the plan's: none of them is a key of the model.
CONTROLS: Final = frozenset({"lang", "csrf_token", "action", "revision"})

router = APIRouter(tags=["staff pages"])
pages = staff_pages()

StaffForm = Annotated[PendingPerson[StaffSubject], staff_form_policy((MAX_FORM_BYTES, MAX_FIELDS))]
T = TypeVar("T")


def _staffed(work: Callable[[StaffUnit], T]) -> Callable[[StaffUnit], tuple[T, StaffContext]]:
    """`work` with the member's context beside its result: the staff layout's navigation and
    organisation, as on every other staff page."""
    return lambda unit: (work(unit), context_of(unit))


def create_path(oppija_oid: str) -> str:
    return f"{START}/opiskelijat/{oppija_oid}/uusi-hoks"


def edit_path(oppija_oid: str, hoks_id: int) -> str:
    return f"{START}/opiskelijat/{oppija_oid}/hoks/{hoks_id}/muokkaa"


# --- creating ------------------------------------------------------------------------------


@pages.get(f"{START}/opiskelijat/{{oppija_oid}}/uusi-hoks", summary="The form for a new plan")
async def create_form(
    request: Request, oppija_oid: OppijaOid, subject: Staff, opiskeluoikeus: str | None = None
) -> Response:
    """An empty plan for the student, with the student's study rights to choose from;
    `opiskeluoikeus` (one of them, as the report of students without a plan links) is chosen
    already, with its qualification's units offered."""
    lang = page_lang(request)
    start, staff = await handle(
        request,
        subject,
        "plan-form.create.open",
        _staffed(lambda u: service.create_start(u, oppija_oid, lang, opiskeluoikeus)),
    )
    values = {"oppija-oid": oppija_oid}
    if opiskeluoikeus in {oid for oid, _name in start.study_rights}:
        values["opiskeluoikeus-oid"] = opiskeluoikeus
    return _form_page(request, lang, _create_view(start, values), staff)


@pages.post(f"{START}/opiskelijat/{{oppija_oid}}/uusi-hoks", summary="Save or change the new plan")
async def create_post(request: Request, oppija_oid: OppijaOid, subject: StaffForm) -> Response:
    """ "Add" and "remove" show the form again; "Save" creates the plan (or shows its errors)."""
    form = await _read(request)
    lang = page_lang(request, form.get("lang"))
    values = _plan_values(form)
    action = form.get("action", "")
    chosen = values.get("opiskeluoikeus-oid")
    start, staff = await handle(
        request,
        subject,
        "plan-form.create.open",
        _staffed(lambda u: service.create_start(u, oppija_oid, lang, chosen)),
    )
    if action != "save":
        return _form_page(request, lang, _create_view(start, _changed(values, action)), staff)
    document = fields.from_fields(values)
    try:
        stored = await handle(
            request, subject, "create-hoks", lambda u: service.create(u, oppija_oid, document)
        )
    except ApiError as error:
        view = _create_view(start, values)
        return _form_page(request, lang, views.with_error(view, error, lang), staff, status=400)
    return _saved(stored, oppija_oid, lang)


def _create_view(start: service.CreateStart, values: dict[str, str]) -> views.FormView:
    offered = {"opiskeluoikeus-oid": start.study_rights} if start.study_rights else {}
    return views.FormView(
        mode="create",
        oppija_oid=start.oppija_oid,
        action=create_path(start.oppija_oid),
        values=values,
        choices=start.choices,
        offered=offered,
    )


# --- editing -------------------------------------------------------------------------------


@pages.get(f"{START}/opiskelijat/{{oppija_oid}}/hoks/{{hoks_id}}/muokkaa", summary="Edit a plan")
async def edit_form(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: Staff, tallennettu: int = 0
) -> Response:
    """The stored plan in the form, at its current revision."""
    lang = page_lang(request)
    editing, staff = await handle(
        request,
        subject,
        "plan-form.edit.open",
        _staffed(lambda u: service.editable(u, oppija_oid, hoks_id, lang)),
    )
    view = _edit_view(oppija_oid, hoks_id, editing.revision, fields.to_fields(editing.document))
    _offer(view, editing)
    view.saved = bool(tallennettu)
    return _form_page(request, lang, view, staff)


@pages.post(f"{START}/opiskelijat/{{oppija_oid}}/hoks/{{hoks_id}}/muokkaa", summary="Save a plan")
async def edit_post(
    request: Request, oppija_oid: OppijaOid, hoks_id: HoksId, subject: StaffForm
) -> Response:
    """ "Add" and "remove" show the form again; "Save" stores a new revision if nobody else saved
    in between (else the conflict page); "Re-apply" puts the member's change on the latest."""
    form = await _read(request)
    lang = page_lang(request, form.get("lang"))
    values = _plan_values(form)
    action = form.get("action", "")
    revision = _revision(form)
    view = _edit_view(oppija_oid, hoks_id, revision, values)
    if action == "reapply":
        return await _reapply(request, subject, view, lang)
    if action != "save":
        view.values = _changed(values, action)
        staff = await _choices(request, subject, view, lang)
        return _form_page(request, lang, view, staff)
    document = fields.from_fields(values)
    try:
        stored = await handle(
            request,
            subject,
            "update-hoks",
            lambda u: service.save(u, oppija_oid, hoks_id, document, revision=revision),
        )
    except ApiError as error:
        if error.status == 412:  # noqa: PLR2004 - someone else saved since the form was opened
            return await _conflict(request, subject, view, lang)
        staff = await _choices(request, subject, view, lang)
        return _form_page(request, lang, views.with_error(view, error, lang), staff, status=400)
    return _saved(stored, oppija_oid, lang)


def _edit_view(
    oppija_oid: str, hoks_id: int, revision: int, values: dict[str, str]
) -> views.FormView:
    return views.FormView(
        mode="edit",
        oppija_oid=oppija_oid,
        action=edit_path(oppija_oid, hoks_id),
        values=values,
        revision=revision,
        hoks_id=hoks_id,
    )


async def _choices(
    request: Request, subject: Any, view: views.FormView, lang: Lang
) -> StaffContext:
    """The code lists and study rights into `view`, after checking again that the member may
    still change this plan; the member's context."""
    editing, staff = await handle(
        request,
        subject,
        "plan-form.edit.open",
        _staffed(lambda u: service.editable(u, view.oppija_oid, view.hoks_id or 0, lang)),
    )
    _offer(view, editing)
    return staff


def _offer(view: views.FormView, editing: service.Editing) -> None:
    """The plan's code lists, and its student's study rights by name instead of an OID field."""
    view.choices = editing.choices
    if editing.study_rights:
        view.offered = {"opiskeluoikeus-oid": editing.study_rights}


async def _conflict(request: Request, subject: Any, mine: views.FormView, lang: Lang) -> Response:
    """What the other person changed, what the member changed, and the way to re-apply."""
    found, staff = await _other_save(request, subject, mine, lang)
    page = views.conflict_view(mine, found, lang)
    values = {"conflict": page, "staff": staff}
    return render(request, "planform/conflict.html", values, status_code=409, lang=lang)


async def _reapply(request: Request, subject: Any, mine: views.FormView, lang: Lang) -> Response:
    """The form again, with the member's changes made on top of the latest version."""
    found, staff = await _other_save(request, subject, mine, lang)
    oppija_oid, hoks_id = mine.oppija_oid, mine.hoks_id or 0
    current = fields.to_fields(found.current.document)
    base = fields.to_fields(found.base) if found.base is not None else current
    view = _edit_view(
        oppija_oid, hoks_id, found.current.revision, fields.reapply(base, mine.values, current)
    )
    _offer(view, found.current)
    view.reapplied = True
    return _form_page(request, lang, view, staff)


async def _other_save(
    request: Request, subject: Any, mine: views.FormView, lang: Lang
) -> tuple[service.Conflict, StaffContext]:
    """The plan as someone else's save left it, and as it was when the member started editing."""
    return await handle(
        request,
        subject,
        "plan-form.conflict",
        _staffed(
            lambda u: service.conflict(
                u,
                mine.oppija_oid,
                mine.hoks_id or 0,
                base_revision=mine.revision,
                typed=fields.from_fields(mine.values),
                lang=lang,
            )
        ),
    )


# --- helpers -------------------------------------------------------------------------------


async def _read(request: Request) -> dict[str, str]:
    return await read_form(request, max_bytes=MAX_FORM_BYTES, max_fields=MAX_FIELDS)


def _plan_values(form: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in form.items() if name not in CONTROLS}


def _revision(form: dict[str, str]) -> int:
    raw = form.get("revision", "")
    if not raw.isdigit() or len(raw) > 9:  # noqa: PLR2004 - a revision is a 32-bit number
        raise ApiError(400, "invalid_form")
    return int(raw)


def _changed(values: dict[str, str], action: str) -> dict[str, str]:
    """The form after an "add" or "remove" button: what was typed, with the item added or gone."""
    document = fields.from_fields(values)
    if not fields.apply_action(document, action):
        return values
    return fields.to_fields(document)


def _form_page(
    request: Request, lang: Lang, view: views.FormView, staff: StaffContext, *, status: int = 200
) -> Response:
    page = views.build(view, lang)
    values = {"form": page, "errors": page.errors, "staff": staff}
    return render(request, "planform/form.html", values, status_code=status, lang=lang)


def _saved(stored: StoredHoks, oppija_oid: str, lang: Lang) -> Response:
    """After a save, the plan's edit form with a notice (a GET, so a reload saves nothing)."""
    target = f"{edit_path(oppija_oid, stored.id)}?tallennettu=1&lang={lang.value}"
    return RedirectResponse(target, status_code=303)


router.include_router(pages)
