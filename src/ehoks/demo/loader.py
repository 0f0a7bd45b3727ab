"""Demo data for the embedded mode: registries, two provider systems and HOKS of every shape.

The HOKS are the national example documents. The provider API refuses a workplace period without
the source system's identifier, so the loader gives such periods one, as a student information
system would.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ehoks.access.subjects import ClientAccess, SystemClientSubject
from ehoks.client import repository as client_repository
from ehoks.client.models import SystemClient
from ehoks.client.secrets_hash import hash_secret
from ehoks.hoks import repository as hoks_repository
from ehoks.hoks import service as hoks_service
from ehoks.hoks import writes as hoks_writes
from ehoks.people import repository as people_repository
from ehoks.people.models import StaffGrant
from ehoks.registry import repository as registry_repository
from ehoks.registry.directory import access_for
from ehoks.registry.service import import_files

WORKPLACE_PERIODS = frozenset(
    {"osaamisenhankkimistapa_koulutussopimus", "osaamisenhankkimistapa_oppisopimus"}
)


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    secret: str
    name: str
    organisation_oid: str
    access: ClientAccess


def data_dir() -> Path:
    return Path(str(resources.files("ehoks.demo") / "data"))


def registry_files() -> list[Path]:
    return sorted(data_dir().glob("registry_*.json"))


def example_documents() -> list[dict[str, Any]]:
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(data_dir().glob("hoks_example_*.json"))
    ]


def demo_clients(session: Session) -> list[DemoClient]:
    """The demo's provider systems: one writer per provider that owns an example study right.

    The secrets are fixed and public, which is why the demo refuses to run in production.
    """
    owners: dict[str, str] = {}
    for document in example_documents():
        study_right = registry_repository.get_study_right(session, document["opiskeluoikeus-oid"])
        if study_right is not None and study_right.koulutustoimija_oid:
            owners.setdefault(study_right.koulutustoimija_oid, study_right.oppilaitos_oid or "")
    clients = []
    for number, organisation in enumerate(sorted(owners), start=1):
        clients.append(
            DemoClient(
                client_id=f"demo-sis-{number}",
                secret=f"demo-secret-{number}-not-for-production",
                name=f"Demo student information system {number}",
                organisation_oid=organisation,
                access=ClientAccess.WRITE,
            )
        )
    return clients


# Staff members of the demo, with their grants: one per role at provider A's school, one at the
# provider level, and a national administrator.
DEMO_STAFF = (
    ("1.2.246.562.24.10000000001", "Olli Opettaja", "1.2.246.562.10.54453921329", "write"),
    ("1.2.246.562.24.10000000002", "Kaisa Koordinaattori", "1.2.246.562.10.54453921329", "delete"),
    ("1.2.246.562.24.10000000003", "Reijo Rehtori", "1.2.246.562.10.53642770753", "read"),
    ("1.2.246.562.24.10000000004", "Annika Admin", "1.2.246.562.10.00000000001", "admin"),
)


def load_staff(session: Session) -> None:
    """The demo's staff members and grants (idempotent)."""
    for oid, name, organisation, role in DEMO_STAFF:
        people_repository.ensure_staff_member(session, oid, name)
        if people_repository.find_grant(session, oid, organisation, role, "manual") is None:
            people_repository.add_grant(
                session,
                StaffGrant(
                    staff_oid=oid,
                    organisation_oid=organisation,
                    role=role,
                    source="manual",
                    created_at=datetime.now(UTC),
                    created_by="demo",
                ),
            )


def load(session: Session, *, today: date) -> tuple[list[DemoClient], list[int]]:
    """Import the registries, register the demo clients and staff, create the example HOKS once."""
    import_files(session, registry_files())
    load_staff(session)
    clients = demo_clients(session)
    for client in clients:
        if client_repository.get_client(session, client.client_id) is None:
            client_repository.add_client(
                session,
                SystemClient(
                    client_id=client.client_id,
                    name=client.name,
                    organisation_oid=client.organisation_oid,
                    access=client.access.value,
                    secret_hash=hash_secret(client.secret),
                    created_at=datetime.now(UTC),
                    disabled_at=None,
                ),
            )
    hoks_ids = []
    for document in example_documents():
        oid = document["opiskeluoikeus-oid"]
        existing = hoks_repository.get_by_study_right(session, oid, include_deleted=True)
        if existing is not None:
            hoks_ids.append(existing.id)
            continue
        study_right = registry_repository.get_study_right(session, oid)
        owner = next(
            (
                c
                for c in clients
                if study_right and c.organisation_oid == study_right.koulutustoimija_oid
            ),
            None,
        )
        if owner is None:
            continue
        subject = SystemClientSubject(
            owner.client_id, owner.name, owner.organisation_oid, owner.access
        )
        actor = hoks_service.Actor(access=access_for(session, subject))
        demo_document = with_current_period(with_period_identifiers(document), today)
        stored = hoks_writes.create_hoks(
            session, demo_document, actor, today=today, now=datetime.now(UTC)
        )
        hoks_ids.append(stored.id)
    return clients, hoks_ids


# The example whose workplace period the demo moves to run now, so that its instructor
# (testimail@testi.com) can sign in with an e-mailed link and see it.
CURRENT_PERIOD_STUDY_RIGHT = "1.2.246.562.15.76811932078"


def with_current_period(document: dict[str, Any], today: date) -> dict[str, Any]:
    """For one example, its workplace period from a month ago to two months ahead."""
    if document.get("opiskeluoikeus-oid") != CURRENT_PERIOD_STUDY_RIGHT:
        return document
    result = copy.deepcopy(document)
    for unit in result.get("hankittavat-ammat-tutkinnon-osat", []):
        for period in unit.get("osaamisen-hankkimistavat", []):
            if period.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_PERIODS:
                period["alku"] = (today - timedelta(days=30)).isoformat()
                period["loppu"] = (today + timedelta(days=60)).isoformat()
    return result


def with_period_identifiers(document: dict[str, Any]) -> dict[str, Any]:
    """A copy in which every workplace period has a source-system identifier."""
    result = copy.deepcopy(document)
    counter = [0]

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("osaamisen-hankkimistapa-koodi-uri") in WORKPLACE_PERIODS and not node.get(
                "yksiloiva-tunniste"
            ):
                counter[0] += 1
                node["yksiloiva-tunniste"] = f"demo-jakso-{counter[0]}"
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result
