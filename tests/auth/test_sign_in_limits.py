"""Anyone may start a sign-in, and each start stores a row: the starts are bounded per address,
and the rows nobody finished are deleted (as each sign-in starts, and by `ehoks maintenance
purge` on a schedule)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ehoks.auth.models import OidcSignIn
from ehoks.auth.service import SIGN_IN_MAX_AGE, SIGN_IN_STARTS
from ehoks.kit import throttle
from ehoks.kit.db.base import utcnow
from ehoks.kit.db.engine import transaction
from ehoks.kit.throttle import Limit, ThrottleCount
from tests.support.cli import ehoks


def start(browser, address: str, **headers: str):
    return browser.get("/auth/staff/login", headers={"X-Forwarded-For": address, **headers})


def sign_ins(session_factory) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(OidcSignIn)) or 0


def test_an_address_that_starts_too_many_sign_ins_waits(browser, session_factory):
    allowed = SIGN_IN_STARTS.attempts
    statuses = [start(browser, "192.0.2.50").status_code for _ in range(allowed + 5)]
    assert statuses == [302] * allowed + [429] * 5
    assert sign_ins(session_factory) == allowed

    refused = start(browser, "192.0.2.50")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 120
    assert refused.json()["code"] == "too_many_attempts"
    assert refused.json()["error"].startswith("Liian monta yritystä")
    english = start(browser, "192.0.2.50", **{"Accept-Language": "en"}).json()
    assert english["error"].startswith("Too many attempts")
    # A browser gets a page that says so and offers to try again.
    page = start(browser, "192.0.2.50", Accept="text/html,application/xhtml+xml")
    assert page.status_code == 429
    assert page.headers["content-type"].startswith("text/html")
    assert "Retry-After" in page.headers
    assert "Liian monta yritystä" in page.text
    assert 'href="/auth/staff/login"' in page.text

    # Another address is not held back.
    assert start(browser, "192.0.2.51").status_code == 302


def test_maintenance_purge_deletes_unfinished_sign_ins_and_ended_counts(
    browser, session_factory, database_url
):
    assert start(browser, "192.0.2.60").status_code == 302
    assert start(browser, "192.0.2.61").status_code == 302
    now = utcnow()
    ended = Limit("test-ended", 1, timedelta(seconds=1))
    with transaction(session_factory) as session:
        old = session.scalars(select(OidcSignIn)).first()
        assert old is not None
        old.created_at = now - SIGN_IN_MAX_AGE - timedelta(seconds=1)
        throttle.count(session, ended, "someone", now - timedelta(minutes=5))

    result = ehoks("maintenance", "purge", env={"EHOKS_DATABASE_URL": database_url})
    assert result.exit_code == 0, result.stderr
    assert "purged: 1 unfinished sign-in(s), 1 throttle count(s)" in result.stdout
    assert sign_ins(session_factory) == 1
    with session_factory() as session:
        # The sign-in starts' own counts are of a window still running: kept.
        assert session.scalar(select(func.count()).select_from(ThrottleCount)) == 2
