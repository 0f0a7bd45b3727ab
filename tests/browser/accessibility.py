"""One check for every page a test opens in Chromium: what WCAG 2.1 AA and a phone ask of it.

`watch(page)` starts listening to the browser console (call it before the first navigation;
the `phone` and `desktop` fixtures do); `check_page(page, name)` then asserts, for the page
now open:

* axe-core (bundled by axe-playwright-python, run in the page) finds no violation of impact
  serious or critical, with the WCAG 2.1 A and AA rules and axe's best practices;
* nothing overflows horizontally at the viewport's width (a 390 px phone has no sideways
  scrolling);
* no word of a heading, button or table heading is broken across two lines (a long compound
  word gets a soft hyphen in its translation, or the style room to stand whole);
* every form control (field, drop-down list, button) is at least 24 × 24 px, the size WCAG 2.2
  asks of a target (the style sheet aims at 44 px high);
* the page declares its language, has one h1, and the browser refused nothing under the
  Content-Security-Policy (no inline script or style sneaked in);

and saves a full-page screenshot as build/screenshots/<name>.png (a test artefact, not kept
in the repository). A test runs on both databases with the same page names, so each name is
shot once per test run, by whichever run of the test gets to it first (the checks above run
every time).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import ConsoleMessage, Page

SHOTS = Path(__file__).resolve().parent.parent.parent / "build" / "screenshots"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}
_AXE = Axe()
# Where this test run claims the names it has shot: a folder its xdist workers share, set by
# the browser tests' session fixture (tests/browser/conftest.py). Unset, every check shoots.
SHOT_CLAIMS: list[Path] = []
_console: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


def watch(page: Page) -> Page:
    """Record the console's policy refusals and errors of `page` for `check_page`."""
    problems: list[str] = []
    _console[page] = problems

    def record(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(message.text)

    page.on("console", record)
    return page


def console_problems(page: Page) -> list[str]:
    """What the console of a watched page reported so far (errors and policy refusals)."""
    return list(_console.get(page, []))


def serious_violations(page: Page) -> list[dict[str, Any]]:
    results = _AXE.run(page, options=AXE_OPTIONS)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def _describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )


def first_shot(name: str) -> bool:
    """Whether `name` is not yet shot in this test run (and is now claimed)."""
    if not SHOT_CLAIMS:
        return True
    folder = SHOT_CLAIMS[-1]
    folder.mkdir(exist_ok=True)
    try:
        (folder / name).touch(exist_ok=False)
    except FileExistsError:
        return False
    return True


# Form controls a browser shows, with their size and what they are (for the failure message).
_SMALL_CONTROLS = """() => [...document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button')].flatMap(element => {
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0 || (box.height >= 24 && box.width >= 24)) return [];
  const name = element.id || element.getAttribute('name') || element.textContent.trim();
  const size = `${Math.round(box.width)} × ${Math.round(box.height)} px`;
  return [`${element.tagName.toLowerCase()} ${name}: ${size}`];
})"""


# The words of headings, buttons and table headings that the browser broke across lines: a
# word's first and last letters stand on different lines. A hyphen or a soft hyphen (U+00AD) is
# where a word may break, so it splits words here.
_BROKEN_WORDS = """() => [...document.querySelectorAll('h1, h2, h3, .button, th')].flatMap(box => {
  const broken = [];
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const top = (node, at) => {
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + 1);
    // The last box: Chromium counts the hyphen shown at a soft hyphen as the next letter's.
    const boxes = [...range.getClientRects()];
    return boxes.length ? Math.round(boxes[boxes.length - 1].top) : 0;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const match of node.data.matchAll(/[^\\s\\u00ad-]+/g)) {
      const last = match.index + match[0].length - 1;
      if (top(node, match.index) !== top(node, last)) broken.push(match[0]);
    }
  }
  return broken;
})"""


def broken_heading_words(page: Page) -> list[str]:
    """The words of the open page's headings and buttons that are broken across two lines."""
    found: list[str] = page.evaluate(_BROKEN_WORDS)
    return found


def small_controls(page: Page) -> list[str]:
    """The form controls of the open page smaller than 24 × 24 px."""
    found: list[str] = page.evaluate(_SMALL_CONTROLS)
    return found


def check_page(page: Page, name: str) -> None:
    """Every check above for the page now open in `page`; `name` names its screenshot."""
    if first_shot(name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    violations = serious_violations(page)
    assert violations == [], f"{name}:\n{_describe(violations)}"
    width = page.viewport_size["width"] if page.viewport_size else 0
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= width, f"{name}: {overflow} px wide in a {width} px viewport"
    small = small_controls(page)
    assert small == [], f"{name}: {small}"
    broken = broken_heading_words(page)
    assert broken == [], f"{name}: {broken}"
    assert page.locator("html").get_attribute("lang") in {"fi", "sv", "en"}, name
    assert page.locator("h1").count() == 1, name
    refused = [text for text in console_problems(page) if "Content Security Policy" in text]
    assert refused == [], f"{name}: {refused}"
