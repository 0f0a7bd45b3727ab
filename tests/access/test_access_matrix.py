"""The access matrix: every route of the application, against every kind of caller.

One HOKS of provider A's school, for a student whose training is partly procured from provider B,
with a workplace period whose responsible instructor is named. Each route is called by each
subject and the outcome is asserted; a route missing from the table fails the test, so a new
route cannot ship without its row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy import delete, select

from ehoks.app import create_app
from ehoks.auth.sessions import COOKIE_NAME, start_session
from ehoks.config import Settings
from ehoks.hoks import writes as hoks_writes
from ehoks.hoks.models import Hoks, HoksRevision
from ehoks.hoks.names import repository as names
from ehoks.instructor.models import WorkplacePeriod
from ehoks.kit.assets import asset_url
from ehoks.people.models import StaffGrant, StaffMember
from ehoks.pipeline.callers import CSRF_HEADER
from ehoks.registry.service import import_files
from tests.support.actors import trusted_actor
from tests.support.api import API, REGISTRY_FILES, load_registry, make_caller
from tests.support.routes import all_routes

ACCESS_DATA = Path(__file__).resolve().parent.parent / "data" / "access" / "students.json"
SANNI = "1.2.246.562.24.30124551081"  # the student
MAIJA = "1.2.246.562.24.12312312319"  # another student
STUDY_RIGHT = "1.2.246.562.15.20251000079"  # at provider A's school; has the HOKS
PROCURED = "1.2.246.562.15.20251000087"  # at provider B, part of STUDY_RIGHT
SPARE_STUDY_RIGHT = "1.2.246.562.15.20251000095"  # at A's school; for creating
A_SCHOOL = "1.2.246.562.10.54453921329"
PROVIDER_A = "1.2.246.562.10.53642770753"
PROVIDER_B = "1.2.246.562.10.81927839314"
CITY = "1.2.246.562.10.69154219878"
HELSINKI = ZoneInfo("Europe/Helsinki")
WORKPLACE_PERIOD = "osaamisenhankkimistapa_koulutussopimus"
INSTRUCTOR = "olli.ohjaaja@tyopaikka.example.fi"
OTHER_INSTRUCTOR = "toinen.ohjaaja@tyopaikka.example.fi"

SUBJECTS = (
    "anonymous",
    "student_self",
    "student_other",
    "staff_read",
    "staff_write",
    "staff_delete",
    "staff_parent",
    "staff_unrelated",
    "staff_procuring",
    "instructor_named",
    "instructor_other",
    "client_own",
    "client_readonly",
    "client_other",
)
STUDENTS = ("student_self", "student_other")
STAFF = tuple(s for s in SUBJECTS if s.startswith("staff_"))
INSTRUCTORS = ("instructor_named", "instructor_other")
CLIENTS = ("client_own", "client_readonly", "client_other")
PEOPLE = (*STUDENTS, *STAFF, *INSTRUCTORS)

STAFF_GRANTS = {
    "staff_read": (A_SCHOOL, "read"),
    "staff_write": (A_SCHOOL, "write"),
    "staff_delete": (A_SCHOOL, "delete"),
    "staff_parent": (PROVIDER_A, "write"),
    "staff_unrelated": (CITY, "write"),
    "staff_procuring": (PROVIDER_B, "write"),
}


def matrix_hoks(study_right: str = STUDY_RIGHT) -> dict[str, Any]:
    today = datetime.now(HELSINKI).date()
    return {
        "oppija-oid": SANNI,
        "opiskeluoikeus-oid": study_right,
        "ensikertainen-hyvaksyminen": "2024-08-20",
        "osaamisen-hankkimisen-tarve": True,
        "sahkoposti": "sanni.laaksonen@example.fi",
        "hankittavat-ammat-tutkinnon-osat": [
            {
                "tutkinnon-osa-koodi-uri": "tutkinnonosat_101053",
                "tutkinnon-osa-koodi-versio": 1,
                "osaamisen-hankkimistavat": [
                    {
                        "alku": str(today - timedelta(days=30)),
                        "loppu": str(today + timedelta(days=60)),
                        "yksiloiva-tunniste": "matrix-period-1",
                        "osaamisen-hankkimistapa-koodi-uri": WORKPLACE_PERIOD,
                        "osaamisen-hankkimistapa-koodi-versio": 1,
                        "osa-aikaisuustieto": 100,
                        "tyopaikalla-jarjestettava-koulutus": {
                            "vastuullinen-tyopaikka-ohjaaja": {
                                "nimi": "Olli Ohjaaja",
                                "sahkoposti": INSTRUCTOR,
                            },
                            "tyopaikan-nimi": "Ohjaus Oy",
                            "tyopaikan-y-tunnus": "1234567-1",
                            "keskeiset-tyotehtavat": ["Varastotyö"],
                        },
                    }
                ],
            }
        ],
    }


@dataclass
class World:
    http: httpx.Client
    factory: Any
    settings: Settings
    hoks_id: int
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def sign_everyone_in(self) -> None:
        for subject in PEOPLE:
            self.headers[subject] = self.session_headers(subject)

    def session_headers(self, subject: str) -> dict[str, str]:
        """A new session of the subject's person (for routes that end their session)."""
        kind, principal = _person(subject)
        with self.factory() as db:
            new = start_session(
                db, self.settings, kind=kind, principal=principal, display_name=subject
            )
            db.commit()
            return {"Cookie": f"{COOKIE_NAME}={new.token}", CSRF_HEADER: new.row.csrf_token}


def _person(subject: str) -> tuple[str, str]:
    if subject == "student_self":
        return "student", SANNI
    if subject == "student_other":
        return "student", MAIJA
    if subject in STAFF:
        return "staff", f"staff-{subject}"
    if subject == "instructor_named":
        return "workplace_instructor", INSTRUCTOR
    return "workplace_instructor", OTHER_INSTRUCTOR


@pytest.fixture
def world(http, session_factory, live_server) -> World:
    load_registry(session_factory)
    with session_factory() as db:
        import_files(db, [*REGISTRY_FILES, ACCESS_DATA])
        for subject, (organisation, role) in STAFF_GRANTS.items():
            db.add(StaffMember(oid=f"staff-{subject}", name=subject))
            db.add(
                StaffGrant(
                    staff_oid=f"staff-{subject}",
                    organisation_oid=organisation,
                    role=role,
                    source="manual",
                    created_at=datetime.now(UTC),
                    created_by="test",
                )
            )
        db.commit()
    own = make_caller(http, session_factory, A_SCHOOL)
    readonly = make_caller(http, session_factory, A_SCHOOL, access="read")
    other = make_caller(http, session_factory, PROVIDER_B)
    created = own.post("/hoks", matrix_hoks())
    assert created.status_code == 200, created.text
    settings = live_server.app.state.settings
    result = World(http, session_factory, settings, created.json()["meta"]["id"])
    result.headers["anonymous"] = {}
    result.sign_everyone_in()
    result.headers["client_own"] = own.headers
    result.headers["client_readonly"] = readonly.headers
    result.headers["client_other"] = other.headers
    return result


# --- the table --------------------------------------------------------------------------------

Outcome = int | Callable[[httpx.Response], bool]


@dataclass
class Row:
    method: str
    path: str  # a route path; {placeholders} are filled from the world
    expect: dict[str, Outcome]
    body: Callable[[World], Any] | None = None
    form: dict[str, str] | None = None
    fresh_session: bool = False  # the call ends the caller's session
    before: Callable[[World], None] | None = None
    after: Callable[[World, httpx.Response], None] | None = None


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return dict.fromkeys(SUBJECTS, outcome)


def provider(own: Outcome, other: Outcome, readonly: Outcome | None = None) -> dict[str, Outcome]:
    """Provider API: a bearer token is the only way in. A read-only client of the same school
    gets what the writing one gets (`readonly` when that differs: every write is refused)."""
    return {
        **everyone(401),
        "client_own": own,
        "client_readonly": own if readonly is None else readonly,
        "client_other": other,
    }


def signed_in(allowed: dict[str, Outcome], wrong_kind: Outcome = 403) -> dict[str, Outcome]:
    """Session routes: no session 401, a session of another kind 403, then per subject."""
    return {
        **everyone(wrong_kind),
        "anonymous": 401,
        **dict.fromkeys(CLIENTS, 401),
        **allowed,
    }


def staff(
    read_ok: Outcome, *, write: Outcome, delete: Outcome, unrelated: Outcome, procuring: Outcome
) -> dict[str, Outcome]:
    return signed_in(
        {
            "staff_read": read_ok if write == read_ok else 403,
            "staff_write": write,
            "staff_delete": delete,
            "staff_parent": write,
            "staff_unrelated": unrelated,
            "staff_procuring": procuring,
        }
    )


def staff_reader(ok: Outcome, *, unrelated: Outcome, procuring: Outcome) -> dict[str, Outcome]:
    return signed_in(
        {
            "staff_read": ok,
            "staff_write": ok,
            "staff_delete": ok,
            "staff_parent": ok,
            "staff_unrelated": unrelated,
            "staff_procuring": procuring,
        }
    )


def staff_writer(ok: Outcome, *, unrelated: Outcome) -> dict[str, Outcome]:
    return signed_in(
        {
            "staff_read": 403,
            "staff_write": ok,
            "staff_delete": 403,
            "staff_parent": ok,
            "staff_unrelated": unrelated,
            "staff_procuring": 403,
        }
    )


def periods(count: int) -> Callable[[httpx.Response], bool]:
    def check(response: httpx.Response) -> bool:
        return response.status_code == 200 and len(response.json()["data"]) == count

    return check


def error_code(code: str) -> Callable[[httpx.Response], bool]:
    """Let through access control, then refused for a reason of the data (its error code)."""

    def check(response: httpx.Response) -> bool:
        return response.status_code < 500 and response.json().get("code") == code

    check.__name__ = code
    return check


def feed_of(count: int) -> Callable[[httpx.Response], bool]:
    def check(response: httpx.Response) -> bool:
        return response.status_code == 200 and len(response.json()["data"]["result"]) == count

    return check


def changes_of(count: int) -> Callable[[httpx.Response], bool]:
    """The change feed answers 200 with this many changes (the world's HOKS was created once)."""

    def check(response: httpx.Response) -> bool:
        return response.status_code == 200 and len(response.json()["data"]["changes"]) == count

    check.__name__ = f"{count} changes"
    return check


def nothing_listed(response: httpx.Response) -> bool:
    """200 with an empty list: the caller may ask, and the world has nothing of theirs."""
    return response.status_code == 200 and response.json()["data"] == []


def batch_result(counted: str) -> Callable[[httpx.Response], bool]:
    """A batch answers 200; whether its one document was created or refused is the outcome."""

    def check(response: httpx.Response) -> bool:
        return response.status_code == 200 and response.json()["meta"][counted] == 1

    check.__name__ = f"batch {counted}"
    return check


def shows(text: str) -> Callable[[httpx.Response], bool]:
    """A page that answers 200 and names `text` (a student's OID)."""

    def check(response: httpx.Response) -> bool:
        return response.status_code == 200 and text in response.text

    check.__name__ = f"200 showing {text}"
    return check


def shows_not(text: str) -> Callable[[httpx.Response], bool]:
    """A page that answers 200 without a trace of `text`."""

    def check(response: httpx.Response) -> bool:
        return response.status_code == 200 and text not in response.text

    check.__name__ = f"200 without {text}"
    return check


def _get_body(world: World) -> dict[str, Any]:
    response = world.http.get(f"{API}/hoks/{world.hoks_id}", headers=world.headers["client_own"])
    return response.json()["data"]


def _share_body(world: World) -> dict[str, Any]:
    """A national share-link body for the matrix HOKS's one unit."""
    document = _get_body(world)
    return {
        "hoks-eid": document["eid"],
        "tutkinnonosa-module-uuid": document["hankittavat-ammat-tutkinnon-osat"][0]["module-id"],
        "tutkinnonosa-tyyppi": "HankittavaAmmatillinenTutkinnonOsa",
    }


def _forget_created(world: World, response: httpx.Response) -> None:
    """Undo a successful create so that the next subject can try the same one."""
    with world.factory() as db:
        ids = db.scalars(select(Hoks.id).where(Hoks.opiskeluoikeus_oid == SPARE_STUDY_RIGHT)).all()
        db.execute(delete(WorkplacePeriod).where(WorkplacePeriod.hoks_id.in_(ids)))
        db.execute(delete(HoksRevision).where(HoksRevision.hoks_id.in_(ids)))
        names.remove(db, ids)
        db.execute(delete(Hoks).where(Hoks.id.in_(ids)))
        db.commit()


SURVEY_LINK = "https://arvovastaus.example.fi/v/MATRIX1"


def _survey_link() -> dict[str, Any]:
    return {"kyselylinkki": SURVEY_LINK, "alkupvm": "2024-08-20", "tyyppi": "aloittaneet"}


def _record_survey_link(world: World) -> None:
    """The link to update exists (recording it again changes nothing)."""
    path = f"{API}/hoks/{world.hoks_id}/kyselylinkki"
    response = world.http.post(path, json=_survey_link(), headers=world.headers["client_own"])
    assert response.status_code == 204, response.text


def _set_deleted(world: World, *, deleted: bool) -> None:
    with world.factory() as db:
        row = db.get(Hoks, world.hoks_id)
        if (row.deleted_at is not None) != deleted:
            change = hoks_writes.soft_delete_hoks if deleted else hoks_writes.restore_hoks
            change(db, world.hoks_id, trusted_actor(db), now=datetime.now(UTC))
        db.commit()


V = "/ehoks-virkailija-backend/api/v1"
PB = "/ehoks-palaute-backend/api/v1"
OWN_PLAN_PAGE: dict[str, Outcome] = {"student_self": 200, "student_other": 404}
OB = "/ehoks-oppija-backend/api/v1"
STAFF_HOKS = f"{V}/virkailija/oppijat/{{oppija_oid}}/hoksit/{{hoks_id}}"
UI = "/ehoks-virkailija-ui"
UI_PLAN = f"{UI}/opiskelijat/{{oppija_oid}}/hoks/{{hoks_id}}"
# Their grants' organisations and those directly below: A's school is a choice for A's staff.
A_SCHOOL_STAFF = ("staff_read", "staff_write", "staff_delete", "staff_parent")
PLAN_NEW = "/ehoks-virkailija-ui/opiskelijat/{oppija_oid}/uusi-hoks"
PLAN_EDIT = "/ehoks-virkailija-ui/opiskelijat/{oppija_oid}/hoks/{hoks_id}/muokkaa"


def _plan_creator(ok: Outcome) -> dict[str, Outcome]:
    """The new-plan form: a member with the write role who reaches the student (also through
    procured training: which study right they may write is decided when they save)."""
    return signed_in(
        {**staff_writer(ok, unrelated=404), "staff_procuring": ok},
    )


ROWS = [
    # public, personal data nowhere
    Row("GET", "/healthz", everyone(200)),
    Row("GET", "/readyz", everyone(200)),
    Row("GET", "/openapi.json", everyone(200)),
    Row("GET", "/docs", everyone(200)),
    Row("GET", "/docs/assets/{name}", everyone(200)),
    Row("GET", "/assets/{file_name}", everyone(200)),
    Row("POST", "/oauth2/token", everyone(401), form={"grant_type": "client_credentials"}),
    # Without a password: wrong ones from every subject would be throttled as guessing.
    Row("POST", "/cas/v1/tickets", everyone(400), form={"username": "x"}),
    Row("POST", "/cas/v1/tickets/{granting_ticket}", everyone(404), form={"service": "x"}),
    Row("DELETE", "/cas/v1/tickets/{granting_ticket}", everyone(404)),
    Row("GET", "/dev-idp/.well-known/openid-configuration", everyone(200)),
    Row("GET", "/dev-idp/jwks", everyone(200)),
    Row("GET", "/dev-idp/authorize", everyone(400)),
    Row("POST", "/dev-idp/authorize", everyone(400), form={}),
    Row("POST", "/dev-idp/token", everyone(401), form={"grant_type": "authorization_code"}),
    Row("GET", "/auth/{audience}/login", everyone(302)),
    Row("GET", "/auth/callback", everyone(400)),
    Row("GET", "/tyopaikkaohjaaja", everyone(200)),
    Row("POST", "/tyopaikkaohjaaja", everyone(202), form={"sahkoposti": "ei.tunneta@example.fi"}),
    Row("GET", "/tyopaikkaohjaaja/kirjaudu", everyone(410)),
    Row("POST", "/tyopaikkaohjaaja/kirjaudu", everyone(410), form={"token": "x" * 43}),
    Row(
        "POST",
        f"{OB}/tyopaikkaohjaaja/kirjautumislinkki",
        everyone(202),
        body=lambda w: {"sahkoposti": "ei.tunneta@example.fi"},
    ),
    # the provider API
    Row(
        "POST",
        f"{V}/hoks",
        provider(200, 403, readonly=403),
        body=lambda w: matrix_hoks(SPARE_STUDY_RIGHT),
        after=_forget_created,
    ),
    Row(
        "POST",
        f"{V}/hoks/bulk",
        provider(batch_result("created"), batch_result("refused"), readonly=403),
        body=lambda w: [matrix_hoks(SPARE_STUDY_RIGHT)],
        after=_forget_created,
    ),
    Row("GET", f"{V}/hoks/paged", provider(feed_of(1), feed_of(0))),
    Row("GET", f"{V}/hoks/muutokset", provider(changes_of(1), changes_of(0))),
    Row(
        "PUT",
        f"{V}/hoks/bulk",
        provider(batch_result("created"), batch_result("refused"), readonly=403),
        body=lambda w: [matrix_hoks(SPARE_STUDY_RIGHT)],
        after=_forget_created,
    ),
    Row("GET", f"{V}/hoks/huomautukset", provider(200, nothing_listed)),
    Row("GET", f"{V}/hoks/opiskeluoikeus/{{opiskeluoikeus_oid}}", provider(200, 404)),
    Row("GET", f"{V}/hoks/{{hoks_id}}", provider(200, 404)),
    Row("GET", f"{V}/hoks/{{hoks_id}}/hankintakoulutukset", provider(200, 404)),
    Row("GET", f"{V}/hoks/osaamisen-hankkimistapa/{{module_id}}", provider(404, 404)),
    Row("PUT", f"{V}/hoks/{{hoks_id}}", provider(204, 404, readonly=403), body=_get_body),
    Row(
        "PATCH",
        f"{V}/hoks/{{hoks_id}}",
        provider(204, 404, readonly=403),
        body=lambda w: {"id": w.hoks_id, "versio": 2},
    ),
    Row(
        "POST", f"{V}/validointi", provider(200, 403), body=lambda w: matrix_hoks(SPARE_STUDY_RIGHT)
    ),
    # a survey link the provider's own system made: recorded for the HOKS, then its sending
    Row(
        "POST",
        f"{V}/hoks/{{hoks_id}}/kyselylinkki",
        provider(204, 404, readonly=403),
        body=lambda w: _survey_link(),
    ),
    Row(
        "PATCH",
        f"{V}/hoks/kyselylinkki",
        provider(204, error_code("survey_link_not_found"), readonly=403),
        body=lambda w: {
            "kyselylinkki": SURVEY_LINK,
            "lahetyspvm": "2024-08-21",
            "sahkoposti": "sanni.laaksonen@example.fi",
        },
        before=_record_survey_link,
    ),
    Row("GET", f"{V}/hoks/{{hoks_id}}/{{part}}", provider(410, 410)),
    Row("POST", f"{V}/hoks/{{hoks_id}}/{{part}}", provider(410, 410), body=lambda w: {}),
    Row("GET", f"{V}/hoks/{{hoks_id}}/{{part}}/{{part_id}}", provider(410, 410)),
    Row(
        "PATCH", f"{V}/hoks/{{hoks_id}}/{{part}}/{{part_id}}", provider(410, 410), body=lambda w: {}
    ),
    # the palaute backend: only a national system (root organisation, write) runs the worker's work
    *(
        Row("POST", f"{PB}{tail}", provider(403, 403))
        for tail in (
            "/opiskelijapalaute/{hoks_id}/kyselylinkki",
            "/opiskelijapalaute/{hoks_id}/kutsuviesti",
            "/opiskelijapalaute/kyselylinkit",
            "/opiskelijapalaute/kutsuviestit",
            "/tyoelamapalaute/{feedback_id}/vastaajatunnus",
            "/tyoelamapalaute/vastaajatunnukset",
        )
    ),
    # sessions
    Row("POST", "/auth/logout", signed_in(dict.fromkeys(PEOPLE, 200)), fresh_session=True),
    Row(
        "POST",
        "/auth/logout-everywhere",
        signed_in(dict.fromkeys(PEOPLE, 200)),
        fresh_session=True,
        after=lambda w, r: w.sign_everyone_in(),
    ),
    Row("GET", f"{V}/virkailija/session", signed_in(dict.fromkeys(STAFF, 200))),
    Row(
        "DELETE",
        f"{V}/virkailija/session",
        signed_in(dict.fromkeys(STAFF, 200)),
        fresh_session=True,
    ),
    Row("GET", f"{OB}/oppija/session", signed_in(dict.fromkeys(STUDENTS, 200))),
    Row("GET", f"{OB}/oppija/session/user-info", signed_in(dict.fromkeys(STUDENTS, 200))),
    Row(
        "DELETE",
        f"{OB}/oppija/session",
        signed_in(dict.fromkeys(STUDENTS, 200)),
        fresh_session=True,
    ),
    # staff
    Row(
        "GET",
        f"{V}/virkailija/oppijat?oppilaitos-oid={A_SCHOOL}",
        staff_reader(200, unrelated=403, procuring=403),
    ),
    Row(
        "GET",
        f"{V}/virkailija/oppijat/{{oppija_oid}}",
        staff_reader(200, unrelated=404, procuring=200),
    ),
    Row(
        "GET",
        f"{V}/virkailija/oppijat/{{oppija_oid}}/opiskeluoikeudet",
        staff_reader(200, unrelated=404, procuring=200),
    ),
    Row(
        "GET",
        f"{V}/virkailija/oppijat/{{oppija_oid}}/hoksit",
        staff_reader(200, unrelated=404, procuring=200),
    ),
    Row("GET", STAFF_HOKS, staff_reader(200, unrelated=404, procuring=200)),
    Row(
        "POST",
        f"{V}/virkailija/oppijat/{{oppija_oid}}/hoksit",
        staff_writer(200, unrelated=403),
        body=lambda w: matrix_hoks(SPARE_STUDY_RIGHT),
        after=_forget_created,
    ),
    Row("PUT", STAFF_HOKS, staff_writer(204, unrelated=404), body=_get_body),
    Row(
        "PATCH",
        STAFF_HOKS,
        staff_writer(204, unrelated=404),
        body=lambda w: {"id": w.hoks_id, "versio": 3},
    ),
    Row(
        "PATCH",
        STAFF_HOKS + "/shallow-delete",
        signed_in({**dict.fromkeys(STAFF, 403), "staff_delete": 200, "staff_unrelated": 404}),
        body=lambda w: {"oppilaitos-oid": None},
        after=lambda w, r: _set_deleted(w, deleted=False),
    ),
    Row(
        "PATCH",
        STAFF_HOKS + "/restore",
        signed_in({**dict.fromkeys(STAFF, 403), "staff_delete": 200, "staff_unrelated": 404}),
        body=lambda w: {},
        before=lambda w: _set_deleted(w, deleted=True),
        after=lambda w, r: _set_deleted(w, deleted=False),
    ),
    Row(
        "GET",
        STAFF_HOKS + "/opiskelijapalaute",
        staff_reader(200, unrelated=404, procuring=200),
    ),
    Row(
        "POST",
        STAFF_HOKS + "/resend-palaute",
        staff_writer(error_code("feedback_not_open"), unrelated=404),
        body=lambda w: {"tyyppi": "aloittaneet"},
    ),
    Row(
        "GET",
        f"{V}/virkailija/kayttajat?organisation={A_SCHOOL}",
        signed_in(dict.fromkeys(STAFF, 403)),
    ),
    # the staff pages
    Row("GET", UI, signed_in(dict.fromkeys(STAFF, 200))),
    Row("GET", f"{UI}/organisaatio", signed_in(dict.fromkeys(STAFF, 200))),
    Row(
        "POST",
        f"{UI}/organisaatio",
        signed_in({**dict.fromkeys(STAFF, 400), **dict.fromkeys(A_SCHOOL_STAFF, 303)}),
        form={"organisation": A_SCHOOL},
    ),
    Row(
        "GET",
        f"{UI}/opiskelijat",
        staff_reader(shows(SANNI), unrelated=shows_not(SANNI), procuring=shows_not(SANNI)),
    ),
    Row(
        "GET",
        f"{UI}/opiskelijat/{{oppija_oid}}",
        staff_reader(shows(SANNI), unrelated=404, procuring=shows(SANNI)),
    ),
    Row("GET", UI_PLAN, staff_reader(shows(SANNI), unrelated=404, procuring=shows(SANNI))),
    *(
        Row("GET", f"{UI_PLAN}{tail}", staff_reader(200, unrelated=404, procuring=200))
        for tail in (
            "/historia",
            "/historia/{number}",
            "/historia/muutokset?vanha=1&uusi=1",
            "/tapahtumat",
        )
    ),
    Row(
        "GET",
        f"{UI_PLAN}/poista",
        signed_in({**dict.fromkeys(STAFF, 403), "staff_delete": 200, "staff_unrelated": 404}),
    ),
    Row(
        "POST",
        f"{UI_PLAN}/poista",
        signed_in({**dict.fromkeys(STAFF, 403), "staff_delete": 303, "staff_unrelated": 404}),
        form={},
        after=lambda w, r: _set_deleted(w, deleted=False),
    ),
    Row("GET", f"{UI}/poistetut", signed_in({**dict.fromkeys(STAFF, 403), "staff_delete": 200})),
    Row(
        "POST",
        f"{UI}/poistetut/{{hoks_id}}/palauta",
        signed_in({**dict.fromkeys(STAFF, 403), "staff_delete": 303, "staff_unrelated": 404}),
        form={"oppija_oid": SANNI},
        before=lambda w: _set_deleted(w, deleted=True),
        after=lambda w, r: _set_deleted(w, deleted=False),
    ),
    Row("GET", f"{UI}/yllapito", signed_in(dict.fromkeys(STAFF, 403))),
    Row(
        "POST",
        f"{UI}/yllapito/oikeudet",
        signed_in(dict.fromkeys(STAFF, 403)),
        form={"staff_oid": "1.2.246.562.24.55555555555", "organisation": A_SCHOOL, "role": "read"},
    ),
    Row(
        "POST",
        f"{UI}/yllapito/oikeudet/poista",
        signed_in(dict.fromkeys(STAFF, 403)),
        form={"staff_oid": "staff-staff_read", "organisation": A_SCHOOL, "role": "read"},
    ),
    Row(
        "POST",
        f"{UI}/yllapito/jarjestelmat",
        signed_in(dict.fromkeys(STAFF, 403)),
        form={"client_name": "x", "client_organisation": A_SCHOOL, "access": "read"},
    ),
    Row(
        "POST",
        f"{UI}/yllapito/jarjestelmat/{{client_id}}/poista",
        signed_in(dict.fromkeys(STAFF, 404)),
        form={},
    ),
    Row("GET", f"{UI}/raportit", signed_in(dict.fromkeys(STAFF, 200))),
    Row(
        "GET", f"{UI}/raportit/opiskeluoikeudet", signed_in(dict.fromkeys(STAFF, shows_not(SANNI)))
    ),
    Row(
        "GET",
        f"{UI}/raportit/tyopaikkajaksot",
        staff_reader(shows(SANNI), unrelated=shows_not(SANNI), procuring=shows_not(SANNI)),
    ),
    Row("GET", f"{UI}/raportit/tietojen-laatu", signed_in(dict.fromkeys(STAFF, shows_not(SANNI)))),
    Row(
        "GET",
        f"{UI}/raportit/suunnitelmien-laatu",
        signed_in(dict.fromkeys(STAFF, shows_not(SANNI))),
    ),
    # Sanni's spare study right at A's school has no plan; her procured training at B is A's to
    # plan, so B's member does not see it either.
    Row(
        "GET",
        f"{UI}/raportit/ilman-suunnitelmaa",
        staff_reader(shows(SANNI), unrelated=shows_not(SANNI), procuring=shows_not(SANNI)),
    ),
    # students
    *(
        Row(
            "GET",
            f"{OB}/oppija/oppijat/{{oppija_oid}}{tail}",
            signed_in({"student_self": 200, "student_other": 403}),
        )
        for tail in ("", "/hoks", "/opiskeluoikeudet", "/tapahtumat", "/kyselylinkit")
    ),
    # the front page and the student's pages
    Row("GET", "/", {**everyone(200), **dict.fromkeys(PEOPLE, 303)}),
    Row("GET", "/saavutettavuus", everyone(200)),
    Row("GET", "/ehoks/huoltaja", everyone(200)),
    Row("GET", "/ehoks/suunnittelu", signed_in({"student_self": 200, "student_other": 200})),
    Row(
        "GET",
        "/ehoks/suunnittelu/{hoks_id}",
        signed_in({"student_self": 200, "student_other": 404}),
    ),
    # a student's plan through time: another student's is not found
    *(
        Row("GET", f"/ehoks/suunnittelu/{{hoks_id}}{tail}", signed_in(OWN_PLAN_PAGE))
        for tail in (
            "/tapahtumat",
            "/historia",
            "/historia/{number}",
            "/historia/muutokset?vanha=1&uusi=1",
        )
    ),
    # a student's competence summary (page and PDF): another student's plan is not found
    *(
        Row("GET", f"/ehoks/suunnittelu/{{hoks_id}}/osaamiskooste{tail}", signed_in(OWN_PLAN_PAGE))
        for tail in ("", ".pdf")
    ),
    # sharing by consent: only the plan's own student makes, lists and withdraws its links
    Row("GET", "/ehoks/suunnittelu/{hoks_id}/jaot", signed_in(OWN_PLAN_PAGE)),
    Row(
        "POST",
        "/ehoks/suunnittelu/{hoks_id}/jaot",
        signed_in({"student_self": 201, "student_other": 404}),
        form={"sisalto": "summary", "kenelle": "Työnantaja"},
    ),
    Row(
        "POST",
        "/ehoks/suunnittelu/{hoks_id}/jaot/{share_id}/peru",
        signed_in({"student_self": 404, "student_other": 404}),
        form={},
    ),
    Row(
        "POST",
        f"{OB}/oppija/jaot/jakolinkit",
        signed_in({"student_self": 200, "student_other": 404}),
        body=_share_body,
    ),
    *(
        Row(
            method,
            f"{OB}/oppija/jaot/jakolinkit/{{share_id}}",
            signed_in(dict.fromkeys(STUDENTS, 404)),
        )
        for method in ("GET", "DELETE")
    ),
    Row("GET", f"{OB}/oppija/jaot/moduulit/{{module_id}}", signed_in(dict.fromkeys(STUDENTS, 200))),
    Row(
        "GET",
        "/ehoks/suunnittelu/{hoks_id}/jaksot/{module_id}",
        signed_in(dict.fromkeys(STUDENTS, 404)),
    ),
    Row(
        "POST",
        "/ehoks/suunnittelu/{hoks_id}/jaksot/{module_id}/ohjaajalle",
        signed_in(dict.fromkeys(STUDENTS, 404)),
        form={},
    ),
    # The link is the credential: an unknown one is not found by anyone (and counts as a guess).
    Row("GET", "/jako/{secret}", everyone(404)),
    # a credential that does not exist is not found, whoever's plan it names
    Row(
        "GET",
        "/ehoks/suunnittelu/{hoks_id}/osaamiskooste/todisteet/{credential_id}",
        signed_in({"student_self": 404, "student_other": 404}),
    ),
    Row(
        "POST",
        "/ehoks/suunnittelu/{hoks_id}/osaamiskooste/todisteet",
        signed_in({"student_self": 303, "student_other": 404}),
        form={"kieli": "fi"},
    ),
    Row(
        "POST",
        "/ehoks/suunnittelu/{hoks_id}/osaamiskooste/todisteet/{credential_id}/peru",
        signed_in({"student_self": 404, "student_other": 404}),
        form={},
    ),
    # what anyone needs to verify a credential: the keys, the status lists, the check page
    Row("GET", "/.well-known/did.json", everyone(200)),
    Row("GET", "/.well-known/jwks.json", everyone(200)),
    Row("GET", "/credentials/status/{number}", everyone(200)),
    Row("GET", "/tarkista", everyone(200)),
    Row("POST", "/tarkista", everyone(200), form={"todiste": "not.a.credential"}),
    # the built-in survey: the link is the credential; an unknown one is not found by anyone
    Row("GET", "/palaute/{tunnus}", everyone(404)),
    Row("POST", "/palaute/{tunnus}", everyone(404), form={"arvosana": "5"}),
    # workplace instructors
    Row(
        "GET",
        f"{OB}/tyopaikkaohjaaja/jaksot",
        signed_in({"instructor_named": periods(1), "instructor_other": periods(0)}),
    ),
    Row(
        "GET",
        "/tyopaikkaohjaaja/jaksot",
        signed_in({"instructor_named": 200, "instructor_other": 200}),
    ),
    # The staff plan form: the write role only; "add" answers with the form and stores nothing.
    Row("GET", PLAN_NEW, _plan_creator(200)),
    Row("POST", PLAN_NEW, _plan_creator(200), form={"action": "add:oppimisen-tuki"}),
    Row("GET", PLAN_EDIT, staff_writer(200, unrelated=404)),
    # a plan's feedback surveys: read to see, write to send again (none open here: 404)
    Row("GET", UI_PLAN + "/palaute", staff_reader(200, unrelated=404, procuring=200)),
    Row(
        "POST",
        UI_PLAN + "/palaute",
        staff_writer(404, unrelated=404),
        form={"tyyppi": "aloittaneet"},
    ),
    Row("GET", f"{UI}/yllapito/palautetyot", signed_in(dict.fromkeys(STAFF, 403))),
    Row(
        "POST",
        PLAN_EDIT,
        staff_writer(200, unrelated=404),
        form={"revision": "1", "action": "add:oppimisen-tuki"},
    ),
]

VALUES = {
    "hoks_id": None,
    "oppija_oid": SANNI,
    "opiskeluoikeus_oid": STUDY_RIGHT,
    "audience": "staff",
    "part": "hankittava-ammat-tutkinnon-osa",
    "part_id": "1",
    "number": "1",
    "granting_ticket": "TGT-" + "x" * 43,
    "module_id": "00000000-0000-4000-8000-000000000000",
    "name": "swagger-ui.css",
    "file_name": asset_url("site.css").rsplit("/", 1)[1],
    "client_id": "no-such-client",
    "tunnus": "ANOSUCHSURVEY",
    "share_id": "00000000-0000-4000-8000-000000000000",
    "secret": "x" * 43,
    "feedback_id": "1",
    "credential_id": "00000000-0000-4000-8000-000000000000",
}


def _route_key(method: str, path: str) -> tuple[str, str]:
    return method, path.split("?", 1)[0]


def test_every_route_has_a_row(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'matrix.db'}"))
    routes = {(m, r.path) for r in all_routes(app) for m in r.methods}
    rows = {_route_key(row.method, row.path) for row in ROWS}
    assert routes - rows == set(), "routes without a row in the access matrix"
    assert rows - routes == set(), "rows for routes that do not exist"
    assert all(set(row.expect) == set(SUBJECTS) for row in ROWS)
    # Every provider route that writes (all but the retired 410 part routes) refuses a read-only
    # client of the very school that owns the HOKS.
    writes = [
        row
        for row in ROWS
        if row.path.startswith(f"{V}/hoks")
        and row.method != "GET"
        and row.expect["client_own"] != 410
    ]
    assert len(writes) == 7
    assert all(row.expect["client_readonly"] == 403 for row in writes)


def _call(world: World, row: Row, subject: str) -> httpx.Response:
    path = row.path.format(**{**VALUES, "hoks_id": world.hoks_id})
    headers = (
        world.session_headers(subject)
        if row.fresh_session and subject in PEOPLE
        else world.headers[subject]
    )
    if row.form is not None:
        return world.http.request(row.method, path, data=row.form, headers=headers)
    body = row.body(world) if row.body else None
    if body is None:
        return world.http.request(row.method, path, headers=headers)
    return world.http.request(row.method, path, json=body, headers=headers)


def test_access_matrix(world):
    failures = []
    for row in ROWS:
        for subject in SUBJECTS:
            if row.before:
                row.before(world)
            response = _call(world, row, subject)
            expected = row.expect[subject]
            ok = expected(response) if callable(expected) else response.status_code == expected
            if not ok:
                failures.append(
                    f"{row.method} {row.path} as {subject}: got {response.status_code} "
                    f"{response.text[:120]!r}, expected {getattr(expected, '__name__', expected)}"
                )
            if row.after:
                row.after(world, response)
    assert failures == [], "\n".join(failures)
