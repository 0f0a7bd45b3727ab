"""Creating and editing a plan through the form: who may, what the form starts from, saving.

The writes are the staff API's own (`people.staff_service`, `hoks.writes`): the same access
decision, the same validator and registry checks, the same history. A plan sent in by a
provider's system is edited like any other (the national service allows only plans created in
its own user interface). Saving always names the revision the member started from (If-Match),
so a change made by someone else in between is never overwritten silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from ehoks.access.decision import Action
from ehoks.access.rules import IMPLIED
from ehoks.access.subjects import Role, StaffSubject
from ehoks.audit.scope import AuditScope
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks import writes as hoks_writes
from ehoks.hoks.stored import StoredHoks, ownership
from ehoks.kit.errors import ApiError
from ehoks.kit.i18n import Lang
from ehoks.people import staff_service
from ehoks.pipeline.unit import AuditedUnit
from ehoks.planform import codes
from ehoks.planview.names import names_for
from ehoks.planview.values import Names
from ehoks.registry import names as registry_names
from ehoks.registry import repository as registry_repository

StaffUnit = AuditedUnit[StaffSubject]


def may_create(subject: StaffSubject) -> bool:
    """Whether the member holds the write role anywhere: only then is there a form to fill."""
    return any(Role.WRITE in IMPLIED[grant.role] for grant in subject.grants)


def require_creator(subject: StaffSubject, audit: AuditScope) -> None:
    if not may_create(subject):
        audit.about(refused="no write role")
        raise ApiError(403, "forbidden")


@dataclass(frozen=True, slots=True)
class CreateStart:
    """What the create form offers: the student's study rights that the member reaches."""

    oppija_oid: str
    study_rights: list[tuple[str, str]]  # (study right OID, its qualification's name)
    choices: dict[str, codes.Choices]


def create_start(
    unit: StaffUnit, oppija_oid: str, lang: Lang, chosen: str | None = None
) -> CreateStart:
    """The student (404 unless the member reaches them) and their study rights, for the form;
    the units offered are those of the qualification of `chosen`, one of those study rights."""
    require_creator(unit.subject, unit.audit)
    offered = _study_rights(unit, oppija_oid, lang)
    study_right = chosen if chosen in {oid for oid, _ in offered} else None
    return CreateStart(oppija_oid, offered, codes.choices(unit.session, lang, study_right))


def _study_rights(unit: StaffUnit, oppija_oid: str, lang: Lang) -> list[tuple[str, str]]:
    """The student's study rights the member reaches, each with its qualification's name."""
    session = unit.session
    documents = staff_service.study_rights(session, unit.access, oppija_oid, unit.audit)
    offered: list[tuple[str, str]] = []
    for document in documents:
        oid = document.get("oid")
        if not isinstance(oid, str):
            continue
        row = registry_repository.get_study_right(session, oid)
        names = registry_names.study_right_names(row).get("tutkinto") if row else None
        offered.append((oid, f"{registry_names.pick(names, lang.value, oid)} ({oid})"))
    return offered


def create(unit: StaffUnit, oppija_oid: str, document: dict[str, Any]) -> StoredHoks:
    """A new plan for the student: the staff API's create, with the student from the address."""
    require_creator(unit.subject, unit.audit)
    body = {**document, "oppija-oid": document.get("oppija-oid") or oppija_oid}
    return staff_service.create_hoks(
        unit.session, unit.access, oppija_oid, body, unit.audit, today=unit.today, now=unit.now
    )


@dataclass(frozen=True, slots=True)
class Editing:
    """A plan as the edit form starts from it: the stored document and its revision."""

    stored: StoredHoks
    document: dict[str, Any]
    choices: dict[str, codes.Choices]
    # The student's study rights by name, offered in place of typing an OID.
    study_rights: list[tuple[str, str]]

    @property
    def revision(self) -> int:
        return self.stored.revision


def editable(unit: StaffUnit, oppija_oid: str, hoks_id: int, lang: Lang) -> Editing:
    """The plan, if the member may change it: 404 if they may not read it, 403 if only read."""
    session, access, audit = unit.session, unit.access, unit.audit
    stored = staff_service.read_hoks(session, access, oppija_oid, hoks_id, audit)
    row = hoks_repository.view(session, hoks_id)
    if row is None:
        raise ApiError(404, "hoks_not_found")
    decision = access.hoks(ownership(row), Action.WRITE)
    audit.decided(decision)
    decision.enforce()
    document = orjson.loads(stored.document)
    study_right = document.get("opiskeluoikeus-oid")
    choices = codes.choices(session, lang, study_right if isinstance(study_right, str) else None)
    return Editing(stored, document, choices, _study_rights(unit, oppija_oid, lang))


def save(
    unit: StaffUnit, oppija_oid: str, hoks_id: int, document: dict[str, Any], *, revision: int
) -> StoredHoks:
    """Replace the plan with the form's document, if it is still at `revision` (else 412)."""
    body = {**document, "id": hoks_id}
    change = hoks_writes.Change(hoks_id, body, [f'"{revision}"'], unit.today, unit.now)
    return staff_service.change_hoks(
        unit.session,
        unit.access,
        oppija_oid,
        change,
        write=hoks_writes.replace_hoks,
        audit=unit.audit,
    )


@dataclass(frozen=True, slots=True)
class Conflict:
    """Someone saved the plan after the member opened it: the revision they started from, the
    revision now stored, and both documents."""

    base: dict[str, Any] | None  # None: that revision is no longer in the history
    current: Editing
    names: Names  # every code and organisation of both, and of what the member typed, by name


def conflict(
    unit: StaffUnit,
    oppija_oid: str,
    hoks_id: int,
    *,
    base_revision: int,
    typed: dict[str, Any],
    lang: Lang,
) -> Conflict:
    """The plan as it is now (the member must still be allowed to change it) and as it was at
    the revision the member started from."""
    session = unit.session
    current = editable(unit, oppija_oid, hoks_id, lang)
    base = next(
        (
            orjson.loads(row.document)
            for row in hoks_repository.revisions(session, hoks_id)
            if row.revision == base_revision
        ),
        None,
    )
    documents = [current.document, typed, *([base] if base is not None else [])]
    return Conflict(base, current, names_for(session, documents, set()))
