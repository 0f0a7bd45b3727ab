"""Reading a student's own plan for export: the same access decision and audit as the plan page.

`hoks.service.get_hoks` refuses (404) any plan that is not the signed-in student's own; the read
is audited as the plan page's is, so the student's "who has seen my plan" shows their exports.
"""

from __future__ import annotations

import orjson

from ehoks.access.subjects import StudentSubject
from ehoks.credentials.summary import CompetenceSummary, competence_summary
from ehoks.hoks import service as hoks_service
from ehoks.hoks.stored import StoredHoks
from ehoks.kit.i18n import Lang
from ehoks.pipeline.unit import AuditedUnit
from ehoks.planview.names import plan_names

StudentUnit = AuditedUnit[StudentSubject]


def own_plan(unit: StudentUnit, hoks_id: int) -> StoredHoks:
    """The plan, if it is the student's own (404 otherwise); audited as a read of the plan."""
    actor = hoks_service.Actor(access=unit.access, audit=unit.audit)
    return hoks_service.get_hoks(unit.session, hoks_id, actor)


def own_summary(unit: StudentUnit, hoks_id: int, lang: Lang) -> CompetenceSummary:
    """The competence summary of one of the student's own plans (404 for any other)."""
    document = orjson.loads(own_plan(unit, hoks_id).document)
    facts, names = plan_names(unit.session, document)
    return competence_summary(
        document, names, facts, student=unit.subject.name, lang=lang, today=unit.today
    )
