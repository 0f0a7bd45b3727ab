"""The students page and a student's page: search, filters, order, paging, neighbours, scope."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event, update

from ehoks.registry.models import StudyRight
from tests.people.conftest import (
    A_SCHOOL,
    B_SCHOOL,
    JUHO,
    MAIJA,
    MATTI,
    PROVIDER_A,
    PROVIDER_B,
    VILLE,
)
from tests.staffpages.conftest import UI, page, text_of
from tests.support.shortcuts import assert_same_answer, routed_then_first

STUDENTS = f"{UI}/opiskelijat"
ROW_LINK = re.compile(r'href="/ehoks-virkailija-ui/opiskelijat/([0-9.]+)\?[^"]*kohta=(\d+)"')


def listed(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [oid for oid, _ in ROW_LINK.findall(response.text)]


def test_the_list_holds_the_organisations_plans_and_nothing_of_another_provider(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    response = page(reader, STUDENTS)
    found = listed(response)
    # By surname; where "Mäkinen" and "Meikäläinen" fall depends on the database's collation.
    assert sorted(found[:3]) == sorted([JUHO, MATTI, MATTI])
    assert found[3] == MAIJA
    assert "4 plans found" in text_of(page(reader, STUDENTS + "?lang=en"))
    assert VILLE not in response.text

    other = staff((PROVIDER_B, "write"))
    assert listed(page(other, STUDENTS)) == [VILLE]
    for oid in (MATTI, MAIJA, JUHO):
        assert oid not in page(other, STUDENTS).text


def test_names_are_found_by_the_beginning_of_a_name_whatever_the_case_and_accents(hoks, staff):
    reader = staff((PROVIDER_A, "read"))
    assert listed(page(reader, STUDENTS, params={"nimi": "MEIKAL"})) == [MATTI, MATTI]
    assert listed(page(reader, STUDENTS, params={"nimi": "makin"})) == [JUHO]
    assert listed(page(reader, STUDENTS, params={"nimi": "Mäki"})) == [JUHO]
    assert listed(page(reader, STUDENTS, params={"nimi": "liisa virt"})) == [MAIJA]
    # The beginning of a name, not any part of it.
    assert listed(page(reader, STUDENTS, params={"nimi": "ainen"})) == []
    empty = page(reader, STUDENTS, params={"nimi": "zzz", "lang": "en"})
    assert "No student matches the search" in empty.text


def test_filters_and_order(hoks, staff, session_factory):
    with session_factory() as session:
        session.execute(
            update(StudyRight)
            .where(StudyRight.oid == "1.2.246.562.15.10000000009")
            .values(paattymispaiva=date(2024, 5, 31), latest_tila="valmistunut")
        )
        session.commit()
    reader = staff((A_SCHOOL, "read"))
    assert listed(page(reader, STUDENTS, params={"opiskeluoikeus": "ended"})) == [MAIJA]
    # Active: no end date reached and no final state, an open end date (NULL) included.
    active = listed(page(reader, STUDENTS, params={"opiskeluoikeus": "active"}))
    assert sorted(active) == sorted([JUHO, MATTI, MATTI])
    approved = listed(page(reader, STUDENTS, params={"hyvaksytty": "yes"}))
    not_approved = listed(page(reader, STUDENTS, params={"hyvaksytty": "no"}))
    assert sorted(approved + not_approved) == sorted([JUHO, MATTI, MATTI, MAIJA])
    assert listed(page(reader, STUDENTS, params={"tutkinto": "sosiaali"})) == [MAIJA]
    assert listed(page(reader, STUDENTS, params={"jarjestys": "name-desc"}))[0] == MAIJA
    by_start = listed(page(reader, STUDENTS, params={"jarjestys": "start-desc"}))
    assert by_start[0] == JUHO  # 2022 start, the others 2017
    bad = page(reader, STUDENTS, params={"jarjestys": "nonsense"})
    assert bad.status_code == 400
    assert "<html" in bad.text


@contextmanager
def statements(engine):
    seen: list[str] = []

    def record(conn, cursor, statement, *rest):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_page_is_one_query_however_many_rows(hoks, staff, live_server):
    reader = staff((A_SCHOOL, "read"))
    page(reader, STUDENTS)  # warm caches (the organisation tree)
    engine = live_server.app.state.engine
    with statements(engine) as four_rows:
        assert len(listed(page(reader, STUDENTS))) == 4
    with statements(engine) as one_row:
        assert len(listed(page(reader, STUDENTS, params={"nimi": "virtanen"}))) == 1
    on_plans = [s for s in four_rows if re.search(r"FROM hoks\b", s)]
    assert len(on_plans) == 1, on_plans
    assert len(four_rows) == len(one_row)


def test_paging_keeps_the_search_and_counts_everything(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    everyone = listed(page(reader, STUDENTS))
    first = page(reader, STUDENTS, params={"lang": "en", "koko": "2"})
    assert listed(first) == everyone[:2]
    assert "4 plans found" in text_of(first)
    assert "Page 1 of 2" in text_of(first)
    assert "koko=2&amp;sivu=2" in first.text  # the next page keeps the page size
    second = page(reader, STUDENTS, params={"sivu": "2", "lang": "en", "koko": "2"})
    assert listed(second) == everyone[2:]
    beyond = page(reader, STUDENTS, params={"sivu": "9", "lang": "en", "koko": "2"})
    assert listed(beyond) == []
    assert "4 plans found" in text_of(beyond)


def test_a_student_page_shows_the_plans_and_the_neighbours_in_the_list(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    order = listed(page(reader, STUDENTS))
    here = order[2]
    response = page(reader, f"{STUDENTS}/{here}", params={"kohta": "2", "lang": "en"})
    assert response.status_code == 200, response.text
    links = ROW_LINK.findall(response.text)
    assert (order[1], "1") in links
    assert (order[3], "3") in links
    # A place in the list that no longer holds this student: no neighbours, no wrong ones.
    moved = page(reader, f"{STUDENTS}/{MAIJA}", params={"kohta": "0"})
    assert ROW_LINK.findall(moved.text) == []

    response = page(reader, f"{STUDENTS}/{MATTI}", params={"lang": "en"})
    words = text_of(response)
    assert "Matti Juhani Meikäläinen" in words
    assert "Current plans" in words
    # A study right still running reads "from <date>", not a date and a dash to nothing.
    assert re.search(r"Study right from \d{1,2} \w+ \d{4}", words), words
    assert f"/opiskelijat/{MATTI}/hoks/{hoks['matti']}" in response.text
    assert f"/opiskelijat/{MATTI}/hoks/{hoks['matti_tuva']}" in response.text
    # Read only: no create or edit control.
    assert "/muokkaa" not in response.text
    assert "/uusi-hoks" not in response.text
    writer = staff((A_SCHOOL, "write"))
    as_writer = page(writer, f"{STUDENTS}/{MATTI}").text
    assert "/muokkaa" in as_writer
    assert f"{STUDENTS}/{MATTI}/uusi-hoks" in as_writer


def test_another_providers_member_finds_no_student_of_a(hoks, staff):
    other = staff((B_SCHOOL, "admin"))
    for oid in (MATTI, MAIJA):
        assert page(other, f"{STUDENTS}/{oid}").status_code == 404
    assert page(other, f"{STUDENTS}/{VILLE}").status_code == 200


def test_a_count_past_the_cap_says_more_than_and_offers_the_next_page(hoks, staff, monkeypatch):
    from ehoks.hoks import repository as hoks_repository

    reader = staff((A_SCHOOL, "read"))
    everyone = listed(page(reader, STUDENTS))
    monkeypatch.setattr(hoks_repository, "COUNT_CAP", 2)
    first = page(reader, STUDENTS, params={"lang": "en", "koko": "2"})
    assert listed(first) == everyone[:2]
    words = text_of(first)
    assert "More than 2 plans found" in words
    assert "Page 1 of more than 1" in words
    assert "koko=2&amp;sivu=2" in first.text
    # The count reaches the end of the page asked for: the last page knows the total.
    second = page(reader, STUDENTS, params={"lang": "en", "koko": "2", "sivu": "2"})
    assert listed(second) == everyone[2:]
    assert "4 plans found" in text_of(second)
    assert "Page 2 of 2" in text_of(second)
    assert 'rel="next"' not in second.text


def test_a_search_by_name_says_more_than_its_lower_cap(hoks, staff, monkeypatch):
    from ehoks.hoks import repository as hoks_repository

    reader = staff((A_SCHOOL, "read"))
    monkeypatch.setattr(hoks_repository, "NAME_COUNT_CAP", 1)
    found = page(reader, STUDENTS, params={"lang": "en", "koko": "1", "nimi": "matti"})
    assert len(listed(found)) == 1
    assert "More than 1 plans found" in text_of(found)
    assert "Page 1 of more than 1" in text_of(found)
    # Without a name the list counts to the end as before.
    assert "4 plans found" in text_of(page(reader, STUDENTS, params={"lang": "en"}))


def test_every_order_lists_the_same_plans_as_the_name_order(hoks, staff):
    """Name order merges a scan per organisation; the other orders filter in one scan."""
    reader = staff((PROVIDER_A, "read"))
    by_name = listed(page(reader, STUDENTS))
    for order in ("name-desc", "start", "start-desc"):
        assert sorted(listed(page(reader, STUDENTS, params={"jarjestys": order}))) == sorted(
            by_name
        ), order
    assert listed(page(reader, STUDENTS, params={"jarjestys": "name-desc"})) == by_name[::-1]


def test_the_shortcut_and_the_declared_route_give_the_same_page(hoks, staff):
    """A plainly written query is answered past FastAPI's parameter solving
    (`staffpages.students_answer`); the same query written otherwise goes through the declared
    route. Both give the same page, and what the declared route refuses is refused alike."""
    reader = staff((PROVIDER_A, "read"))
    # The language links keep the query string as it was written; the rest is the answer.
    language_link = re.compile(r'<a href="[^"]*" lang="\w+" hreflang="\w+">')

    def html(**params):
        response = page(reader, STUDENTS, params=params)
        assert response.status_code == 200, response.text
        assert len(language_link.findall(response.text)) == 2
        return language_link.sub("", response.text)

    plain = {"jarjestys": "name-desc", "koko": "2", "sivu": "2", "lang": "en"}
    otherwise = {"jarjestys": "name-desc", "koko": "02", "sivu": "+2", "lang": "en"}
    assert html(**plain) == html(**otherwise)
    assert "Page 2 of 2" in html(**plain)
    filtered = {"nimi": "meikal", "opiskeluoikeus": "active", "hyvaksytty": "yes"}
    assert html(**filtered) == html(**filtered, sivu="01")
    for wrong in ({"sivu": "0"}, {"koko": "101"}, {"jarjestys": "age"}, {"hyvaksytty": "maybe"}):
        assert page(reader, STUDENTS, params=wrong).status_code == 400, wrong
    # Without a session the page offers the sign-in, whichever way the query is written.
    for params in ({"nimi": "matti"}, {"nimi": "matti", "sivu": "01"}):
        anonymous = reader.http.get(STUDENTS, params=params, headers={"Accept": "text/html"})
        assert anonymous.status_code == 401
        assert "/auth/staff/login" in anonymous.text


def test_a_page_answered_before_routing_is_the_routed_one(hoks, staff, live_server):
    """Once FastAPI has routed the page's address, its GETs go to the page's shortcut before the
    route search (`kit.shortcut.ShortcutsFirst`): the same pages, error pages included."""
    reader = staff((A_SCHOOL, "read"))
    asks = [
        {},
        {"nimi": "virtanen", "lang": "sv"},
        {"jarjestys": "start-desc", "koko": "2", "sivu": "2"},
        {"sivu": "0"},  # left to the declared route, which refuses it
        {"sivu": "1", "unknown": "x"},  # left to the declared route
    ]
    for params in asks:
        routed, first = routed_then_first(
            live_server.app, STUDENTS, lambda p=params: page(reader, STUDENTS, params=p)
        )
        assert_same_answer(routed, first)
    html = {"Accept": "text/html"}
    signed_out = routed_then_first(
        live_server.app, STUDENTS, lambda: reader.http.get(STUDENTS, headers=html)
    )
    assert signed_out[0].status_code == 401
    assert "/auth/staff/login" in signed_out[0].text  # the staff pages' own error page
    assert_same_answer(*signed_out)
