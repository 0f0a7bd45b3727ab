"""The registry's names for a plan: every code, organisation and the study right's facts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ehoks.planview.plan import StudyRightFacts
from ehoks.planview.values import Names
from ehoks.registry import names as registry_names
from ehoks.registry import repository as registry_repository
from ehoks.registry.models import StudyRight


def names_for(session: Session, documents: list[Mapping[str, Any]], extra: set[str]) -> Names:
    """fi/sv/en names of every koodi-URI and organisation OID in `documents` and of `extra`
    (organisation OIDs, such as the study rights' institutions)."""
    names = dict(registry_names.document_names(session, documents))
    missing = {oid for oid in extra if oid and oid not in names}
    if missing:
        names.update(registry_names.organisation_names(session, missing))
    # What the registry cannot name is left out: a page names such an organisation "Unknown
    # organisation" (`planview.values`) rather than by its bare OID.
    return registry_names.named_only(names)


def plan_names(session: Session, document: Mapping[str, Any]) -> tuple[StudyRightFacts, Names]:
    """The study right's facts and the names of every code and organisation of a plan (its
    institution's name included)."""
    right = registry_repository.get_study_right(session, document.get("opiskeluoikeus-oid", ""))
    facts = facts_of(right)
    extra = {facts.institution_oid} if facts.institution_oid else set()
    return facts, names_for(session, [document], extra)


def facts_of(study_right: StudyRight | None) -> StudyRightFacts:
    if study_right is None:
        return StudyRightFacts()
    return StudyRightFacts(
        qualification=study_right.tutkinto_nimi or None,
        competence_area=study_right.osaamisala_nimi or None,
        institution_oid=study_right.oppilaitos_oid,
        started=study_right.alkamispaiva,
        ended=study_right.paattymispaiva,
    )
