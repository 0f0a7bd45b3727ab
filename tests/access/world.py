"""A world of providers, students, HOKS and callers of every kind, for the access tests.

Registry: the shared test registry, Sanni (tests/data/access/students.json, whose training is
partly procured from provider B), and two organisations imported without any place in the tree
(tests/data/access/parentless.json) with one student, Pertti. HOKS at provider A's school (Maija,
Matti twice, Juho with procured training at B, Sanni with workplace periods at the edges of the
instructors' window), at B (Ville) and at the parentless school (Pertti); Matti's second HOKS is
soft-deleted.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy.orm import Session, sessionmaker

from ehoks.access.subjects import (
    Grant,
    Role,
    StaffSubject,
    StudentSubject,
    Subject,
    SubjectKind,
    WorkplaceInstructorSubject,
)
from ehoks.config import Settings
from ehoks.hoks import writes
from ehoks.hoksmodel import Variant
from ehoks.registry.directory import forget_cached_tree
from ehoks.registry.service import import_files
from tests.people.conftest import example_for, sign_in
from tests.support.actors import trusted_actor
from tests.support.api import REGISTRY_FILES, make_caller

DATA = Path(__file__).resolve().parent.parent / "data" / "access"
HELSINKI = ZoneInfo("Europe/Helsinki")

ROOT = "1.2.246.562.10.00000000001"
PROVIDER_A = "1.2.246.562.10.53642770753"
A_SCHOOL = "1.2.246.562.10.54453921329"
A_SCHOOL_2 = "1.2.246.562.10.52251087186"
A_TOIMIPISTE = "1.2.246.562.10.47213582301"
PROVIDER_B = "1.2.246.562.10.81927839314"
B_SCHOOL = "1.2.246.562.10.73384616428"
CITY = "1.2.246.562.10.69154219878"
CITY_SCHOOL = "1.2.246.562.10.39412873527"
PARENTLESS_SCHOOL = "1.2.246.562.10.77777777771"
PARENTLESS_PROVIDER = "1.2.246.562.10.77777777772"
ORGANISATIONS = (
    ROOT,
    PROVIDER_A,
    A_SCHOOL,
    A_SCHOOL_2,
    A_TOIMIPISTE,
    PROVIDER_B,
    B_SCHOOL,
    CITY,
    CITY_SCHOOL,
    PARENTLESS_SCHOOL,
    PARENTLESS_PROVIDER,
)

MATTI = "1.2.246.562.24.44651722625"
MAIJA = "1.2.246.562.24.12312312319"
VILLE = "1.2.246.562.24.30124551023"
JUHO = "1.2.246.562.24.30124551052"
SANNI = "1.2.246.562.24.30124551081"
PERTTI = "1.2.246.562.24.30124551104"
EETU = "1.2.246.562.24.30124551078"  # a study right, no HOKS
STUDENTS = (MATTI, MAIJA, VILLE, JUHO, SANNI, PERTTI, EETU)

EDGE_INSTRUCTOR = "reuna.ohjaaja@tyopaikka.example.fi"
OTHER_INSTRUCTOR = "toinen.ohjaaja@tyopaikka.example.fi"
WORKPLACE = "osaamisenhankkimistapa_koulutussopimus"

STAFF_GRANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "staff_school_read": ((A_SCHOOL, "read"),),
    "staff_provider_write": ((PROVIDER_A, "write"),),
    "staff_toimipiste_read": ((A_TOIMIPISTE, "read"),),
    "staff_b_school_read": ((B_SCHOOL, "read"),),
    "staff_city_read": ((CITY, "read"),),
    "staff_parentless_read": ((PARENTLESS_SCHOOL, "read"),),
    "staff_national_admin": ((ROOT, "admin"),),
}
CLIENTS: dict[str, tuple[str, str]] = {
    "client_provider_a": (PROVIDER_A, "write"),
    "client_school_read": (A_SCHOOL, "read"),
    "client_provider_b": (PROVIDER_B, "write"),
    "client_parentless": (PARENTLESS_SCHOOL, "read"),
    "client_root": (ROOT, "read"),
}
STUDENT_CALLERS = {"student_matti": MATTI, "student_ville": VILLE, "student_pertti": PERTTI}
INSTRUCTOR_CALLERS = {
    "instructor_edge": EDGE_INSTRUCTOR,
    "instructor_other": OTHER_INSTRUCTOR,
    "instructor_unknown": "ei.ketaan@example.fi",
}
CALLERS = (
    "anonymous",
    *CLIENTS,
    *STAFF_GRANTS,
    *STUDENT_CALLERS,
    *INSTRUCTOR_CALLERS,
)


@dataclass
class AccessWorld:
    http: httpx.Client
    factory: sessionmaker[Session]
    settings: Settings
    hoks: dict[str, int]
    deleted: set[int]
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    subjects: dict[str, Subject] = field(default_factory=dict)

    def get(self, caller: str, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, headers=self.headers[caller], params=params or None)


def today() -> date:
    return datetime.now(HELSINKI).date()


def load(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        import_files(session, [*REGISTRY_FILES, DATA / "students.json", DATA / "parentless.json"])
        session.commit()
    forget_cached_tree()


def build(http: httpx.Client, factory: sessionmaker[Session], settings: Settings) -> AccessWorld:
    load(factory)
    documents = {
        "maija": example_for("hoks-full.json", MAIJA, "1.2.246.562.15.10000000009"),
        "matti": example_for("hoks_yksi_tutkinnonosa.json", MATTI, "1.2.246.562.15.76811932078"),
        "matti_tuva": example_for("hoks_tuva.json", MATTI, "1.2.246.562.15.76811942028"),
        "juho": example_for("hoks_yksi_tutkinnonosa.json", JUHO, "1.2.246.562.15.20251000038"),
        "ville": example_for(
            "hoks_ainoastaan_ammatillisia.json",
            VILLE,
            "1.2.246.562.15.20251000012",
            without_parts=True,
        ),
        "pertti": example_for(
            "hoks_ainoastaan_ammatillisia.json",
            PERTTI,
            "1.2.246.562.15.20251000103",
            without_parts=True,
        ),
        "sanni": sanni_with_edge_periods(today()),
    }
    now = datetime.now(UTC)
    ids: dict[str, int] = {}
    with factory() as session:
        actor = trusted_actor(session, Variant.STAFF)
        for name, document in documents.items():
            ids[name] = writes.create_hoks(session, document, actor, today=today(), now=now).id
        writes.soft_delete_hoks(session, ids["matti_tuva"], actor, now=now)
        session.commit()
    world = AccessWorld(http, factory, settings, ids, {ids["matti_tuva"]})
    world.headers["anonymous"] = {}
    for name, (organisation, access) in CLIENTS.items():
        world.headers[name] = make_caller(http, factory, organisation, access).headers
    for number, (name, grants) in enumerate(STAFF_GRANTS.items()):
        oid = f"1.2.246.562.24.{90000000000 + number}"
        person = sign_in(
            http, factory, settings, kind=SubjectKind.STAFF, principal=oid, grants=grants
        )
        world.headers[name] = person.headers
        world.subjects[name] = StaffSubject(
            oid, name, tuple(Grant(org, Role(role)) for org, role in grants)
        )
    for name, oppija in STUDENT_CALLERS.items():
        person = sign_in(http, factory, settings, kind=SubjectKind.STUDENT, principal=oppija)
        world.headers[name] = person.headers
        world.subjects[name] = StudentSubject(oppija, name)
    for name, email in INSTRUCTOR_CALLERS.items():
        person = sign_in(
            http, factory, settings, kind=SubjectKind.WORKPLACE_INSTRUCTOR, principal=email
        )
        world.headers[name] = person.headers
        world.subjects[name] = WorkplaceInstructorSubject(email, "", now)
    return world


def sanni_with_edge_periods(on: date) -> dict[str, Any]:
    """Sanni's HOKS at A's school: workplace periods of one instructor at both edges of the
    instructors' default window (14 days before the start, 30 days after the end), and one of
    another instructor."""
    document = example_for(
        "hoks_ainoastaan_ammatillisia.json",
        SANNI,
        "1.2.246.562.15.20251000079",
        without_parts=True,
    )
    periods = [
        _period("ended-30", EDGE_INSTRUCTOR, on - timedelta(days=60), on - timedelta(days=30)),
        _period("ended-31", EDGE_INSTRUCTOR, on - timedelta(days=60), on - timedelta(days=31)),
        _period("starts-14", EDGE_INSTRUCTOR, on + timedelta(days=14), on + timedelta(days=40)),
        _period("starts-15", EDGE_INSTRUCTOR, on + timedelta(days=15), on + timedelta(days=40)),
        _period("now-other", OTHER_INSTRUCTOR, on - timedelta(days=5), on + timedelta(days=5)),
    ]
    document["hankittavat-ammat-tutkinnon-osat"] = [
        {
            "tutkinnon-osa-koodi-uri": "tutkinnonosat_101053",
            "tutkinnon-osa-koodi-versio": 1,
            "osaamisen-hankkimistavat": periods,
        }
    ]
    return document


def _period(tunniste: str, email: str, alku: date, loppu: date) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "alku": alku.isoformat(),
            "loppu": loppu.isoformat(),
            "yksiloiva-tunniste": tunniste,
            "osaamisen-hankkimistapa-koodi-uri": WORKPLACE,
            "osaamisen-hankkimistapa-koodi-versio": 1,
            "osa-aikaisuustieto": 100,
            "tyopaikalla-jarjestettava-koulutus": {
                "vastuullinen-tyopaikka-ohjaaja": {"nimi": "Reija Reuna", "sahkoposti": email},
                "tyopaikan-nimi": "Reuna Oy",
                "tyopaikan-y-tunnus": "1234567-1",
                "keskeiset-tyotehtavat": ["Varastotyö"],
            },
        }
    )
