"""The page toolkit through real HTTP: headers, assets, the language choice and error pages.

A small application of its own (no database needed): the real service plus three page routes
that fail on purpose, exactly as a page route of any surface would.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import httpx
import pytest
from fastapi import Request

from ehoks.config import Settings
from ehoks.kit.errors import ApiError
from ehoks.kit.pages import page_router, render
from ehoks.kit.policy import public
from tests.support.server import LiveServer

INSTRUCTOR_PAGE = "/tyopaikkaohjaaja"
ASSET = re.compile(r'href="(/assets/site\.([0-9a-f]{16})\.css)"')


def _failing_pages():
    router = page_router(sign_in="/auth/student/login?return_to={here}")
    policy = [public("test page")]

    @router.get("/test-page/status/{status}", dependencies=policy)
    def fail(status: int) -> None:
        headers = {"Retry-After": "120"} if status == 429 else None
        code = {410: "sign_in_link_invalid", 503: "mail_unavailable"}.get(status, "forbidden")
        raise ApiError(status, code, headers=headers)

    @router.get("/test-page/crash", dependencies=policy)
    def crash() -> None:
        raise RuntimeError("a bug")

    @router.get("/test-page/number", dependencies=policy)
    def number(request: Request, value: int) -> object:
        return render(
            request,
            "errors/error.html",
            {"status": value, "detail": None, "sign_in_url": "", "retry_url": "", "request_id": ""},
        )

    return router


def _serve(tmp_path, **overrides) -> LiveServer:
    from ehoks.app import create_app

    overrides.setdefault("database_url", f"sqlite:///{tmp_path / 'pages.db'}")
    settings = Settings(**overrides)
    app = create_app(settings)
    app.include_router(_failing_pages())
    server = LiveServer(app)
    server.start()
    return server


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[httpx.Client]:
    server = _serve(tmp_path_factory.mktemp("pages"), development_mode=True)
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        yield client
    server.stop()


def test_pages_carry_the_security_headers(site):
    page = site.get(INSTRUCTOR_PAGE)
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["cache-control"] == "no-store"
    assert "strict-transport-security" not in page.headers  # plain HTTP
    api = site.get("/healthz")
    assert api.headers["content-security-policy"].startswith("default-src 'none'")
    assert api.headers["x-content-type-options"] == "nosniff"


def test_hsts_only_over_tls(site):
    # The service trusts a local proxy's X-Forwarded-Proto, as behind a TLS-terminating proxy.
    over_tls = site.get(INSTRUCTOR_PAGE, headers={"X-Forwarded-Proto": "https"})
    assert over_tls.headers["strict-transport-security"].startswith("max-age=31536000")


def test_style_sheets_have_content_hashed_names_and_a_long_cache(site):
    page = site.get(INSTRUCTOR_PAGE)
    url, digest = ASSET.search(page.text).groups()
    sheet = site.get(url)
    assert sheet.status_code == 200
    assert sheet.headers["content-type"] == "text/css; charset=utf-8"
    assert sheet.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "expires" not in sheet.headers
    assert hashlib.sha256(sheet.content).hexdigest().startswith(digest)
    assert site.get("/assets/site.0000000000000000.css").status_code == 404
    assert site.get("/assets/site.css").status_code == 404  # only the hashed name is served


def test_the_language_comes_from_the_choice_then_the_browser_then_finnish(site):
    assert '<html lang="fi">' in site.get(INSTRUCTOR_PAGE).text
    english = site.get(INSTRUCTOR_PAGE, headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert '<html lang="en">' in english.text
    chosen = site.get(INSTRUCTOR_PAGE, params={"lang": "sv"})
    assert '<html lang="sv">' in chosen.text
    cookie = chosen.headers["set-cookie"]
    assert cookie.startswith("ehoks_lang=sv;")
    assert "Max-Age=31536000" in cookie
    assert "SameSite=lax" in cookie
    # The kept choice beats the browser's languages on the next page.
    kept = site.get(INSTRUCTOR_PAGE, headers={"Cookie": "ehoks_lang=sv", "Accept-Language": "en"})
    assert '<html lang="sv">' in kept.text
    assert "set-cookie" not in kept.headers


def test_the_language_switch_names_each_language_in_itself(site):
    page = site.get("/test-page/status/410", params={"token": "abc", "lang": "fi"})
    switch = re.search(r'<nav class="language-switch".*?</nav>', page.text, re.DOTALL).group(0)
    assert 'href="/test-page/status/410?token=abc&amp;lang=sv"' in switch
    assert 'lang="sv" hreflang="sv">På svenska</a>' in switch
    assert 'lang="en" hreflang="en">In English</a>' in switch
    assert "Suomeksi" not in switch  # the page is already in Finnish


@pytest.mark.parametrize(
    ("lang", "heading"),
    [("fi", "Kirjaudu sisään"), ("sv", "Logga in"), ("en", "Please sign in")],
)
def test_a_page_route_without_a_session_answers_with_a_sign_in_page(site, lang, heading):
    page = site.get(INSTRUCTOR_PAGE + "/jaksot", params={"lang": lang})
    assert page.status_code == 401
    assert page.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in page.text
    assert f"<h1>{heading}</h1>" in page.text
    assert 'href="/tyopaikkaohjaaja"' in page.text  # the way forward: sign in again
    # The same data through the JSON API keeps the JSON error contract.
    api = site.get("/ehoks-oppija-backend/api/v1/tyopaikkaohjaaja/jaksot")
    assert api.status_code == 401
    assert api.json()["code"] == "not_authenticated"


def test_sign_in_brings_the_person_back_to_the_page(site):
    page = site.get("/test-page/status/401", params={"lang": "en"})
    assert page.status_code == 401
    assert 'href="/auth/student/login?return_to=%2Ftest-page%2Fstatus%2F401%3Flang%3Den"' in (
        page.text
    )


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (403, "You cannot see this page"),
        (410, "The sign-in link has already been used"),
        (429, "Too many attempts"),
        (503, "E-mail cannot be sent right now"),
    ],
)
def test_every_status_is_a_page_with_a_way_forward(site, status, words):
    page = site.get(f"/test-page/status/{status}", headers={"Accept-Language": "en"})
    assert page.status_code == status
    assert page.headers["content-type"].startswith("text/html")
    assert words in page.text
    assert 'href="/"' in page.text
    assert "{" not in page.text.split("<body>")[1]  # no unfilled placeholder, no JSON
    if status == 429:
        assert page.headers["retry-after"] == "120"
        assert 'href="/test-page/status/429"' in page.text  # try again


def test_an_unexpected_failure_is_a_page_with_the_request_id(site):
    page = site.get("/test-page/crash", headers={"Accept-Language": "sv"})
    assert page.status_code == 500
    assert "Ett fel inträffade hos oss" in page.text
    assert f"Felnummer: {page.headers['x-request-id']}" in page.text
    assert "RuntimeError" not in page.text
    assert "a bug" not in page.text


def test_a_bad_query_parameter_on_a_page_is_a_page(site):
    page = site.get("/test-page/number", params={"value": "many", "lang": "en"})
    assert page.status_code == 400
    assert "The request has 1 error(s)" in page.text


def test_an_unknown_address_is_a_page_for_a_browser_and_json_for_a_program(site):
    browser = site.get("/no-such-page", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 404
    assert "<h1>Sivua ei löydy</h1>" in browser.text
    program = site.get("/no-such-page")
    assert program.status_code == 404
    assert program.json()["code"] == "not_found"


def test_a_development_copy_says_so_on_every_page(site, tmp_path):
    assert "This is a development copy" in site.get(INSTRUCTOR_PAGE, params={"lang": "en"}).text
    assert "Kehitys" in site.get("/no-such-page", headers={"Accept": "text/html"}).text
    # A real server (development mode off, the default) shows no banner.
    production = _serve(tmp_path)
    try:
        page = httpx.get(production.base_url + INSTRUCTOR_PAGE, params={"lang": "en"})
        assert page.status_code == 200
        assert "phase-banner" not in page.text
    finally:
        production.stop()
