"""Arranging people-API tests: registry data, HOKS, and signed-in staff and students."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from ehoks.access.subjects import SubjectKind
from ehoks.auth.sessions import COOKIE_NAME, start_session
from ehoks.config import Settings
from ehoks.hoks import writes as hoks_writes
from ehoks.hoksmodel import PART_LISTS, Variant
from ehoks.people.models import StaffGrant, StaffMember
from tests.support.actors import trusted_actor
from tests.support.api import fresh_example, load_registry

STAFF_API = "/ehoks-virkailija-backend/api/v1/virkailija"
STUDENT_API = "/ehoks-oppija-backend/api/v1/oppija"

ROOT = "1.2.246.562.10.00000000001"
PROVIDER_A = "1.2.246.562.10.53642770753"
A_SCHOOL = "1.2.246.562.10.54453921329"
A_SCHOOL_2 = "1.2.246.562.10.52251087186"
A_TOIMIPISTE = "1.2.246.562.10.47213582301"
PROVIDER_B = "1.2.246.562.10.81927839314"
B_SCHOOL = "1.2.246.562.10.73384616428"

MATTI = "1.2.246.562.24.44651722625"
MAIJA = "1.2.246.562.24.12312312319"
VILLE = "1.2.246.562.24.30124551023"
JUHO = "1.2.246.562.24.30124551052"  # procured training at B inside A's study right
EETU = "1.2.246.562.24.30124551078"  # a student with a study right and no HOKS
JUHO_STUDY_RIGHT = "1.2.246.562.15.20251000038"
VILLE_STUDY_RIGHT = "1.2.246.562.15.20251000012"


@dataclass
class Person:
    """A signed-in person speaking to the live server."""

    http: httpx.Client
    token: str
    csrf: str
    base: str
    staff_oid: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Cookie": f"{COOKIE_NAME}={self.token}", "X-CSRF-Token": self.csrf}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.http.get(self.base + path, headers=headers, **kwargs)

    def send(self, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.http.request(method, self.base + path, json=body, headers=headers, **kwargs)


@pytest.fixture
def registry(session_factory: sessionmaker[Session]) -> None:
    load_registry(session_factory)


def sign_in(
    http: httpx.Client,
    factory: sessionmaker[Session],
    settings: Settings,
    *,
    kind: SubjectKind,
    principal: str,
    grants: tuple[tuple[str, str], ...] = (),
) -> Person:
    with factory() as session:
        if grants:
            session.add(StaffMember(oid=principal, name=f"Staff {principal[-4:]}"))
        for organisation, role in grants:
            session.add(
                StaffGrant(
                    staff_oid=principal,
                    organisation_oid=organisation,
                    role=role,
                    source="manual",
                    created_at=datetime.now(UTC),
                    created_by="test",
                )
            )
        new = start_session(
            session, settings, kind=kind.value, principal=principal, display_name="Test Person"
        )
        csrf = new.row.csrf_token
        session.commit()
    base = STAFF_API if kind is SubjectKind.STAFF else STUDENT_API
    return Person(http, new.token, csrf, base, principal if grants else "")


_staff_counter = iter(range(10_000, 99_999))


@pytest.fixture
def staff(http: httpx.Client, session_factory: sessionmaker[Session], settings: Settings) -> Any:
    """staff((organisation, role), ...) -> a signed-in staff member with those grants."""

    def make(*grants: tuple[str, str]) -> Person:
        oid = f"1.2.246.562.24.{next(_staff_counter):011d}"
        return sign_in(
            http, session_factory, settings, kind=SubjectKind.STAFF, principal=oid, grants=grants
        )

    return make


@pytest.fixture
def student(http: httpx.Client, session_factory: sessionmaker[Session], settings: Settings) -> Any:
    def make(oid: str) -> Person:
        return sign_in(http, session_factory, settings, kind=SubjectKind.STUDENT, principal=oid)

    return make


def store_hoks(factory: sessionmaker[Session], document: dict[str, Any]) -> int:
    """Store a HOKS directly, as if a provider system had sent it."""
    with factory() as session:
        actor = trusted_actor(session, Variant.STAFF)
        stored = hoks_writes.create_hoks(
            session, document, actor, today=datetime.now(UTC).date(), now=datetime.now(UTC)
        )
        session.commit()
    return stored.id


def example_for(
    name: str, oppija_oid: str, study_right: str, *, without_parts: bool = False
) -> dict[str, Any]:
    document = fresh_example(name)
    document["oppija-oid"] = oppija_oid
    document["opiskeluoikeus-oid"] = study_right
    if without_parts:
        document = {k: v for k, v in document.items() if k not in PART_LISTS}
    return document


@pytest.fixture
def hoks(registry: None, session_factory: sessionmaker[Session]) -> dict[str, int]:
    """HOKS of Maija, Matti (two) and Juho (A; Juho's procured at B), and of Ville (B)."""
    del registry
    return {
        "maija": store_hoks(session_factory, fresh_example("hoks-full.json")),
        "matti": store_hoks(session_factory, fresh_example("hoks_yksi_tutkinnonosa.json")),
        "matti_tuva": store_hoks(session_factory, fresh_example("hoks_tuva.json")),
        "ville": store_hoks(
            session_factory,
            example_for(
                "hoks_ainoastaan_ammatillisia.json", VILLE, VILLE_STUDY_RIGHT, without_parts=True
            ),
        ),
        "juho": store_hoks(
            session_factory,
            example_for("hoks_yksi_tutkinnonosa.json", JUHO, JUHO_STUDY_RIGHT),
        ),
    }
