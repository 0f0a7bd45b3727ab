"""From a workplace period's page the student sends the period to its instructor: a sign-in
link to the instructors' own view goes to the address the plan names, over real SMTP."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from ehoks.access.subjects import SubjectKind
from tests.instructor.conftest import (  # noqa: F401 - fixtures
    INSTRUCTOR,
    inbox,
    instructor_server,
    smtp_server,
    web,
    workplace_hoks,
)
from tests.people.conftest import sign_in, store_hoks
from tests.sharing.conftest import HTML, MAIJA, VILLE, stored_document, text_of
from tests.support.api import load_registry

UNITS = "hankittavat-ammat-tutkinnon-osat"


def _page(person, path: str, form: dict[str, str] | None = None):
    headers = {"Cookie": person.headers["Cookie"], **HTML}
    if form is None:
        return person.http.get(path, headers=headers)
    return person.http.post(path, data={"csrf_token": person.csrf, **form}, headers=headers)


def test_the_student_sends_a_current_period_to_its_instructor(
    web,  # noqa: F811 - the fixture
    inbox,  # noqa: F811 - the fixture
    session_factory,
    settings,
):
    load_registry(session_factory)
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    hoks_id = store_hoks(session_factory, workplace_hoks(today))
    periods = stored_document(session_factory, hoks_id)[UNITS][0]["osaamisen-hankkimistavat"]
    current = next(p for p in periods if p["yksiloiva-tunniste"] == "current")
    past = next(p for p in periods if p["yksiloiva-tunniste"] == "past")
    maija = sign_in(web, session_factory, settings, kind=SubjectKind.STUDENT, principal=MAIJA)
    ville = sign_in(web, session_factory, settings, kind=SubjectKind.STUDENT, principal=VILLE)
    page_path = f"/ehoks/suunnittelu/{hoks_id}/jaksot/{current['module-id']}"

    listing = _page(maija, f"/ehoks/suunnittelu/{hoks_id}/jaot?lang=en")
    assert f'href="{page_path}"' in listing.text
    page = _page(maija, page_path + "?lang=en")
    assert page.status_code == 200
    assert "Send a sign-in link to" in text_of(page.text)
    # An ended period cannot be sent: the instructor no longer sees it.
    ended = _page(maija, f"/ehoks/suunnittelu/{hoks_id}/jaksot/{past['module-id']}?lang=en")
    assert "no link can be sent now" in text_of(ended.text)

    # Another student finds neither the page nor the form.
    assert _page(ville, page_path).status_code == 404
    assert _page(ville, page_path + "/ohjaajalle", {"lang": "en"}).status_code == 404
    assert inbox.messages == []

    sent = _page(maija, page_path + "/ohjaajalle", {"lang": "en"})
    assert sent.status_code == 202, text_of(sent.text)[:400]
    assert "The sign-in link is on its way" in text_of(sent.text)
    (message,) = inbox.to(INSTRUCTOR)
    body = message.get_body(("plain",)).get_content()
    token = re.search(r"/tyopaikkaohjaaja/kirjaudu\?token=([\w-]+)", body)
    assert token
    confirm = web.get(f"/tyopaikkaohjaaja/kirjaudu?token={token[1]}&lang=en", headers=HTML)
    assert confirm.status_code == 200
