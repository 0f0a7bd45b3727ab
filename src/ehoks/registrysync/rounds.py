"""One refresh round of `ehoks worker`: study rights, persons and organisations that are due.

A row is due when its registry (`http`) last confirmed it longer ago than that registry's
maximum age (`EHOKS_<REGISTRY>_MAX_AGE_SECONDS`), so every row is refreshed about once per
maximum age, at most `EHOKS_REGISTRY_REFRESH_BATCH` of each kind per round. Only study rights
and students that have a plan are refreshed; organisations, all of them (the tree is small).

Each kind is refreshed in a transaction of its own and recorded in the audit log with what it
checked, changed and found unknown; a registry that cannot answer is recorded as a failed
refresh and tried again next round. Running a round twice changes nothing the second time (the
import's rules: an unchanged row is not written), except when each row was confirmed.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

from ehoks.audit import service as audit
from ehoks.kit.db.engine import transaction
from ehoks.registry.refresh import (
    RefreshReport,
    refresh_organisations,
    refresh_persons,
    refresh_study_rights,
)
from ehoks.registry.remote.setup import Registries
from ehoks.registry.remote.transport import RegistryUnavailableError
from ehoks.registrysync import repository

log = logging.getLogger("ehoks.registrysync")
WORKER: Final = "registry-refresh"


@dataclass(frozen=True)
class _Kind:
    operation: str
    due: Callable[[Session, datetime, int], list[str]]
    refresh: Callable[[Session, Registries, list[str], datetime], RefreshReport]
    max_age: Callable[[Registries], timedelta]
    remote: Callable[[Registries], bool]


_KINDS: Final = (
    _Kind(
        "registry.refresh.study-rights",
        repository.stale_planned_study_rights,
        refresh_study_rights,
        lambda r: r.koski_max_age,
        lambda r: r.koski is not None,
    ),
    _Kind(
        "registry.refresh.persons",
        repository.stale_planned_students,
        refresh_persons,
        lambda r: r.onr_max_age,
        lambda r: r.onr is not None,
    ),
    _Kind(
        "registry.refresh.organisations",
        repository.stale_organisations,
        refresh_organisations,
        lambda r: r.organisaatio_max_age,
        lambda r: r.organisaatio is not None,
    ),
)


def run_round(
    factory: sessionmaker[Session], registries: Registries, batch: int, now: datetime | None = None
) -> dict[str, RefreshReport | str]:
    """Refresh every due kind once; by operation, its report or why it failed."""
    outcomes: dict[str, RefreshReport | str] = {}
    for kind in _KINDS:
        if not kind.remote(registries):
            continue
        moment = now or datetime.now(UTC)
        try:
            with transaction(factory) as session:
                due = kind.due(session, moment - kind.max_age(registries), batch)
                if not due:
                    continue
                report = kind.refresh(session, registries, due, moment)
                _record(session, kind.operation, audit.Outcome.SUCCESS, report.details())
            outcomes[kind.operation] = report
        except RegistryUnavailableError as error:
            log.warning("%s failed: %s", kind.operation, error)
            with transaction(factory) as session:
                details: dict[str, object] = {"registry": error.registry, "reason": error.reason}
                _record(session, kind.operation, audit.Outcome.FAILED, details)
            outcomes[kind.operation] = str(error)
    return outcomes


def run_forever(
    factory: sessionmaker[Session],
    registries: Registries,
    batch: int,
    poll_seconds: float,
    stop: threading.Event,
) -> None:
    """A round every `poll_seconds` until `stop` is set."""
    while not stop.is_set():
        try:
            outcomes = run_round(factory, registries, batch)
            if outcomes:
                log.info("registry refresh: %s", outcomes)
        except Exception:
            log.exception("registry refresh round failed")
        stop.wait(poll_seconds)


def _record(session: Session, operation: str, outcome: str, details: dict[str, object]) -> None:
    audit.record(
        session,
        audit.Event(
            request_id=uuid.uuid4().hex,
            subject_kind="worker",
            subject_id=WORKER,
            operation=operation,
            outcome=outcome,
            details=details,
        ),
    )
