"""Remembered list counts (`ehoks.kit.db.counts`): the same question by the same scope is counted
once per interval; another scope, another filter or a later time counts again."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Engine, text, update

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.hoks.models import Hoks
from ehoks.kit.db.counts import CountMemo, attach
from ehoks.kit.db.engine import build_sessionmaker
from ehoks.people.search import StudentSearch, repository
from tests.people.conftest import A_SCHOOL, A_SCHOOL_2, B_SCHOOL, PROVIDER_A, PROVIDER_B


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def search_of(*oids: str, name: str = "") -> StudentSearch:
    organisations = OrganisationSet(every=False, oids=frozenset(oids))
    return StudentSearch(
        within=organisations,
        scope=HoksScope(owned_by=organisations),
        name_tokens=tuple(name.split()),
        limit=10,
    )


def test_a_count_is_remembered_for_its_question_and_scope_only(hoks, db: Engine):
    clock = Clock()
    factory = build_sessionmaker(db)
    attach(factory, CountMemo(30, clock))
    provider_a = search_of(PROVIDER_A, A_SCHOOL, A_SCHOOL_2)
    with factory() as session:
        first = repository.search_students(session, provider_a)
    # A school's plan is in both the school's and the provider's leg of the page: listed once.
    assert first.total == 4
    assert sorted(row.hoks_id for row in first.rows) == sorted(
        hoks[key] for key in ("maija", "matti", "matti_tuva", "juho")
    )
    with factory() as session:
        session.execute(
            update(Hoks).where(Hoks.id == hoks["maija"]).values(deleted_at=datetime.now(UTC))
        )
        session.commit()
    with factory() as session:
        # The rows are read again at once; the count is the remembered one until it expires.
        again = repository.search_students(session, provider_a)
        assert (again.total, len(again.rows)) == (4, 3)
        # A second page of the same question uses the same count; another subtree counts anew.
        assert repository.search_students(session, replace(provider_a, offset=10)).total == 4
        assert repository.search_students(session, search_of(PROVIDER_A, A_SCHOOL)).total == 3
        # Another scope, or another name, is counted for itself.
        assert repository.search_students(session, search_of(PROVIDER_B, B_SCHOOL)).total == 1
        named = search_of(PROVIDER_A, A_SCHOOL, A_SCHOOL_2, name="virtanen")
        assert repository.search_students(session, named).total == 0
        clock.now += 31
        later = repository.search_students(session, provider_a)
        assert (later.total, len(later.rows)) == (3, 3)


def test_without_a_memo_every_page_counts(hoks, session_factory):
    provider_a = search_of(PROVIDER_A, A_SCHOOL, A_SCHOOL_2)
    with session_factory() as session:
        assert repository.search_students(session, provider_a).total == 4
        session.execute(
            update(Hoks).where(Hoks.id == hoks["matti"]).values(deleted_at=datetime.now(UTC))
        )
        session.commit()
        assert repository.search_students(session, provider_a).total == 3


def test_one_statement_per_shape_binds_each_searchs_own_values(hoks, session_factory):
    """Searches of the same shape share a statement (`kit.db.shapes`) and never each other's
    organisations, scope or words: two providers, and two names, asked one after the other."""
    shapes_before = len(repository._STATEMENTS)
    with session_factory() as session:
        provider_a = repository.search_students(session, search_of(PROVIDER_A, A_SCHOOL))
        provider_b = repository.search_students(session, search_of(PROVIDER_B, B_SCHOOL))
        a_again = repository.search_students(session, search_of(PROVIDER_A, A_SCHOOL))
        other_scope = replace(
            search_of(PROVIDER_A, A_SCHOOL),
            scope=HoksScope(owned_by=OrganisationSet(every=False, oids=frozenset({PROVIDER_B}))),
        )
        nothing = repository.search_students(session, other_scope)
    assert len(repository._STATEMENTS) - shapes_before <= 1
    assert provider_a.total == 4
    assert a_again.rows == provider_a.rows
    assert provider_b.total == 1
    assert not {row.hoks_id for row in provider_b.rows} & {row.hoks_id for row in provider_a.rows}
    assert (nothing.total, nothing.rows) == (0, [])
    with session_factory() as session:
        matti = repository.search_students(session, search_of(PROVIDER_A, A_SCHOOL, name="matti"))
        maija = repository.search_students(session, search_of(PROVIDER_A, A_SCHOOL, name="maija"))
    assert {row.hoks_id for row in matti.rows} == {hoks["matti"], hoks["matti_tuva"]}
    assert {row.hoks_id for row in maija.rows} == {hoks["maija"]}


def test_name_searches_are_planned_for_their_words_and_lists_stay_prepared(
    hoks, session_factory, backend
):
    """PostgreSQL keeps one plan for any value of a statement the driver prepared (after five
    runs): a name search is never prepared, so each is planned for its words; the list without
    a name is, and still finds the same rows."""
    with session_factory() as session:
        for name in ("matti", "maija", "juho", "matti", "maija", "juho", "matti", "maija"):
            found = repository.search_students(session, search_of(PROVIDER_A, A_SCHOOL, name=name))
            assert found.rows
            listed = repository.search_students(session, search_of(PROVIDER_A, A_SCHOOL))
            assert listed.total == 4
        if backend != "postgresql":
            return
        prepared = session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars()
        searches = [statement for statement in prepared if "FROM hoks" in statement]
    assert searches
    assert not [statement for statement in searches if "search_name" in statement]


def test_without_organisations_the_scope_alone_narrows_the_list(hoks, session_factory):
    # No organisation chosen (`within` None): one leg of every row, in name order and counted,
    # narrowed by the caller's scope only, the same rows as the provider and its schools give.
    everywhere = replace(search_of(PROVIDER_A, A_SCHOOL, A_SCHOOL_2), within=None)
    with session_factory() as session:
        listed = repository.search_students(session, replace(everywhere, limit=2))
        rest = repository.search_students(session, replace(everywhere, limit=2, offset=2))
        within = repository.search_students(session, search_of(PROVIDER_A, A_SCHOOL, A_SCHOOL_2))
    assert listed.total == rest.total == within.total == 4
    assert [row.hoks_id for row in listed.rows + rest.rows] == [row.hoks_id for row in within.rows]
