"""The study right a write checks: from the local copy when it is fresh, else from Koski.

With Koski `local` this is a plain lookup. With Koski `http`, a stored study right younger than
`EHOKS_KOSKI_MAX_AGE_SECONDS` (since Koski last confirmed it, or since the import changed it)
answers at once: the hot path makes no remote call. A stale one is fetched again (`GET
/koski/api/opiskeluoikeus/{oid}`); a missing one comes with its student (`GET
/koski/api/oppija/{oppija}`, the student the write names). What is fetched is stored in the
same tables, by the same rules, as an import; with organisaatio `http`, the organisations a
fetched study right names that are not stored yet are fetched too (best effort: Koski's own
words about them suffice for access decisions).

When Koski cannot answer and the local copy cannot either, the write is refused with 503
`registry_unavailable` (or `registry_answer_invalid`) and a Retry-After: never a write that
skipped its checks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ehoks.hoksmodel.formats import is_valid_oppija_oid
from ehoks.kit.db.base import utcnow
from ehoks.kit.errors import ApiError
from ehoks.registry import repository
from ehoks.registry.models import Organisation, Person, StudyRight
from ehoks.registry.parsing import ParsedBatch
from ehoks.registry.records import RegistryFileError
from ehoks.registry.remote.setup import registries_of
from ehoks.registry.remote.transport import RegistryAnswerError, RegistryUnavailableError
from ehoks.registry.service import import_batch

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.orm import Session

    from ehoks.registry.koski import OppijaDocument
    from ehoks.registry.remote.setup import Registries

log = logging.getLogger("ehoks.registry")


def study_right_for_write(
    session: Session, oid: str, oppija_oid: object = None
) -> StudyRight | None:
    """The study right `oid` as a write must check it; None if it does not exist.

    `oppija_oid` is the student the write names: a study right missing locally is looked up
    among theirs. ApiError 503 when Koski is needed and cannot answer.
    """
    stored = repository.get_study_right(session, oid)
    registries = registries_of(session)
    koski = registries.koski
    if koski is None:
        return stored
    now = utcnow()
    if (
        stored is not None
        and repository.checked_or_changed_at(stored) > now - registries.koski_max_age
    ):
        return stored
    try:
        if stored is not None:
            document = koski.study_right(oid, stored.oppija_oid)
            if document is None:
                # Koski no longer knows it: the stored copy is all there is (the worker's refresh
                # reports such study rights); the write is checked against it.
                log.warning("Koski has no study right %s any more; the stored copy is used", oid)
                return stored
        elif isinstance(oppija_oid, str) and is_valid_oppija_oid(oppija_oid):
            document = koski.oppija(oppija_oid)
            if document is None:
                return None
        else:
            return None
        store_documents(session, registries, [document], now)
    except RegistryUnavailableError as error:
        raise unavailable(error) from None
    return repository.get_study_right(session, oid)


def store_documents(
    session: Session, registries: Registries, documents: list[OppijaDocument], now: datetime
) -> None:
    """Store Koski's answers as an import would, marking their rows as confirmed `now`."""
    batch = ParsedBatch()
    for document in documents:
        batch.persons.append(document.person)
        batch.merged_persons.extend(document.merged)
        batch.study_rights.extend(document.study_rights)
        batch.provisional_organisations.extend(document.organisations)
    _add_organisations(session, registries, batch)
    store_batch(session, batch, now, registry="koski")


def store_batch(session: Session, batch: ParsedBatch, now: datetime, *, registry: str) -> None:
    """Store a batch fetched from `registry`; its rows count as confirmed at `now`."""
    try:
        import_batch(session, batch, analyse=False)
    except RegistryFileError as error:  # e.g. a hetu that a stored person holds
        raise RegistryAnswerError(registry, error.reason, 1) from None
    repository.mark_checked(
        repository.rows_by_oid(session, StudyRight, [r.oid for r in batch.study_rights]).values(),
        now,
    )
    # A study right alone names its student by OID only: that confirms nothing about them.
    person_oids = [p.oid for p in batch.persons if p.fields]
    person_oids += [m.oid for m in batch.merged_persons]
    repository.mark_checked(repository.rows_by_oid(session, Person, person_oids).values(), now)
    repository.mark_checked(
        repository.rows_by_oid(
            session, Organisation, [o.oid for o in batch.organisations]
        ).values(),
        now,
    )
    session.flush()


def _add_organisations(session: Session, registries: Registries, batch: ParsedBatch) -> None:
    organisaatio = registries.organisaatio
    if organisaatio is None:
        return
    named = {o.oid for o in batch.provisional_organisations}
    stored = repository.rows_by_oid(session, Organisation, named)
    wanted = sorted(oid for oid in named if oid not in stored or stored[oid].provisional)
    if not wanted:
        return
    try:
        batch.organisations.extend(organisaatio.organisations(wanted))
    except RegistryUnavailableError as error:
        log.warning("organisations %s stay provisional: %s", ", ".join(wanted), error)


def unavailable(error: RegistryUnavailableError) -> ApiError:
    """The 503 of a write that needed a registry which could not answer."""
    code = (
        "registry_answer_invalid"
        if isinstance(error, RegistryAnswerError)
        else "registry_unavailable"
    )
    log.warning("registry %s: %s", error.registry, error.reason)
    return ApiError(
        503,
        code,
        params={"registry": error.registry},
        headers={"Retry-After": str(error.retry_after)},
    )
