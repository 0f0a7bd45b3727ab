"""The palaute backend's routes: a national system makes the worker's due work happen now, at
the paths the national routes were meant to have; nobody else may."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ehoks.access.directory import OPH_ROOT_OID
from tests.feedback.conftest import feedback_rows, post, start_plan
from tests.feedback.test_exclusions import workplace_plan
from tests.support.api import make_caller

P = "/ehoks-palaute-backend/api/v1"


@pytest.fixture
def served_worker_settings(live_server, worker_settings) -> Iterator[None]:
    """The service's settings with the Arvo stand-in, the SMTP server and an open window."""
    before = live_server.app.state.settings
    live_server.app.state.settings = worker_settings.model_copy(
        update={"feedback_sending_window": "always", "public_base_url": before.public_base_url}
    )
    yield
    live_server.app.state.settings = before


@pytest.fixture
def national(http, session_factory):
    return make_caller(http, session_factory, OPH_ROOT_OID)


def test_a_national_system_creates_links_and_sends_invitations_of_one_hoks(  # noqa: PLR0917 - fixtures
    caller, http, session_factory, national, arvo, inbox, served_worker_settings
):
    hoks_id = post(caller, start_plan())
    links_path = f"{P}/opiskelijapalaute/{hoks_id}/kyselylinkki"
    assert http.post(links_path, headers=caller.headers).status_code == 403
    made = http.post(links_path, headers=national.headers)
    assert made.status_code == 200, made.text
    (link,) = arvo.state.live()
    assert made.json()["data"] == {"vastaajatunnukset": [link["tunnus"]]}
    assert http.post(links_path, headers=national.headers).json()["data"] == {
        "vastaajatunnukset": []
    }

    sent = http.post(f"{P}/opiskelijapalaute/{hoks_id}/kutsuviesti", headers=national.headers)
    assert sent.status_code == 200, sent.text
    (sending,) = sent.json()["data"]["lahetykset"]
    assert (sending["tila"], sending["viestin-tila"]) == ("lahetetty", "lahetetty")
    assert len(inbox.to("matti.meikalainen@example.fi")) == 1
    again = http.post(f"{P}/opiskelijapalaute/kutsuviestit", headers=national.headers)
    assert again.json()["data"] == {"lahetykset": []}
    assert http.post(f"{P}/opiskelijapalaute/kyselylinkit", headers=national.headers).json()[
        "data"
    ] == {"kyselylinkit": []}
    assert len(arvo.state.live()) == 1


def test_workplace_feedback_ids_one_by_one_or_all_due(  # noqa: PLR0917 - fixtures
    caller, http, session_factory, national, arvo, served_worker_settings
):
    post(caller, workplace_plan())
    (row,) = feedback_rows(session_factory, kind="tyopaikkajakson_suorittaneet")
    unknown = http.post(f"{P}/tyoelamapalaute/999999/vastaajatunnus", headers=national.headers)
    assert unknown.json()["data"] == {"vastaajatunnukset": []}
    one = http.post(f"{P}/tyoelamapalaute/{row.id}/vastaajatunnus", headers=national.headers)
    assert one.status_code == 200, one.text
    (link,) = arvo.state.live()
    assert one.json()["data"] == {"vastaajatunnukset": [link["tunnus"]]}
    rest = http.post(f"{P}/tyoelamapalaute/vastaajatunnukset", headers=national.headers)
    assert rest.json()["data"] == {"vastaajatunnukset": []}
    (row,) = feedback_rows(session_factory, kind="tyopaikkajakson_suorittaneet")
    assert row.state == "vastaajatunnus_muodostettu"
