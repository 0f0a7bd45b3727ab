"""The checks of a write against the registries (ehoks-api.md 5.1) and the server-owned fields.

What a check reports never depends on data the caller may not know: whether a person exists is
never told apart from "not this study right's student".
"""

from __future__ import annotations

import unicodedata
from typing import Any

from sqlalchemy.orm import Session

from ehoks.hoks.models import Hoks
from ehoks.hoksmodel import StudyRightFacts
from ehoks.hoksmodel.formats import is_valid_opiskeluoikeus_oid, is_valid_oppija_oid
from ehoks.kit.errors import ApiError, Violation, Violations, pointer
from ehoks.registry import repository as registry_repository
from ehoks.registry.fetching import study_right_for_write
from ehoks.registry.models import StudyRight


def study_right_named_in(session: Session, body: object) -> tuple[str | None, StudyRight | None]:
    """The study right OID a body names (if well-formed) and the study right, if it exists.

    With Koski over HTTP a missing or stale study right is fetched (ApiError 503 if Koski cannot
    answer); `ehoks.registry.fetching`.
    """
    if not isinstance(body, dict):
        return None, None
    oid = body.get("opiskeluoikeus-oid")
    if not isinstance(oid, str) or not is_valid_opiskeluoikeus_oid(oid):
        return None, None
    return oid, study_right_for_write(session, oid, body.get("oppija-oid"))


def study_right_facts(study_right: StudyRight | None) -> StudyRightFacts | None:
    if study_right is None:
        return None
    return StudyRightFacts(
        oid=study_right.oid,
        tyyppi=study_right.tyyppi,
        alkamispaiva=study_right.alkamispaiva,
        arvioitu_paattymispaiva=study_right.arvioitu_paattymispaiva,
        latest_tila=study_right.latest_tila,
        suoritus_tyypit=frozenset(study_right.suoritus_tyypit or ()),
    )


def registry_violations(
    session: Session, body: dict[str, Any], study_right: StudyRight
) -> list[Violation]:
    """The study right must stand on its own and be the named student's (ehoks-api.md 5.1).

    A student OID that the person registry does not know is reported exactly as one that belongs
    to someone else: the caller learns nothing about persons who are not their students.
    """
    violations: list[Violation] = []
    if study_right.contained_in_oid:
        violations.append(
            Violation(
                "study_right_contained",
                pointer("opiskeluoikeus-oid"),
                {"oid": study_right.oid, "parent": study_right.contained_in_oid},
            )
        )
    oppija = body.get("oppija-oid")
    if (
        isinstance(oppija, str)
        and is_valid_oppija_oid(oppija)
        and not same_person(session, oppija, study_right.oppija_oid)
    ):
        violations.append(
            Violation(
                "study_right_not_of_student",
                pointer("oppija-oid"),
                {"oid": oppija, "study_right": study_right.oid},
            )
        )
    return violations


def read_only_violations(
    session: Session, body: dict[str, Any], row: Hoks, path_id: int
) -> list[Violation]:
    """What a PUT or PATCH may not change: id, eid, manuaalisyotto, study right, student."""
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
    if isinstance(oppija, str) and oppija not in (row.oppija_oid, master(session, row.oppija_oid)):
        violations.append(
            Violation("student_immutable", pointer("oppija-oid"), {"stored": row.oppija_oid})
        )
    return violations


def same_person(session: Session, oid: str, other: str) -> bool:
    return oid == other or master(session, oid) == master(session, other)


def master(session: Session, oid: str) -> str:
    found = registry_repository.get_person(session, oid)
    return found.master_oid if found is not None and found.master_oid else oid


def sort_name_of(session: Session, oppija_oid: str) -> str:
    """The name staff lists sort a student by: "surname first names", lower-case."""
    person = registry_repository.get_person(session, oppija_oid)
    if person is None:
        return ""
    return sort_name(person.first_names, person.last_name)


def sort_name(first_names: str | None, last_name: str | None) -> str:
    """Lower-case and NFC: a registry may spell "ä" as "a" + U+0308; searches are NFC too."""
    return unicodedata.normalize("NFC", " ".join(n for n in (last_name, first_names) if n).lower())


def invalid(violations: Violations) -> ApiError:
    return ApiError(
        400, "validation_failed", params={"count": violations.total}, violations=violations
    )
