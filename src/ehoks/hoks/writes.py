"""Creating, replacing, patching, deleting and restoring HOKS.

Every write runs the national registry checks (ehoks-api.md 5.1) against the local registries
(fetching a missing or stale study right first when Koski is `http`: `ehoks.registry.fetching`),
decides access once on the row it changes, keeps the history, and tells the "HOKS written"
listeners (`ehoks.hoks.hooks`) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy.orm import Session

from ehoks.access.decision import Action
from ehoks.audit.service import document_changes
from ehoks.hoks import checks, identity
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks.hooks import HOKS_WRITTEN, HoksWritten, Operation
from ehoks.hoks.models import Hoks
from ehoks.hoks.service import Actor, authorise
from ehoks.hoks.stored import COLUMN_KEYS, StoredHoks, as_date
from ehoks.hoksmodel import Method, validate_hoks
from ehoks.hoksmodel import stored_form as canonical_stored_form
from ehoks.kit.errors import ApiError, Violations
from ehoks.kit.ids import new_id
from ehoks.registry import repository as registry_repository
from ehoks.registry.directory import study_right_ownership
from ehoks.registry.fetching import study_right_for_write

MAX_WRITE_ATTEMPTS = 3


# --- creating ------------------------------------------------------------------------------


def validate_new(
    session: Session, body: object, actor: Actor, today: date, *, check_only: bool = False
) -> dict[str, Any]:
    """Everything a create checks, without storing: the canonical document, or a 4xx.

    The study right must be one the caller may write (`check_only`: may read, as when a
    read-only provider system validates a document); a study right of another provider and one
    that does not exist get the same 403. Then the document, then the registries.
    """
    oid, study_right = checks.study_right_named_in(session, body)
    if oid is not None:
        owner = study_right_ownership(study_right) if study_right is not None else None
        action = Action.READ if check_only else Action.WRITE
        decision = actor.access.create_hoks(oid, owner, action)
        if actor.audit is not None:
            actor.audit.decided(decision)
        decision.enforce()
    result = validate_hoks(
        body,
        method=Method.POST,
        variant=actor.variant,
        study_right=checks.study_right_facts(study_right),
        today=today,
    )
    violations = result.found()
    if isinstance(body, dict) and study_right is not None:
        violations.extend(checks.registry_violations(session, body, study_right))
    if violations or result.document is None:
        raise checks.invalid(violations)
    return result.document


def new_row(
    session: Session, document: dict[str, Any], actor: Actor, now: datetime
) -> tuple[hoks_repository.NewHoks, dict[str, Any]]:
    """The row of a validated new document, and the document as stored (new part ids)."""
    stored = _stored_form(document, new_id=identity.new_module_id)
    study_right = registry_repository.get_study_right(session, stored["opiskeluoikeus-oid"])
    row = hoks_repository.NewHoks(
        eid=new_id(),
        oppija_oid=stored["oppija-oid"],
        opiskeluoikeus_oid=stored["opiskeluoikeus-oid"],
        oppilaitos_oid=study_right.oppilaitos_oid if study_right else None,
        koulutustoimija_oid=study_right.koulutustoimija_oid if study_right else None,
        ensikertainen_hyvaksyminen=as_date(stored.get("ensikertainen-hyvaksyminen")),
        osaamisen_saavuttamisen_pvm=as_date(stored.get("osaamisen-saavuttamisen-pvm")),
        manuaalisyotto=actor.manual_entry,
        document=orjson.dumps(stored).decode(),
        actor=actor.name,
        now=now,
        sort_name=checks.sort_name_of(session, stored["oppija-oid"]),
    )
    return row, stored


def written_new(row: hoks_repository.NewHoks, hoks_id: int, stored: dict[str, Any]) -> HoksWritten:
    """What the listeners hear of a created HOKS."""
    return HoksWritten(
        hoks_id=hoks_id,
        operation=Operation.CREATE,
        oppija_oid=row.oppija_oid,
        opiskeluoikeus_oid=row.opiskeluoikeus_oid,
        document=stored,
        previous=None,
        actor=row.actor,
        at=row.now,
    )


def create_hoks(
    session: Session, body: object, actor: Actor, *, today: date, now: datetime
) -> StoredHoks:
    document = validate_new(session, body, actor, today)
    oid = document["opiskeluoikeus-oid"]
    existing = hoks_repository.get_by_study_right(session, oid, include_deleted=True)
    if existing is not None:
        raise _exists(existing)
    new, stored = new_row(session, document, actor, now)
    created = hoks_repository.insert_hoks(session, new)
    if created is None:
        # Another request created the HOKS for this study right between our check and insert.
        existing = hoks_repository.get_by_study_right(session, oid, include_deleted=True)
        if existing is None:
            raise ApiError(409, "concurrent_update")
        raise _exists(existing)
    HOKS_WRITTEN.notify(session, [written_new(new, created.id, stored)])
    return StoredHoks.of(created)


def existing_error(row: Hoks) -> ApiError:
    """The refusal of a second HOKS for a study right (one per study right, ever)."""
    return _exists(row)


def _exists(existing: Hoks) -> ApiError:
    code = "hoks_archived" if existing.deleted_at is not None else "hoks_exists"
    return ApiError(400, code, params={"oid": existing.opiskeluoikeus_oid, "id": existing.id})


def _stored_form(document: dict[str, Any], new_id: identity.NewId | None = None) -> dict[str, Any]:
    stored = canonical_stored_form(document, new_id)
    for key in COLUMN_KEYS:
        stored.pop(key, None)
    return stored


# --- replacing and patching ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    """A PUT or PATCH of one HOKS: the body, the ETags it was based on, the request's clock."""

    hoks_id: int
    body: object
    if_match: list[str] | None
    today: date
    now: datetime
    # Nothing is written when the result says what the stored document says, the parts' ids
    # aside (the idempotent upsert): no revision, no history, no listeners.
    skip_unchanged: bool = False


def replace_hoks(session: Session, change: Change, actor: Actor) -> StoredHoks:
    """PUT: the body becomes the whole document; omitted fields and parts are removed."""

    def replaced(row: Hoks) -> dict[str, Any]:
        result, violations = _validated(session, change, row, actor, Method.PUT)
        document = _stored_form(result) if result is not None else {}
        if result is not None:
            violations.extend(identity.carry_over_ids(document, orjson.loads(row.document)))
        if violations or result is None:
            raise checks.invalid(violations)
        # Identity is immutable: an omitted one stays as stored.
        document.setdefault("oppija-oid", row.oppija_oid)
        document.setdefault("opiskeluoikeus-oid", row.opiskeluoikeus_oid)
        return document

    return _write(session, change, actor, replaced, Operation.REPLACE)


def patch_hoks(session: Session, change: Change, actor: Actor) -> StoredHoks:
    """PATCH: only the given top-level fields change; parts are never touched."""

    def patched(row: Hoks) -> dict[str, Any]:
        result, violations = _validated(session, change, row, actor, Method.PATCH)
        if violations or result is None:
            raise checks.invalid(violations)
        document: dict[str, Any] = orjson.loads(row.document)
        document.update({k: v for k, v in result.items() if k not in COLUMN_KEYS})
        return document

    return _write(session, change, actor, patched, Operation.PATCH)


# hoks_writes.replace_hoks (PUT) or hoks_writes.patch_hoks (PATCH).
Write = Callable[[Session, Change, Actor], StoredHoks]


def _validated(
    session: Session, change: Change, row: Hoks, actor: Actor, method: Method
) -> tuple[dict[str, Any] | None, Violations]:
    """The validated body (None if it could not be read at all) and every violation so far."""
    study_right = study_right_for_write(session, row.opiskeluoikeus_oid, row.oppija_oid)
    result = validate_hoks(
        change.body,
        method=method,
        variant=actor.variant,
        study_right=checks.study_right_facts(study_right),
        today=change.today,
    )
    violations = result.found()
    if isinstance(change.body, dict):
        violations.extend(checks.read_only_violations(session, change.body, row, row.id))
    return result.document, violations


ChangeFn = Callable[[Hoks], dict[str, Any]]


def _write(
    session: Session, change: Change, actor: Actor, changed: ChangeFn, operation: Operation
) -> StoredHoks:
    """Read, check, change and compare-and-set, retrying when another writer got there first.

    Access is decided once, on the first read: the owner of a HOKS never changes. With If-Match
    the caller said which revision it changed, so a lost race is a 412 at once. Without it, the
    change is recomputed on the newer revision (it is still the whole intent of a PUT or the
    given fields of a PATCH), up to a few times.
    """
    hoks_id, if_match, now = change.hoks_id, change.if_match, change.now
    row = hoks_repository.get(session, hoks_id)
    authorise(actor, row, Action.WRITE)
    for _attempt in range(MAX_WRITE_ATTEMPTS):
        if row is None:
            raise ApiError(404, "hoks_not_found")
        if if_match is not None and not _etag_matches(if_match, row.revision):
            raise _stale(row.revision)
        document = changed(row)
        if change.skip_unchanged and identity.without_module_ids(
            document
        ) == identity.without_module_ids(orjson.loads(row.document)):
            return StoredHoks.of(row, changes=[])
        oppija = document.get("oppija-oid", row.oppija_oid)
        updated = hoks_repository.HoksChange(
            document=orjson.dumps(document).decode(),
            oppija_oid=oppija,
            ensikertainen_hyvaksyminen=as_date(document.get("ensikertainen-hyvaksyminen")),
            osaamisen_saavuttamisen_pvm=as_date(document.get("osaamisen-saavuttamisen-pvm")),
            deleted_at=None,
            actor=actor.name,
            now=now,
            sort_name=checks.sort_name_of(session, oppija) if oppija != row.oppija_oid else None,
        )
        written = hoks_repository.compare_and_set(session, row, updated, operation=operation)
        if written is not None:
            previous = orjson.loads(row.document)
            _notify(
                session, row, operation, document=document, previous=previous, actor=actor, now=now
            )
            return StoredHoks.of(written, changes=document_changes(previous, document))
        if if_match is not None:
            current = hoks_repository.reload(session, hoks_id, include_deleted=True)
            raise _stale(current.revision if current else row.revision + 1)
        row = hoks_repository.reload(session, hoks_id)
    raise ApiError(409, "concurrent_update")


def _notify(
    session: Session,
    row: Hoks,
    operation: Operation,
    *,
    document: dict[str, Any] | None,
    previous: dict[str, Any] | None,
    actor: Actor,
    now: datetime,
) -> None:
    # Access was decided before the write, so the scope's actor carries its organisation.
    scope = actor.audit
    written = HoksWritten(
        hoks_id=row.id,
        operation=operation,
        oppija_oid=(document or {}).get("oppija-oid", row.oppija_oid),
        opiskeluoikeus_oid=row.opiskeluoikeus_oid,
        document=document,
        previous=previous,
        actor=actor.name,
        at=now,
        actor_kind=actor.access.subject.kind,
        request_id=scope.request_id if scope is not None else "",
        organisation_oid=scope.actor.organisation_oid if scope is not None else None,
        role=scope.actor.role if scope is not None else None,
    )
    HOKS_WRITTEN.notify(session, [written])


def _etag_matches(if_match: list[str], revision: int) -> bool:
    return "*" in if_match or f'"{revision}"' in if_match


def _stale(current: int) -> ApiError:
    return ApiError(
        412, "precondition_failed", params={"current": current}, headers={"ETag": f'"{current}"'}
    )


# --- deleting ------------------------------------------------------------------------------


def soft_delete_hoks(session: Session, hoks_id: int, actor: Actor, *, now: datetime) -> StoredHoks:
    """Hide a HOKS everywhere but keep all of it (and its claim on the study right)."""
    return set_deleted(session, hoks_id, actor, deleted=True, now=now)


def restore_hoks(session: Session, hoks_id: int, actor: Actor, *, now: datetime) -> StoredHoks:
    """Bring a soft-deleted HOKS back as it was."""
    return set_deleted(session, hoks_id, actor, deleted=False, now=now)


def set_deleted(
    session: Session, hoks_id: int, actor: Actor, *, deleted: bool, now: datetime
) -> StoredHoks:
    """Soft-delete (`deleted`) or restore a HOKS; the delete role decides both."""
    row = hoks_repository.get(session, hoks_id, include_deleted=True)
    wanted_deleted = deleted
    deleted_at = now if deleted else None
    authorise(actor, row, Action.DELETE)
    assert row is not None  # authorise refused a missing one  # noqa: S101
    if (row.deleted_at is not None) == wanted_deleted:
        if wanted_deleted:
            raise ApiError(404, "hoks_not_found")
        return StoredHoks.of(row)
    change = hoks_repository.HoksChange(
        document=row.document,
        oppija_oid=row.oppija_oid,
        ensikertainen_hyvaksyminen=row.ensikertainen_hyvaksyminen,
        osaamisen_saavuttamisen_pvm=row.osaamisen_saavuttamisen_pvm,
        deleted_at=deleted_at,
        actor=actor.name,
        now=now,
    )
    operation = Operation.DELETE if wanted_deleted else Operation.RESTORE
    written = hoks_repository.compare_and_set(session, row, change, operation=operation)
    if written is None:
        raise ApiError(409, "concurrent_update")
    document = orjson.loads(row.document)
    _notify(
        session,
        row,
        operation,
        document=None if wanted_deleted else document,
        previous=document,
        actor=actor,
        now=now,
    )
    return StoredHoks.of(written)
