"""Deciding the feedback of a plan, in the transaction that writes the plan (ehoks-api.md 5.7).

`ehoks.feedback.new_plans.on_hoks_written` listens to "HOKS written" (connected in
`ehoks.wiring`): every create, replace, patch, delete and restore, from the provider API, the bulk
route and the staff pages, is decided here, plan by plan (a batch of new plans together, with the
same decisions), before anything commits. A write that fails afterwards rolls its feedback back with
it; two writers at once meet on the unique key and still give one survey (the national service
decided outside the plan's transaction and cleaned duplicates afterwards, section 8).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from ehoks.feedback import repository
from ehoks.feedback.models import Feedback
from ehoks.feedback.rules import (
    OPEN_TO_DECISION,
    WORKPLACE_CODES,
    Kind,
    State,
    StudyRightFacts,
    end_survey_kind,
    funding_period,
    plan_exclusion,
    student_window,
    workplace_exclusion,
    workplace_window,
)
from ehoks.hoks.hooks import HoksWritten
from ehoks.kit.ids import new_id

HELSINKI: Final = ZoneInfo("Europe/Helsinki")
HANDLE_JOB: Final = "handle"
SAVE_EVENT: Final = "hoks_tallennus"
_UNIT_LISTS: Final = ("hankittavat-ammat-tutkinnon-osat", "hankittavat-paikalliset-tutkinnon-osat")


@dataclass(frozen=True, slots=True)
class Decision:
    """What one plan write says about one feedback."""

    key: str
    kind: Kind
    herate: date
    state: State
    reason: str | None
    valid: tuple[date, date]
    period_tunniste: str | None = None
    details: dict[str, Any] | None = None


def helsinki_date(moment: datetime) -> date:
    return moment.astimezone(HELSINKI).date()


@lru_cache(maxsize=4096)  # a catch-up asks for the same few hundred days again and again
def start_of_day(day: date) -> datetime:
    """Midnight in Helsinki of `day`, as UTC: when a survey of that heräte date falls due."""
    return datetime.combine(day, time(), HELSINKI).astimezone(UTC)


def decide(session: Session, write: HoksWritten) -> None:
    """Decide the feedback of one plan written."""
    if write.document is None:
        _close_all(session, write, reason="hoks_poistettu")
        return
    context = context_of(session, write)
    if context is None:
        return
    tunnisteet = set()
    for decision in decisions_of(write, context):
        if decision.period_tunniste is not None:
            tunnisteet.add(decision.period_tunniste)
        apply(session, context, decision)
    for vanished in repository.of_hoks(session, write.hoks_id, list(OPEN_TO_DECISION)):
        if vanished.kind == Kind.WORKPLACE and vanished.period_tunniste not in tunnisteet:
            _close(session, vanished, write.at, reason="jakso_poistettu")


@dataclass(frozen=True, slots=True)
class Context:
    """What the decisions about one plan's write need besides the document."""

    write: HoksWritten
    koulutustoimija: str
    oppilaitos: str | None
    today: date
    facts: StudyRightFacts | None


def context_of(session: Session, write: HoksWritten) -> Context | None:
    """The plan's provider and study-right facts; None when no provider keys a survey."""
    right = repository.study_right(session, write.opiskeluoikeus_oid)
    koulutustoimija = (
        right.koulutustoimija_oid if right is not None else None
    ) or repository.koulutustoimija_of_hoks(session, write.hoks_id)
    if koulutustoimija is None:
        # No provider to key a survey on: the registry check of the write refuses such plans,
        # so only a plan stored before that rule could end here.
        return None
    facts = (
        StudyRightFacts(right.tyyppi, list(right.suoritus_tyypit), right.contained_in_oid, {})
        if right is not None
        else None
    )
    oppilaitos = right.oppilaitos_oid if right else None
    return Context(write, koulutustoimija, oppilaitos, helsinki_date(write.at), facts)


def decisions_of(write: HoksWritten, context: Context) -> list[Decision]:
    """The student surveys', then the workplace periods' decisions of a written plan."""
    document = write.document or {}
    student = student_decisions(
        document, write.oppija_oid, context.koulutustoimija, context.facts, context.today
    )
    return [*student, *workplace_decisions(write.hoks_id, document, context.today)]


def student_decisions(
    document: dict[str, Any],
    oppija: str,
    koulutustoimija: str,
    facts: StudyRightFacts | None,
    today: date,
) -> Iterator[Decision]:
    for kind, field, label in (
        (Kind.START, "ensikertainen-hyvaksyminen", "start"),
        (end_survey_kind(facts), "osaamisen-saavuttamisen-pvm", "end"),
    ):
        herate = _as_date(document.get(field))
        if herate is None:
            continue
        reason = plan_exclusion(document, herate, today)
        yield Decision(
            key=f"{label}|{oppija}|{koulutustoimija}|{funding_period(herate)}",
            kind=kind,
            herate=herate,
            state=State.NOT_SENT if reason else State.PENDING,
            reason=reason,
            valid=student_window(herate, today),
        )


def workplace_decisions(hoks_id: int, document: dict[str, Any], today: date) -> Iterator[Decision]:
    for period, unit in _workplace_periods(document):
        tunniste = period.get("yksiloiva-tunniste")
        herate = _as_date(period.get("loppu"))
        if not tunniste or herate is None:
            continue
        reason = workplace_exclusion(period) or plan_exclusion(document, herate, today)
        yield Decision(
            key=f"tep|{hoks_id}|{tunniste}",
            kind=Kind.WORKPLACE,
            herate=herate,
            state=State.NOT_SENT if reason else State.PENDING,
            reason=reason,
            valid=workplace_window(herate),
            period_tunniste=str(tunniste),
            details=_period_details(period, unit),
        )


def _workplace_periods(document: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(period, unit) of every workplace period of the units still to be acquired."""
    units = [u for key in _UNIT_LISTS for u in _records(document.get(key))]
    for unit in units:
        for period in _records(unit.get("osaamisen-hankkimistavat")):
            if period.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_CODES:
                yield period, unit
    for unit in _records(document.get("hankittavat-yhteiset-tutkinnon-osat")):
        for area in _records(unit.get("osa-alueet")):
            for period in _records(area.get("osaamisen-hankkimistavat")):
                if period.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_CODES:
                    yield period, unit


def _period_details(period: dict[str, Any], unit: dict[str, Any]) -> dict[str, Any]:
    workplace = period.get("tyopaikalla-jarjestettava-koulutus") or {}
    instructor = workplace.get("vastuullinen-tyopaikka-ohjaaja") or {}
    email = instructor.get("sahkoposti")
    return {
        "alku": period.get("alku"),
        "loppu": period.get("loppu"),
        "tyopaikan_nimi": workplace.get("tyopaikan-nimi"),
        "tyopaikan_y_tunnus": workplace.get("tyopaikan-y-tunnus"),
        "ohjaaja_nimi": instructor.get("nimi"),
        "ohjaaja_sahkoposti": email.strip().lower() if isinstance(email, str) else None,
        "hankkimistapa": period.get("osaamisen-hankkimistapa-koodi-uri"),
        "oppisopimuksen_perusta": period.get("oppisopimuksen-perusta-koodi-uri"),
        "osa_aikaisuus": period.get("osa-aikaisuustieto"),
        "tutkinnon_osa": unit.get("tutkinnon-osa-koodi-uri"),
        "paikallinen_tutkinnon_osa": unit.get("nimi"),
    }


def apply(session: Session, context: Context, decision: Decision) -> None:
    """Store one decision: a new survey, or a change of the plan's own open one."""
    write = context.write
    existing = repository.by_key(session, decision.key, lock=True)
    if existing is None:
        new_id = repository.insert_new(session, new_values(context, decision))
        if new_id is not None:
            repository.add_events(session, [creation_event(new_id, context, decision)])
            if decision.state is State.PENDING:
                _schedule(session, new_id, decision.herate)
            return
        # Another writer stored this key a moment ago: decide against its row.
        existing = repository.by_key(session, decision.key, lock=True)
        if existing is None:
            return
    if existing.hoks_id != write.hoks_id or existing.state not in OPEN_TO_DECISION:
        # One survey per student, provider and funding period: another plan has it, or the
        # worker has taken it further ("jo lähetetty").
        return
    _supersede_other_keys(session, context, decision)
    changed = {
        "state": decision.state.value,
        "reason": decision.reason,
        "herate_date": decision.herate,
        "valid_from": decision.valid[0],
        "valid_to": decision.valid[1],
        "kind": decision.kind.value,
        "details": decision.details or {},
    }
    if all(getattr(existing, name) == value for name, value in changed.items()):
        return
    repository.set_state(session, existing.id, changed | {"updated_at": write.at})
    if existing.state != decision.state or existing.reason != decision.reason:
        repository.add_event(
            session,
            existing.id,
            event=SAVE_EVENT,
            old_state=existing.state,
            new_state=decision.state,
            reason=decision.reason,
            at=write.at,
            details={"operation": write.operation.value},
        )
    if decision.state is State.PENDING:
        _schedule(session, existing.id, decision.herate)


def _supersede_other_keys(session: Session, context: Context, decision: Decision) -> None:
    """A student survey whose heräte date moved to another funding period: the old one goes."""
    if decision.kind is Kind.WORKPLACE:
        return
    prefix = decision.key.split("|", 1)[0]
    for other in repository.of_hoks(session, context.write.hoks_id, [State.PENDING.value]):
        if other.key != decision.key and other.key.split("|", 1)[0] == prefix:
            _close(session, other, context.write.at, reason="heratepaiva_muuttui")


def new_values(context: Context, decision: Decision) -> dict[str, Any]:
    """The row of a new survey."""
    write = context.write
    decided = survey_values(
        decision,
        hoks_id=write.hoks_id,
        oppija_oid=write.oppija_oid,
        opiskeluoikeus_oid=write.opiskeluoikeus_oid,
        koulutustoimija=context.koulutustoimija,
        oppilaitos=context.oppilaitos,
    )
    return decided | {"request_id": new_id(), "created_at": write.at, "updated_at": write.at}


def survey_values(
    decision: Decision,
    *,
    hoks_id: int,
    oppija_oid: str,
    opiskeluoikeus_oid: str,
    koulutustoimija: str,
    oppilaitos: str | None,
) -> dict[str, Any]:
    """What a decision makes of a new survey of one plan: its row without `request_id` and
    times (added as the row is stored)."""
    return {
        "key": decision.key,
        "kind": decision.kind.value,
        "state": decision.state.value,
        "reason": decision.reason,
        "hoks_id": hoks_id,
        "oppija_oid": oppija_oid,
        "opiskeluoikeus_oid": opiskeluoikeus_oid,
        "koulutustoimija_oid": koulutustoimija,
        "oppilaitos_oid": oppilaitos,
        "herate_date": decision.herate,
        "funding_period": funding_period(decision.herate),
        "period_tunniste": decision.period_tunniste,
        "valid_from": decision.valid[0],
        "valid_to": decision.valid[1],
        "details": decision.details or {},
    }


def creation_event(feedback_id: int, context: Context, decision: Decision) -> dict[str, Any]:
    """The event row of a survey this write created."""
    return {
        "feedback_id": feedback_id,
        "event": SAVE_EVENT,
        "old_state": None,
        "new_state": decision.state.value,
        "reason": decision.reason,
        "at": context.write.at,
        "details": {"operation": context.write.operation.value},
    }


def handle_job(feedback_id: int, herate: date) -> dict[str, Any]:
    """The job that handles a pending survey once its heräte date comes."""
    return {
        "key": f"{HANDLE_JOB}|{feedback_id}",
        "feedback_id": feedback_id,
        "due_at": start_of_day(herate),
    }


def _schedule(session: Session, feedback_id: int, herate: date) -> None:
    repository.schedule_job(session, kind=HANDLE_JOB, **handle_job(feedback_id, herate))


def _close_all(session: Session, write: HoksWritten, *, reason: str) -> None:
    for feedback in repository.of_hoks(session, write.hoks_id, list(OPEN_TO_DECISION)):
        _close(session, feedback, write.at, reason=reason)


def _close(session: Session, feedback: Feedback, at: datetime, *, reason: str) -> None:
    if feedback.state == State.NOT_SENT and feedback.reason == reason:
        return
    repository.set_state(
        session, feedback.id, {"state": State.NOT_SENT.value, "reason": reason, "updated_at": at}
    )
    repository.add_event(
        session,
        feedback.id,
        event=SAVE_EVENT,
        old_state=feedback.state,
        new_state=State.NOT_SENT,
        reason=reason,
        at=at,
    )


def _records(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _as_date(value: object) -> date | None:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
