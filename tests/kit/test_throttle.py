"""The throttle counts in the database: windows, their end, several processes, the purge."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from ehoks.kit import throttle
from ehoks.kit.db.engine import build_engine, build_sessionmaker, transaction
from ehoks.kit.throttle import Limit, ThrottleCount

LIMIT = Limit("test", 3, timedelta(minutes=1))
START = datetime(2026, 12, 7, 12, 0, 0, tzinfo=UTC)


def test_a_subject_waits_once_over_its_limit_until_the_window_ends(session_factory):
    with transaction(session_factory) as session:
        for second in range(3):
            assert throttle.wait(session, LIMIT, "a", START + timedelta(seconds=second)) is None
            throttle.count(session, LIMIT, "a", START + timedelta(seconds=second))
        assert throttle.wait(session, LIMIT, "a", START + timedelta(seconds=20)) == 40
        assert throttle.wait(session, LIMIT, "b", START + timedelta(seconds=20)) is None
        assert throttle.wait(session, Limit("other", 3, LIMIT.window), "a", START) is None
        assert throttle.wait(session, LIMIT, "a", START + timedelta(minutes=1)) is None


def test_counts_from_separate_processes_add_up(session_factory, database_url):
    # A second engine and connection pool, as another web process has.
    other_engine = build_engine(database_url)
    try:
        other = build_sessionmaker(other_engine)
        for factory in (session_factory, other, session_factory):
            with transaction(factory) as session:
                throttle.count(session, LIMIT, "a", START)
        with transaction(other) as session:
            assert throttle.wait(session, LIMIT, "a", START) == 60
    finally:
        other_engine.dispose()


def test_purge_deletes_the_windows_that_have_ended(session_factory):
    with transaction(session_factory) as session:
        throttle.count(session, LIMIT, "a", START)
        throttle.count(session, LIMIT, "a", START + timedelta(minutes=1))
        assert throttle.purge(session, START + timedelta(minutes=1)) == 1
        assert session.scalar(select(func.count()).select_from(ThrottleCount)) == 1
    with transaction(session_factory) as session:
        assert throttle.wait(session, LIMIT, "a", START + timedelta(minutes=1, seconds=1)) is None
