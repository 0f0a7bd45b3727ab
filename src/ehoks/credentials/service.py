"""Reading a student's own plan for export: the same access decision and audit as the plan page.

`hoks.service.get_hoks` refuses (404) any plan that is not the signed-in student's own; the read
is audited as the plan page's is, so the student's "who has seen my plan" shows their exports.
"""

from __future__ import annotations

import orjson

from ehoks.access.subjects import StudentSubject
from ehoks.credentials.summary import CompetenceSummary, competence_summary
from ehoks.hoks import service as hoks_service
from ehoks.kit.i18n import Lang
from ehoks.pipeline.unit import AuditedUnit
from ehoks.planview.names import facts_of, names_for
from ehoks.registry import repository as registry_repository

StudentUnit = AuditedUnit[StudentSubject]


def own_plan(unit: StudentUnit, hoks_id: int) -> None:
    """Refuse (404) unless the plan is the student's own; audited as a read of the plan."""
    hoks_service.get_hoks(
        unit.session, hoks_id, hoks_service.Actor(access=unit.access, audit=unit.audit)
    )


def own_summary(unit: StudentUnit, hoks_id: int, lang: Lang) -> CompetenceSummary:
    """The competence summary of one of the student's own plans (404 for any other)."""
    actor = hoks_service.Actor(access=unit.access, audit=unit.audit)
    stored = hoks_service.get_hoks(unit.session, hoks_id, actor)
    document = orjson.loads(stored.document)
    right = registry_repository.get_study_right(
        unit.session, document.get("opiskeluoikeus-oid", "")
    )
    facts = facts_of(right)
    extra = {facts.institution_oid} if facts.institution_oid else set()
    names = names_for(unit.session, [document], extra)
    return competence_summary(
        document, names, facts, student=unit.subject.name, lang=lang, today=unit.today
    )
