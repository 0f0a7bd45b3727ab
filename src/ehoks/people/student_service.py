"""What a signed-in student sees: their own name, HOKS, study rights, and who handled them.

A student reaches only their own data: the OID in the address must be the one they signed in
with or its master OID (the person register may have merged a duplicate). A guardian signs in as
themselves, so a guardian sees only their own (usually empty) data; see docs/people.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy.orm import Session

from ehoks.access.rules import Access
from ehoks.audit import service as audit_service
from ehoks.audit.scope import AuditScope
from ehoks.kit.errors import ApiError
from ehoks.people import naming, repository
from ehoks.people.schemas import AccessLogEntry
from ehoks.registry import repository as registry_repository


def own_oids(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope
) -> frozenset[str]:
    """Every OID of the signed-in person, if `oppija_oid` is theirs; 403 otherwise."""
    decision = access.own_data(oppija_oid)
    audit.decided(decision)
    decision.enforce()
    audit.about(oppija_oid=oppija_oid)
    return registry_repository.same_person_oids(session, oppija_oid)


def summary(session: Session, access: Access, oppija_oid: str, audit: AuditScope) -> dict[str, str]:
    own_oids(session, access, oppija_oid, audit)
    person = registry_repository.get_person(session, oppija_oid)
    if person is None:
        raise ApiError(404, "not_found")
    return {"oid": oppija_oid, "nimi": repository.display_name(person)}


@dataclass(frozen=True, slots=True)
class OwnHoks:
    documents: list[dict[str, Any]]
    study_rights: dict[str, dict[str, Any]]


def own_hoks(session: Session, access: Access, oppija_oid: str, audit: AuditScope) -> OwnHoks:
    """Every non-deleted HOKS in full, without the internal `id` (as the national service);
    and the qualification and osaamisala names of their study rights."""
    oids = own_oids(session, access, oppija_oid, audit)
    rows = repository.hoks_of_persons(session, oids, access.hoks_scope())
    documents: list[dict[str, Any]] = []
    for row in rows:
        document: dict[str, Any] = {"eid": row.eid, "manuaalisyotto": row.manuaalisyotto}
        document.update(orjson.loads(row.document))
        documents.append(document)
    audit.about(hoks_ids=[row.id for row in rows])
    wanted = {d.get("opiskeluoikeus-oid") for d in documents}
    names = {
        study_right.oid: naming.study_right_names(study_right)
        for study_right in repository.study_rights_of_persons(session, oids, access.hoks_scope())
        if study_right.oid in wanted
    }
    return OwnHoks(documents, names)


def own_study_rights(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope
) -> list[dict[str, Any]]:
    oids = own_oids(session, access, oppija_oid, audit)
    scope = access.hoks_scope()
    return [row.document for row in repository.study_rights_of_persons(session, oids, scope)]


def access_log(
    session: Session, access: Access, oppija_oid: str, audit: AuditScope
) -> list[AccessLogEntry]:
    """Who has read or changed my data: when, what, the organisation and the role.

    Never a staff member's or a system's identity: the organisation answers for its people.
    """
    oids = own_oids(session, access, oppija_oid, audit)
    events = sorted(
        (e for oid in oids for e in audit_service.events_about_student(session, oid)),
        key=lambda e: (e.occurred_at, e.id),
        reverse=True,
    )
    names = naming.organisation_names(
        session, {e.organisation_oid for e in events if e.organisation_oid}
    )
    return [
        AccessLogEntry(
            time=event.occurred_at.isoformat(),
            operation=event.operation,
            outcome=event.outcome,
            actor_kind=event.subject_kind,
            role=event.role,
            organisation_oid=event.organisation_oid or None,
            organisation_nimi=names[event.organisation_oid] if event.organisation_oid else None,
        )
        for event in events
    ]
