"""Names for what a HOKS refers to by code: koodi-URIs and organisation OIDs, in fi/sv/en.

A page shows "Ohjelmistokehitys", not `tutkinnonosat_100031`. With `?nimet=true` the full-HOKS
responses carry a `names` object beside `data`. The names come from the local registries
(`ehoks.registry.names`); an unknown code is named by the code itself, so a page can always show
something readable.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ehoks.registry import names as registry_names
from ehoks.registry.models import StudyRight

Names = dict[str, dict[str, str]]


def names_in(session: Session, documents: list[Any]) -> Names:
    """Every koodi-URI and organisation OID in the documents, with its fi/sv/en names."""
    return registry_names.document_names(session, documents)


def organisation_names(session: Session, oids: set[str]) -> Names:
    return registry_names.organisation_names(session, oids)


def study_right_names(study_right: StudyRight) -> dict[str, dict[str, str]]:
    """{"tutkinto-nimi": …, "osaamisala-nimi": …} of a study right, leaving out what it lacks."""
    return {
        f"{key}-nimi": names for key, names in registry_names.study_right_names(study_right).items()
    }
