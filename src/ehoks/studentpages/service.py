"""What the student's pages show: their plans as cards, one plan as sections.

Every read goes through the access decisions the student API uses: `own_oids` (the signed-in
person's own OIDs only) for the list and `hoks.service.get_hoks` (404 for anyone else's plan)
for one plan. Both are audited as the API's reads are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson

from ehoks.access.subjects import StudentSubject
from ehoks.hoks import service as hoks_service
from ehoks.kit.formatting import localised, organisation_name
from ehoks.kit.i18n import Lang
from ehoks.people import repository as people_repository
from ehoks.people import student_service
from ehoks.pipeline.unit import AuditedUnit
from ehoks.planview.names import facts_of, names_for, plan_names
from ehoks.planview.plan import PlanView, plan_view
from ehoks.planview.values import Names
from ehoks.registry.models import StudyRight

StudentUnit = AuditedUnit[StudentSubject]


@dataclass(frozen=True, slots=True)
class PlanCard:
    hoks_id: int
    qualification: str
    institution: str
    started: str | None  # ISO date
    ended: date | None  # the study right's end, when it has ended
    active: bool


def plan_cards(unit: StudentUnit, lang: Lang) -> list[PlanCard]:
    """One card per plan of the signed-in student (their own OIDs only), oldest first."""
    session, access, audit = unit.session, unit.access, unit.audit
    oids = student_service.own_oids(session, access, unit.subject.oppija_oid, audit)
    scope = access.hoks_scope()
    rows = people_repository.hoks_of_persons(session, oids, scope)
    audit.about(hoks_ids=[row.id for row in rows])
    rights = {r.oid: r for r in people_repository.study_rights_of_persons(session, oids, scope)}
    schools = {r.oppilaitos_oid for r in rights.values() if r.oppilaitos_oid}
    names = names_for(session, [], schools)
    cards = []
    for row in rows:
        right = rights.get(row.opiskeluoikeus_oid)
        document = orjson.loads(row.document)
        cards.append(_card(row.id, document, right, names, lang=lang, today=unit.today))
    return cards


def _card(
    hoks_id: int,
    document: dict[str, Any],
    right: StudyRight | None,
    names: Names,
    *,
    lang: Lang,
    today: date,
) -> PlanCard:
    facts = facts_of(right)
    ended = facts.ended if facts.ended is not None and facts.ended <= today else None
    started = (
        facts.started.isoformat() if facts.started else document.get("ensikertainen-hyvaksyminen")
    )
    return PlanCard(
        hoks_id=hoks_id,
        qualification=localised(facts.qualification, lang, ""),
        institution=organisation_name(
            names.get(facts.institution_oid or ""), facts.institution_oid or "", lang
        ),
        started=started,
        ended=ended,
        active=ended is None,
    )


def plan(unit: StudentUnit, hoks_id: int, lang: Lang) -> PlanView:
    """One plan as sections; 404 for a plan that is not the student's own (or does not exist)."""
    actor = hoks_service.Actor(access=unit.access, audit=unit.audit)
    stored = hoks_service.get_hoks(unit.session, hoks_id, actor)
    document = orjson.loads(stored.document)
    facts, names = plan_names(unit.session, document)
    return plan_view(document, names, lang, unit.today, facts)
