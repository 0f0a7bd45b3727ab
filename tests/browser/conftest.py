"""A real browser: Debian's Chromium driven by Playwright (no browser download needed)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.browser.accessibility import SHOT_CLAIMS, watch
from tests.instructor.conftest import (  # noqa: F401 - fixtures for the instructor pages' tests
    inbox,
    instructor_server,
    smtp_server,
    web,
)
from tests.studentpages.conftest import full_plan, registry  # noqa: F401 - student pages

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Without these flags Chromium tries to reach Google's hosts, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session", autouse=True)
def _screenshot_claims(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The run's folder for `check_page`'s screenshot claims, in pytest's own temporary folders
    (removed with them): under xdist each worker's folder is inside the run's, which all share."""
    base = tmp_path_factory.getbasetemp()
    SHOT_CLAIMS.append((base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "shots")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile the size of a phone screen, in Finnish."""
    context = browser.new_context(viewport=PHONE, locale="fi-FI", is_mobile=True, has_touch=True)
    page = watch(context.new_page())
    yield page
    context.close()


@pytest.fixture
def desktop(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile the size of a laptop screen, in Finnish."""
    context = browser.new_context(viewport=DESKTOP, locale="fi-FI")
    page = watch(context.new_page())
    yield page
    context.close()
