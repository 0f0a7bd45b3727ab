"""A database that is away answers 503 with Retry-After (a page for browsers), never 500; and no
database error puts the statement's values (e-mail addresses, PKCE verifiers) into the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import psycopg
import pytest
from sqlalchemy import Engine, text

from ehoks.app import create_app
from ehoks.config import Settings
from tests.conftest import TEST_SIGNING_KEY
from tests.support.api import fresh_example, load_registry, make_caller, owner_of
from tests.support.databases import ADMIN_URL
from tests.support.server import LiveServer

SESSION_ROUTE = "/ehoks-virkailija-backend/api/v1/virkailija/session"
PAGE_ROUTE = "/tyopaikkaohjaaja/jaksot"
NO_SESSION = {"Cookie": "ehoks_session=not-a-session"}
UNREACHABLE = {
    # A closed port: the connection is refused at once.
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/ehoks",
    "sqlite": "sqlite:////nonexistent-directory/ehoks.db",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def unreachable(request: pytest.FixtureRequest) -> Iterator[httpx.Client]:
    settings = Settings(database_url=UNREACHABLE[request.param], token_signing_key=TEST_SIGNING_KEY)
    server = LiveServer(create_app(settings))
    server.start()
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            yield client
    finally:
        server.stop()


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) > 0


def test_an_unreachable_database_is_a_503_with_retry_after(unreachable):
    ready = unreachable.get("/readyz")
    assert_unavailable(ready)
    assert ready.json()["code"] == "database_unavailable"
    api = unreachable.get(SESSION_ROUTE, headers=NO_SESSION)
    assert_unavailable(api)
    assert api.json()["code"] == "database_unavailable"
    page = unreachable.get(
        PAGE_ROUTE, headers={**NO_SESSION, "Accept": "text/html", "Accept-Language": "sv"}
    )
    assert_unavailable(page)
    assert page.headers["content-type"].startswith("text/html")
    assert "Tjänsten är inte tillgänglig just nu" in page.text
    # Refusals at the edge are recorded in the database too: still a 503, not a 500.
    assert_unavailable(unreachable.get("/healthz?x=%00"))
    assert unreachable.get("/healthz").status_code == 200  # the process itself is up


def _terminate_connections(database: str) -> int:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return len(rows)


@pytest.mark.only_on("postgresql")  # a server that drops its connections
def test_postgresql_going_away_mid_run_is_a_503_then_the_service_recovers(
    http, backend, db: Engine, live_server
):
    assert http.get(SESSION_ROUTE, headers=NO_SESSION).status_code == 401
    assert _terminate_connections(db.url.database or "") >= 1
    db.dispose()  # the test's own pool lost its connections too
    dropped = http.get(SESSION_ROUTE, headers=NO_SESSION)
    assert_unavailable(dropped)
    assert dropped.json()["code"] == "database_unavailable"
    # The dropped connections are replaced: the next request is answered as usual.
    assert http.get(SESSION_ROUTE, headers=NO_SESSION).status_code == 401
    assert http.get("/readyz").status_code == 200


def _refuse_inserts(db: Engine, table: str) -> None:
    """Make every insert into `table` fail inside the database, as a real fault would; on
    PostgreSQL the error's own text holds the whole row."""
    with db.begin() as conn:
        if db.dialect.name == "postgresql":
            conn.execute(
                text(
                    "CREATE OR REPLACE FUNCTION refuse_all() RETURNS trigger LANGUAGE plpgsql AS "
                    "$$ BEGIN RAISE EXCEPTION 'refused by the test: %', row_to_json(NEW); END $$"
                )
            )
            conn.execute(
                text(
                    f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION refuse_all()"
                )
            )
        else:
            conn.execute(
                text(
                    f"CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} "
                    # Not RAISE(), whose constraint error a create takes for a lost race.
                    "BEGIN SELECT json('refused by the test'); END"
                )
            )


def _allow_inserts(db: Engine, table: str) -> None:
    with db.begin() as conn:
        on = f" ON {table}" if db.dialect.name == "postgresql" else ""
        conn.execute(text(f"DROP TRIGGER refuse_{table}{on}"))


def test_a_database_error_logs_no_values_of_its_statement(
    http, session_factory, db: Engine, caplog: pytest.LogCaptureFixture
):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    marker = "tuntomerkki.henkilo@example.fi"
    document["sahkoposti"] = marker
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, school)
    caplog.set_level(logging.DEBUG)
    _refuse_inserts(db, "hoks")
    _refuse_inserts(db, "oidc_sign_in")
    try:
        failed = caller.post("/hoks", document)
        assert failed.status_code >= 500
        # A sign-in stores its PKCE verifier, state and nonce: the insert fails the same way.
        sign_in = http.get("/auth/staff/login", follow_redirects=False)
        assert sign_in.status_code >= 500
    finally:
        _allow_inserts(db, "hoks")
        _allow_inserts(db, "oidc_sign_in")
    served = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    logged = "\n".join(
        r.getMessage() + str(r.exc_info or "") + str(r.exc_text or "") for r in served
    )
    assert "unhandled error" in logged  # the failure itself is logged, by what and where
    assert "INSERT INTO hoks" in logged
    assert "INSERT INTO oidc_sign_in" in logged
    assert marker not in logged
    assert "Failing row" not in logged  # PostgreSQL's detail holds the whole row
    assert "[parameters" not in logged
    assert "refused by the test" not in logged  # no exception's own text at all
