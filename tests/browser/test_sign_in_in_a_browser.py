"""Signing in as a person would: a phone-sized Chromium, the development identity provider's
page, the redirect back and the session cookie the browser then sends."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.api import load_registry

MAIJA = "1.2.246.562.24.12312312319"
SHOTS = Path(__file__).resolve().parent.parent.parent / "build" / "screenshots"


def test_student_signs_in_on_a_phone(phone, live_server, session_factory, http):
    load_registry(session_factory)
    base = live_server.base_url
    phone.goto(f"{base}/auth/student/login?return_to=/ehoks-oppija-backend/api/v1/oppija/session")
    assert phone.url.startswith(f"{base}/dev-idp/authorize")
    assert phone.locator("html").get_attribute("lang") in {"fi", "sv", "en"}
    # The page fits the phone: nothing needs horizontal scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "dev-idp-phone.png"), full_page=True)

    phone.locator(f'input[name="persona"][value="student:{MAIJA}"]').check()
    phone.locator('button[type="submit"]').click()
    phone.wait_for_url(f"{base}/ehoks-oppija-backend/api/v1/oppija/session")
    session = json.loads(phone.locator("body").inner_text())
    assert session["data"][0]["oid"] == MAIJA

    cookie = next(c for c in phone.context.cookies() if c["name"] == "ehoks_session")
    assert cookie["httpOnly"] is True
    assert cookie["secure"] is True
    assert cookie["sameSite"] == "Lax"
    # The student's own data opens with the same browser session.
    response = phone.request.get(f"{base}/ehoks-oppija-backend/api/v1/oppija/oppijat/{MAIJA}")
    assert response.status == 200


def test_workplace_instructor_page_on_a_phone(phone, live_server, http):
    base = live_server.base_url
    phone.goto(f"{base}/tyopaikkaohjaaja")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    email = phone.get_by_label("Sähköposti", exact=False)
    assert email.count() == 1  # the field has a label a screen reader announces
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "instructor-phone.png"), full_page=True)
