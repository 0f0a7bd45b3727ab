"""Session lifetime, sign-out (here and everywhere) and CSRF, through real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from ehoks.auth.models import WebSession
from tests.auth.flow import STAFF_SESSION, sign_in_staff


def _age_all_sessions(session, **values):
    session.execute(update(WebSession).values(**values))
    session.commit()


def _last_seen(session) -> datetime:
    # Read and the transaction ended: on SQLite the test's session would hold the write lock.
    seen = session.scalars(select(WebSession.last_seen_at)).one()
    session.commit()
    return seen


def test_idle_session_expires(browser, session):
    sign_in_staff(browser)
    _age_all_sessions(session, last_seen_at=datetime.now(UTC) - timedelta(minutes=31))
    response = browser.get(STAFF_SESSION)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_active_session_survives_within_the_idle_limit(browser, session):
    sign_in_staff(browser)
    _age_all_sessions(session, last_seen_at=datetime.now(UTC) - timedelta(minutes=29))
    assert browser.get(STAFF_SESSION).status_code == 200


def test_a_request_marks_its_session_seen_at_most_once_a_minute(browser, session):
    sign_in_staff(browser)
    long_ago = datetime.now(UTC) - timedelta(minutes=29)
    _age_all_sessions(session, last_seen_at=long_ago)
    before = datetime.now(UTC)
    assert browser.get(STAFF_SESSION).status_code == 200
    seen = _last_seen(session)
    assert before <= seen <= datetime.now(UTC)
    # Seen a moment ago: the next request leaves the row as it is.
    assert browser.get(STAFF_SESSION).status_code == 200
    assert _last_seen(session) == seen
    # And the session stays alive past the first idle limit, counted from the later time.
    _age_all_sessions(session, last_seen_at=seen - timedelta(minutes=29))
    assert browser.get(STAFF_SESSION).status_code == 200


def test_absolute_expiry_ends_even_an_active_session(browser, session):
    sign_in_staff(browser)
    _age_all_sessions(session, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert browser.get(STAFF_SESSION).status_code == 401


def test_logout_needs_the_csrf_token(browser):
    sign_in_staff(browser)
    refused = browser.post("/auth/logout")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    wrong = browser.post("/auth/logout", headers={"X-CSRF-Token": "wrong"})
    assert wrong.status_code == 403
    assert browser.get(STAFF_SESSION).status_code == 200  # still signed in


def test_logout_with_the_header_ends_the_session(browser, session):
    csrf = sign_in_staff(browser)
    response = browser.post("/auth/logout", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    assert response.json()["data"] == {"signed-out-sessions": 1}
    cleared = response.headers["set-cookie"]
    assert cleared.startswith('ehoks_session=""') or "Max-Age=0" in cleared
    assert browser.get(STAFF_SESSION).status_code == 401
    rows = session.scalars(select(WebSession)).all()
    session.commit()
    assert [r.revoked_at is not None for r in rows] == [True]


def test_logout_from_a_plain_form(browser):
    csrf = sign_in_staff(browser)
    response = browser.post("/auth/logout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert browser.get(STAFF_SESSION).status_code == 401


def test_logout_everywhere_ends_every_session_of_the_person(browser, other_browser):
    csrf = sign_in_staff(browser)
    sign_in_staff(other_browser)
    assert other_browser.get(STAFF_SESSION).status_code == 200
    response = browser.post("/auth/logout-everywhere", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200
    assert response.json()["data"] == {"signed-out-sessions": 2}
    assert browser.get(STAFF_SESSION).status_code == 401
    assert other_browser.get(STAFF_SESSION).status_code == 401


def test_sign_out_is_audited(browser, session):
    from ehoks.audit.models import AuditEvent

    csrf = sign_in_staff(browser)
    browser.post("/auth/logout-everywhere", headers={"X-CSRF-Token": csrf})
    operations = session.scalars(select(AuditEvent.operation)).all()
    session.commit()
    assert "session.sign_out_everywhere" in operations


def test_national_delete_session_needs_csrf(browser):
    csrf = sign_in_staff(browser)
    refused = browser.delete(STAFF_SESSION)
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert browser.delete(STAFF_SESSION, headers={"X-CSRF-Token": csrf}).status_code == 200
    assert browser.get(STAFF_SESSION).status_code == 401


def test_no_session_is_401(browser):
    assert browser.get(STAFF_SESSION).status_code == 401
    assert browser.post("/auth/logout").status_code == 401
