"""Arranging the sharing tests: Maija's plan from the national full example, and helpers to
make, list and open links as the student's browser and as a stranger's."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import orjson
import pytest
from sqlalchemy.orm import Session, sessionmaker

from ehoks.hoks.models import Hoks
from tests.people.conftest import (  # noqa: F401 - fixtures
    MAIJA,
    VILLE,
    registry,
    staff,
    store_hoks,
    student,
)
from tests.studentpages.conftest import full_document, full_plan  # noqa: F401 - fixtures

HTML = {"Accept": "text/html"}
API = "/ehoks-oppija-backend/api/v1/oppija/jaot"


def text_of(page: str) -> str:
    """The page's text without tags, entities decoded (what a person reads)."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def stored_document(factory: sessionmaker[Session], hoks_id: int) -> dict[str, Any]:
    """The plan as stored (with module-ids)."""
    with factory() as session:
        row = session.get(Hoks, hoks_id)
        assert row is not None
        return {"eid": row.eid, **orjson.loads(row.document)}


def sharing_page(person: Any, hoks_id: int) -> httpx.Response:
    return person.http.get(
        f"/ehoks/suunnittelu/{hoks_id}/jaot?lang=en", headers={**person.headers, **HTML}
    )


def make_link(person: Any, hoks_id: int, **fields: str) -> httpx.Response:
    """The sharing form posted as the student's browser posts it."""
    form = {"csrf_token": person.csrf, "lang": "en", "kenelle": "Employer X", **fields}
    return person.http.post(
        f"/ehoks/suunnittelu/{hoks_id}/jaot",
        data=form,
        headers={"Cookie": person.headers["Cookie"], **HTML},
    )


def link_address(created: httpx.Response) -> str:
    """The path of the new link, as the answer to the form shows it once."""
    found = re.search(r'class="share-address"><a href="https?://[^/"]+(/jako/[^"]+)"', created.text)
    assert found, created.text[:2000]
    return found[1]


@pytest.fixture
def stranger(live_server) -> Any:
    """A browser with no session at all."""
    with httpx.Client(base_url=live_server.base_url, timeout=30) as client:
        yield client
