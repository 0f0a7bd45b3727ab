"""/docs in Chromium: Swagger UI renders the service's own OpenAPI 3.1 description."""

from __future__ import annotations

import pytest


@pytest.mark.only_on("sqlite")  # the page is the same on either database: one run is enough
def test_swagger_ui_shows_every_operation(browser, live_server, http, backend):
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(live_server.base_url + "/docs")
        page.wait_for_selector(".opblock", timeout=20_000)
        described = len(http.get("/openapi.json").json()["paths"])
        shown = page.locator(".opblock-summary-path").count()
        assert shown >= described
        assert page.get_by_text("Unable to render this definition").count() == 0
        assert "OAS 3.1" in page.locator(".info").inner_text()
        assert errors == []
    finally:
        context.close()
