"""The throttle counts in the database: windows, their end, several processes, the purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from ehoks.kit import throttle
from ehoks.kit.db.engine import build_engine, build_sessionmaker, transaction
from ehoks.kit.throttle import Limit, ThrottleCount

LIMIT = Limit("test", 3, timedelta(minutes=1))
START = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def test_a_subject_over_its_limit_waits_until_the_next_window_ends(session_factory):
    with transaction(session_factory) as session:
        for second in range(3):
            assert throttle.wait(session, LIMIT, "a", at(second)) is None
            throttle.count(session, LIMIT, "a", at(second))
        assert throttle.wait(session, LIMIT, "a", at(20)) == 100
        assert throttle.wait(session, LIMIT, "b", at(20)) is None
        assert throttle.wait(session, Limit("other", 3, LIMIT.window), "a", at(20)) is None
        # The window's turn does not wipe the slate ...
        assert throttle.wait(session, LIMIT, "a", at(60)) == 60
        # ... the one after it does.
        assert throttle.wait(session, LIMIT, "a", at(120)) is None


def test_attempts_on_both_sides_of_a_windows_turn_count_together(session_factory):
    with transaction(session_factory) as session:
        throttle.count(session, LIMIT, "a", at(58))
        throttle.count(session, LIMIT, "a", at(59))
        assert throttle.wait(session, LIMIT, "a", at(61)) is None
        throttle.count(session, LIMIT, "a", at(61))
        # Two of the attempts drop out when the window of 58 and 59 s has passed.
        assert throttle.wait(session, LIMIT, "a", at(62)) == 58
        assert throttle.wait(session, LIMIT, "a", at(120)) is None


def test_counts_from_separate_processes_add_up(session_factory, database_url):
    # A second engine and connection pool, as another web process has.
    other_engine = build_engine(database_url)
    try:
        other = build_sessionmaker(other_engine)
        for factory in (session_factory, other, session_factory):
            with transaction(factory) as session:
                throttle.count(session, LIMIT, "a", START)
        with transaction(other) as session:
            assert throttle.wait(session, LIMIT, "a", START) == 120
    finally:
        other_engine.dispose()


def test_purge_deletes_the_windows_that_no_longer_count(session_factory):
    with transaction(session_factory) as session:
        throttle.count(session, LIMIT, "a", START)
        throttle.count(session, LIMIT, "a", at(60))
        # The first window still counts during the second.
        assert throttle.purge(session, at(119)) == 0
        assert throttle.purge(session, at(120)) == 1
        assert session.scalar(select(func.count()).select_from(ThrottleCount)) == 1
    with transaction(session_factory) as session:
        assert throttle.wait(session, LIMIT, "a", at(121)) is None
