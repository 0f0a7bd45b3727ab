"""Creating, reading, replacing, patching and deleting HOKS documents.

Services decide and validate; they never commit (the request does) and never see HTTP. Every
write runs the national registry checks (ehoks-api.md 5.1) against the local registries.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ehoks.access import organisations
from ehoks.access.policy import Ownership, Reach
from ehoks.audit.service import document_changes
from ehoks.hoks import identity
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.models import Hoks
from ehoks.hoksmodel import (
    PART_LISTS,
    Method,
    StudyRightFacts,
    Variant,
    stored_form,
    validate_hoks,
)
from ehoks.hoksmodel.formats import is_valid_opiskeluoikeus_oid, is_valid_oppija_oid
from ehoks.instructor.projection import add_periods_of_new, refresh_periods
from ehoks.kit.errors import ApiError, Violation, pointer
from ehoks.registry import repository as registry_repository
from ehoks.registry.models import Person, StudyRight

# Server-owned keys: they live in columns, not in the stored document.
COLUMN_KEYS = ("id", "eid", "manuaalisyotto")
_IDENTITY_KEYS = ("oppija-oid", "opiskeluoikeus-oid")
MAX_WRITE_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class Actor:
    """Who writes: recorded on the row and its history; decides the validation variant."""

    name: str
    reach: Reach
    variant: Variant = Variant.SERVICE

    @property
    def manual_entry(self) -> bool:
        return self.variant is Variant.STAFF


@dataclass(frozen=True, slots=True)
class StoredHoks:
    id: int
    eid: str
    revision: int
    manuaalisyotto: bool
    document: bytes  # the stored canonical document (GET shape without id/eid/manuaalisyotto)
    oppija_oid: str = ""
    # For a change: what changed, leaf by leaf ({path, old, new}); for the audit log.
    changes: list[dict[str, Any]] | None = None

    @property
    def etag(self) -> str:
        return f'"{self.revision}"'

    def full_json(self) -> bytes:
        """The GET representation, assembled without parsing the stored document again."""
        head = b'{"id":%d,"eid":%s,"manuaalisyotto":%s' % (
            self.id,
            orjson.dumps(self.eid),
            b"true" if self.manuaalisyotto else b"false",
        )
        body = self.document[1:]
        return head + (b"," + body if body != b"}" else body)

    def top_level(self) -> dict[str, Any]:
        document = orjson.loads(self.document)
        top = {"id": self.id, "eid": self.eid, "manuaalisyotto": self.manuaalisyotto}
        top.update({k: v for k, v in document.items() if k not in PART_LISTS})
        return top


def _stored(row: Hoks | hoks_repository.HoksView) -> StoredHoks:
    return StoredHoks(
        id=row.id,
        eid=row.eid,
        revision=row.revision,
        manuaalisyotto=row.manuaalisyotto,
        document=row.document.encode(),
        oppija_oid=row.oppija_oid,
    )


def study_right_facts(study_right: StudyRight) -> StudyRightFacts:
    return StudyRightFacts(
        oid=study_right.oid,
        tyyppi=study_right.tyyppi,
        alkamispaiva=study_right.alkamispaiva,
        arvioitu_paattymispaiva=study_right.arvioitu_paattymispaiva,
        latest_tila=study_right.latest_tila,
        suoritus_tyypit=frozenset(study_right.suoritus_tyypit or ()),
    )


def ownership_of_study_right(
    session: Session, study_right: StudyRight, *, procurement: bool = False
) -> Ownership:
    """Who owns a study right; with `procurement`, also who carries out procured training in it
    (one more query; procurement only ever grants reading)."""
    return _ownership(
        session,
        study_right.oppilaitos_oid,
        study_right.koulutustoimija_oid,
        oppija_oid=study_right.oppija_oid,
        procured_in=study_right.oid if procurement else None,
    )


def ownership_of_hoks(session: Session, row: Hoks, *, procurement: bool = False) -> Ownership:
    """Who owns a stored HOKS; with `procurement`, also who carries out procured training in it
    (one more query, needed only where staff may read through procurement)."""
    return _ownership(
        session,
        row.oppilaitos_oid,
        row.koulutustoimija_oid,
        oppija_oid=row.oppija_oid,
        procured_in=row.opiskeluoikeus_oid if procurement else None,
    )


def _ownership(
    session: Session,
    oppilaitos: str | None,
    koulutustoimija: str | None,
    *,
    oppija_oid: str | None,
    procured_in: str | None,
) -> Ownership:
    above: frozenset[str] = frozenset()
    for oid in (oppilaitos, koulutustoimija):
        if oid:
            above |= organisations.ancestors(session, oid)
    readers: frozenset[str] = frozenset()
    if procured_in:
        for contained in registry_repository.study_rights_contained_in(session, procured_in):
            for oid in (contained.oppilaitos_oid, contained.koulutustoimija_oid):
                if oid:
                    readers |= {oid} | organisations.ancestors(session, oid)
    return Ownership(oppilaitos, koulutustoimija, above, readers, oppija_oid)


# --- reading -------------------------------------------------------------------------------


def get_hoks(session: Session, hoks_id: int, actor: Actor) -> StoredHoks:
    """A HOKS the actor reaches; 404 alike for a missing one and one of another provider."""
    return _readable(session, hoks_repository.view(session, hoks_id), actor)


def get_hoks_by_study_right(session: Session, opiskeluoikeus_oid: str, actor: Actor) -> StoredHoks:
    return _readable(
        session, hoks_repository.view_by_study_right(session, opiskeluoikeus_oid), actor
    )


def _readable(session: Session, row: hoks_repository.HoksView | None, actor: Actor) -> StoredHoks:
    if row is None:
        raise ApiError(404, "hoks_not_found")
    owner = _ownership(
        session,
        row.oppilaitos_oid,
        row.koulutustoimija_oid,
        oppija_oid=row.oppija_oid,
        procured_in=None,
    )
    if not actor.reach(owner):
        raise ApiError(404, "hoks_not_found")
    return _stored(row)


# --- creating ------------------------------------------------------------------------------


def validate_new(session: Session, body: object, actor: Actor, today: date) -> dict[str, Any]:
    """Everything a create checks, without storing: the canonical document, or a 4xx."""
    study_right = _study_right_named_in(session, body)
    if study_right is not None and not actor.reach(ownership_of_study_right(session, study_right)):
        raise ApiError(403, "study_right_forbidden", params={"oid": study_right.oid})
    facts = study_right_facts(study_right) if study_right is not None else None
    result = validate_hoks(
        body, method=Method.POST, variant=actor.variant, study_right=facts, today=today
    )
    violations = list(result.violations)
    if isinstance(body, dict):
        violations += _registry_violations(session, body, study_right)
    if violations or result.document is None:
        raise _invalid(violations)
    return result.document


def create_hoks(
    session: Session, body: object, actor: Actor, *, today: date, now: datetime
) -> StoredHoks:
    document = validate_new(session, body, actor, today)
    oid = document["opiskeluoikeus-oid"]
    existing = hoks_repository.get_by_study_right(session, oid, include_deleted=True)
    if existing is not None:
        _raise_exists(existing)
    study_right = session.get(StudyRight, oid)
    assert study_right is not None  # validate_new reported a missing one  # noqa: S101
    stored = stored_form(document)
    for key in COLUMN_KEYS:
        stored.pop(key, None)
    identity.assign_new_ids(stored)
    eid = str(uuid.uuid4())
    new = hoks_repository.NewHoks(
        eid=eid,
        oppija_oid=stored["oppija-oid"],
        opiskeluoikeus_oid=oid,
        oppilaitos_oid=study_right.oppilaitos_oid,
        koulutustoimija_oid=study_right.koulutustoimija_oid,
        ensikertainen_hyvaksyminen=as_date(stored.get("ensikertainen-hyvaksyminen")),
        osaamisen_saavuttamisen_pvm=as_date(stored.get("osaamisen-saavuttamisen-pvm")),
        manuaalisyotto=actor.manual_entry,
        document=orjson.dumps(stored).decode(),
        actor=actor.name,
        now=now,
        sort_name=sort_name_of(session, stored["oppija-oid"]),
    )
    try:
        with session.begin_nested():
            hoks_id = hoks_repository.insert_hoks(session, new)
    except IntegrityError:
        # Another request created the HOKS for this study right between our check and insert.
        existing = hoks_repository.get_by_study_right(session, oid, include_deleted=True)
        if existing is None:
            raise
        _raise_exists(existing)
    add_periods_of_new(session, [(hoks_id, stored)])
    return StoredHoks(
        hoks_id, eid, 1, actor.manual_entry, new.document.encode(), oppija_oid=new.oppija_oid
    )


def _raise_exists(existing: Hoks) -> None:
    code = "hoks_archived" if existing.deleted_at is not None else "hoks_exists"
    raise ApiError(400, code, params={"oid": existing.opiskeluoikeus_oid, "id": existing.id})


def _study_right_named_in(session: Session, body: object) -> StudyRight | None:
    if not isinstance(body, dict):
        return None
    oid = body.get("opiskeluoikeus-oid")
    if not isinstance(oid, str) or not is_valid_opiskeluoikeus_oid(oid):
        return None
    return session.get(StudyRight, oid)


def _registry_violations(
    session: Session, body: dict[str, Any], study_right: StudyRight | None
) -> list[Violation]:
    """The checks against the person and study-right registries (ehoks-api.md 5.1)."""
    violations: list[Violation] = []
    oid = body.get("opiskeluoikeus-oid")
    if study_right is None:
        if isinstance(oid, str) and is_valid_opiskeluoikeus_oid(oid):
            violations.append(
                Violation("study_right_not_found", pointer("opiskeluoikeus-oid"), {"oid": oid})
            )
        return violations
    if study_right.contained_in_oid:
        violations.append(
            Violation(
                "study_right_contained",
                pointer("opiskeluoikeus-oid"),
                {"oid": study_right.oid, "parent": study_right.contained_in_oid},
            )
        )
    oppija = body.get("oppija-oid")
    if isinstance(oppija, str) and is_valid_oppija_oid(oppija):
        person = session.get(Person, oppija)
        if person is None:
            violations.append(
                Violation("student_not_found", pointer("oppija-oid"), {"oid": oppija})
            )
        elif not _same_person(session, oppija, study_right.oppija_oid):
            violations.append(
                Violation(
                    "study_right_not_of_student",
                    pointer("oppija-oid"),
                    {"oid": oppija, "study_right": study_right.oid},
                )
            )
    return violations


def _same_person(session: Session, oid: str, other: str) -> bool:
    return oid == other or _master(session, oid) == _master(session, other)


def sort_name_of(session: Session, oppija_oid: str) -> str:
    """The name staff lists sort a student by: "surname first names", lower-case."""
    person = session.get(Person, oppija_oid)
    if person is None:
        return ""
    return " ".join(n for n in (person.last_name, person.first_names) if n).lower()


def _master(session: Session, oid: str) -> str:
    person = session.get(Person, oid)
    return person.master_oid if person is not None and person.master_oid else oid


# --- replacing and patching ----------------------------------------------------------------


def replace_hoks(
    session: Session,
    hoks_id: int,
    body: object,
    actor: Actor,
    *,
    if_match: list[str] | None,
    today: date,
    now: datetime,
) -> StoredHoks:
    """PUT: the body becomes the whole document; omitted fields and parts are removed."""

    def change(row: Hoks, study_right: StudyRight | None) -> dict[str, Any]:
        facts = study_right_facts(study_right) if study_right is not None else None
        result = validate_hoks(
            body, method=Method.PUT, variant=actor.variant, study_right=facts, today=today
        )
        violations = list(result.violations)
        if isinstance(body, dict):
            violations += _read_only_violations(session, body, row, hoks_id)
        if result.document is not None:
            document = stored_form(result.document)
            for key in COLUMN_KEYS:
                document.pop(key, None)
            violations += identity.carry_over_ids(document, orjson.loads(row.document))
        if violations or result.document is None:
            raise _invalid(violations)
        for key in _IDENTITY_KEYS:  # identity is immutable: an omitted one stays as stored
            document.setdefault(key, _stored_value(row, key))
        return document

    return _write(session, hoks_id, actor, change, if_match=if_match, now=now, operation="replace")


def patch_hoks(
    session: Session,
    hoks_id: int,
    body: object,
    actor: Actor,
    *,
    if_match: list[str] | None,
    today: date,
    now: datetime,
) -> StoredHoks:
    """PATCH: only the given top-level fields change; parts are never touched."""

    def change(row: Hoks, study_right: StudyRight | None) -> dict[str, Any]:
        facts = study_right_facts(study_right) if study_right is not None else None
        result = validate_hoks(
            body, method=Method.PATCH, variant=actor.variant, study_right=facts, today=today
        )
        violations = list(result.violations)
        if isinstance(body, dict):
            violations += _read_only_violations(session, body, row, hoks_id)
        if violations or result.document is None:
            raise _invalid(violations)
        document: dict[str, Any] = orjson.loads(row.document)
        document.update({k: v for k, v in result.document.items() if k not in COLUMN_KEYS})
        return document

    return _write(session, hoks_id, actor, change, if_match=if_match, now=now, operation="patch")


def _read_only_violations(
    session: Session, body: dict[str, Any], row: Hoks, path_id: int
) -> list[Violation]:
    violations: list[Violation] = []
    body_id = body.get("id")
    if isinstance(body_id, int) and not isinstance(body_id, bool) and body_id != path_id:
        violations.append(
            Violation("id_mismatch", pointer("id"), {"body_id": body_id, "path_id": path_id})
        )
    eid = body.get("eid")
    if isinstance(eid, str) and eid != row.eid:
        violations.append(Violation("read_only_field", pointer("eid"), {"stored": row.eid}))
    manual = body.get("manuaalisyotto")
    if isinstance(manual, bool) and manual != row.manuaalisyotto:
        violations.append(
            Violation("read_only_field", pointer("manuaalisyotto"), {"stored": row.manuaalisyotto})
        )
    study_right = body.get("opiskeluoikeus-oid")
    if isinstance(study_right, str) and study_right != row.opiskeluoikeus_oid:
        violations.append(
            Violation(
                "study_right_immutable",
                pointer("opiskeluoikeus-oid"),
                {"stored": row.opiskeluoikeus_oid},
            )
        )
    oppija = body.get("oppija-oid")
    # The only allowed change of student is to the master OID the person register merged into.
    if (
        isinstance(oppija, str)
        and oppija != row.oppija_oid
        and oppija != _master(session, row.oppija_oid)
    ):
        violations.append(
            Violation("student_immutable", pointer("oppija-oid"), {"stored": row.oppija_oid})
        )
    return violations


def _stored_value(row: Hoks, key: str) -> str:
    return row.oppija_oid if key == "oppija-oid" else row.opiskeluoikeus_oid


ChangeFn = Callable[[Hoks, StudyRight | None], dict[str, Any]]


def _write(
    session: Session,
    hoks_id: int,
    actor: Actor,
    change: ChangeFn,
    *,
    if_match: list[str] | None,
    now: datetime,
    operation: str,
) -> StoredHoks:
    """Read, check, change and compare-and-set, retrying when another writer got there first.

    With If-Match the caller said which revision it changed, so a lost race is a 412 at once.
    Without it, the change is recomputed on the newer revision (it is still the whole intent of
    a PUT or the given fields of a PATCH), up to a few times.
    """
    for _attempt in range(MAX_WRITE_ATTEMPTS):
        row = hoks_repository.get(session, hoks_id)
        if row is None or not actor.reach(ownership_of_hoks(session, row)):
            raise ApiError(404, "hoks_not_found")
        study_right = session.get(StudyRight, row.opiskeluoikeus_oid)
        if if_match is not None and not _etag_matches(if_match, row.revision):
            raise _stale(row.revision)
        document = change(row, study_right)
        text = orjson.dumps(document).decode()
        updated = hoks_repository.HoksChange(
            document=text,
            oppija_oid=document.get("oppija-oid", row.oppija_oid),
            ensikertainen_hyvaksyminen=as_date(document.get("ensikertainen-hyvaksyminen")),
            osaamisen_saavuttamisen_pvm=as_date(document.get("osaamisen-saavuttamisen-pvm")),
            deleted_at=None,
            actor=actor.name,
            now=now,
            sort_name=sort_name_of(session, document["oppija-oid"])
            if document.get("oppija-oid", row.oppija_oid) != row.oppija_oid
            else None,
        )
        if hoks_repository.compare_and_set(session, row, updated, operation=operation):
            refresh_periods(session, row.id, document)
            return StoredHoks(
                row.id,
                row.eid,
                row.revision + 1,
                row.manuaalisyotto,
                text.encode(),
                oppija_oid=updated.oppija_oid,
                changes=document_changes(orjson.loads(row.document), document),
            )
        session.expire_all()
        if if_match is not None:
            current = hoks_repository.get(session, hoks_id, include_deleted=True)
            raise _stale(current.revision if current else row.revision + 1)
    raise ApiError(409, "concurrent_update")


def _etag_matches(if_match: list[str], revision: int) -> bool:
    return "*" in if_match or f'"{revision}"' in if_match


def _stale(current: int) -> ApiError:
    return ApiError(
        412, "precondition_failed", params={"current": current}, headers={"ETag": f'"{current}"'}
    )


# --- deleting ------------------------------------------------------------------------------


def soft_delete_hoks(session: Session, hoks_id: int, actor: Actor, *, now: datetime) -> StoredHoks:
    """Hide a HOKS everywhere but keep all of it (and its claim on the study right)."""
    return _set_deleted(session, hoks_id, actor, deleted_at=now, now=now, operation="delete")


def restore_hoks(session: Session, hoks_id: int, actor: Actor, *, now: datetime) -> StoredHoks:
    """Bring a soft-deleted HOKS back as it was."""
    return _set_deleted(session, hoks_id, actor, deleted_at=None, now=now, operation="restore")


def _set_deleted(
    session: Session,
    hoks_id: int,
    actor: Actor,
    *,
    deleted_at: datetime | None,
    now: datetime,
    operation: str,
) -> StoredHoks:
    row = hoks_repository.get(session, hoks_id, include_deleted=True)
    wanted_deleted = deleted_at is not None
    if row is None or not actor.reach(ownership_of_hoks(session, row)):
        raise ApiError(404, "hoks_not_found")
    if (row.deleted_at is not None) == wanted_deleted:
        if wanted_deleted:
            raise ApiError(404, "hoks_not_found")
        return _stored(row)
    change = hoks_repository.HoksChange(
        document=row.document,
        oppija_oid=row.oppija_oid,
        ensikertainen_hyvaksyminen=row.ensikertainen_hyvaksyminen,
        osaamisen_saavuttamisen_pvm=row.osaamisen_saavuttamisen_pvm,
        deleted_at=deleted_at,
        actor=actor.name,
        now=now,
    )
    if not hoks_repository.compare_and_set(session, row, change, operation=operation):
        raise ApiError(409, "concurrent_update")
    refresh_periods(session, row.id, None if wanted_deleted else orjson.loads(row.document))
    stored = _stored(row)
    return StoredHoks(
        stored.id,
        stored.eid,
        row.revision + 1,
        stored.manuaalisyotto,
        stored.document,
        oppija_oid=stored.oppija_oid,
    )


# --- helpers -------------------------------------------------------------------------------


def _invalid(violations: list[Violation]) -> ApiError:
    return ApiError(
        400, "validation_failed", params={"count": len(violations)}, violations=violations
    )


def as_date(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None
