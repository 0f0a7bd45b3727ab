"""`kit.db.driver.rows`: a statement run as the driver's own text gives what `execute` gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from psycopg import _queries as psycopg_queries
from sqlalchemy import bindparam, event, func, literal, select, text, update

from ehoks.auth.models import WebSession
from ehoks.kit.db import driver
from ehoks.kit.db.engine import CONVERTED_TEXT_BYTES, PLANNED_PER_RUN

_SESSIONS = WebSession.__table__
_AT = datetime(2026, 12, 7, 21, 30, tzinfo=UTC)
# Listed sessions, with values of the statement's own (a literal, a list) and the typed columns
# (a time, JSON) whose values the dialect's processors convert.
_LISTED = (
    select(
        _SESSIONS.c.id,
        _SESSIONS.c.last_seen_at,
        _SESSIONS.c.data,
        literal("kept").label("word"),
        (_SESSIONS.c.display_name + "!").label("shouted"),
    )
    .where(
        _SESSIONS.c.id.in_(bindparam("ids", expanding=True)),
        _SESSIONS.c.kind.in_(["staff", "workplace_instructor"]),  # a list of its own
    )
    .order_by(_SESSIONS.c.id)
    .limit(bindparam("limit"))
)


def _store_sessions(db, count: int) -> None:
    rows = [
        {
            "id": f"s{index}",
            "kind": "staff" if index % 3 else "student",
            "principal": f"p{index}",
            "display_name": f"Name {index}",
            "csrf_token": "t",
            "created_at": _AT,
            "last_seen_at": _AT + timedelta(minutes=index),
            "expires_at": _AT + timedelta(hours=1),
            "revoked_at": None,
            "data": {"staff_organisation": f"1.2.{index}", "n": index},
        }
        for index in range(count)
    ]
    with db.begin() as connection:
        connection.execute(_SESSIONS.insert(), rows)


@pytest.mark.parametrize("ids", [[], ["s1"], ["s1", "s2", "s4"], ["s5", "s2", "s3", "s7", "x"]])
def test_rows_are_those_of_execute_whatever_the_list_lengths(db, ids):
    _store_sessions(db, 8)
    with db.connect() as connection:
        expected = [tuple(row) for row in connection.execute(_LISTED, {"ids": ids, "limit": 9})]
        # Twice: the second run uses the text remembered for these lengths.
        for _ in range(2):
            found = driver.rows(connection, _LISTED, {"ids": ids, "limit": 9})
            assert [tuple(row) for row in found] == expected
    assert all(row[1].tzinfo is not None and row[3] == "kept" for row in expected)
    assert len(expected) == len([i for i in ids if i[1:].isdigit() and int(i[1:]) % 3])


def test_typed_values_are_bound_as_execute_binds_them_and_a_statement_without_rows_has_none(db):
    _store_sessions(db, 3)
    touch = (
        update(_SESSIONS)
        .where(_SESSIONS.c.id == bindparam("key"))
        .values(last_seen_at=bindparam("seen", type_=_SESSIONS.c.last_seen_at.type))
    )
    seen = datetime(2026, 12, 7, 23, 0, tzinfo=UTC)
    with db.begin() as connection:
        assert driver.rows(connection, touch, {"key": "s1", "seen": seen}) == []
        changed = driver.rows(
            connection,
            update(_SESSIONS)
            .where(_SESSIONS.c.id == bindparam("key"))
            .values(data=bindparam("data", type_=_SESSIONS.c.data.type))
            .returning(_SESSIONS.c.data, _SESSIONS.c.last_seen_at),
            {"key": "s1", "data": {"staff_organisation": "1.2.9", "list": [1, "ä"]}},
        )
    assert [tuple(row) for row in changed] == [
        ({"staff_organisation": "1.2.9", "list": [1, "ä"]}, seen)
    ]


def test_the_statements_execution_options_reach_the_engine(db):
    seen: list[object] = []

    def note(_conn, _cursor, _statement, _parameters, context, _many) -> None:
        seen.append(context.execution_options.get(PLANNED_PER_RUN))

    planned = _LISTED.execution_options(**{PLANNED_PER_RUN: True})
    event.listen(db, "before_cursor_execute", note)
    try:
        with db.connect() as connection:
            driver.rows(connection, planned, {"ids": ["s1"], "limit": 1})
    finally:
        event.remove(db, "before_cursor_execute", note)
    # (SQLite's BEGIN goes before it, as for any statement.)
    assert seen[-1] is True


def test_a_statement_with_values_computed_at_run_time_goes_through_execute(db):
    _store_sessions(db, 2)
    counted = (
        select(func.count())
        .select_from(_SESSIONS)
        .where(_SESSIONS.c.principal == bindparam("who", callable_=lambda: "p1"))
    )
    with db.connect() as connection:
        assert connection.dialect.name in ("sqlite", "postgresql")
        assert [tuple(row) for row in driver.rows(connection, counted, {})] == [(1,)]


@pytest.mark.only_on("postgresql")
def test_psycopg_remembers_the_conversion_of_a_long_statement(db):
    # A name search's statement is 4.3-6.3 kB; psycopg converts a text of that length once.
    long = "SELECT %(a)s::int AS a" + " " * 5000 + ", %(b)s::text AS b"
    assert psycopg_queries.MAX_CACHED_STATEMENT_LENGTH >= CONVERTED_TEXT_BYTES
    with db.connect() as connection:
        connection.exec_driver_sql(long, {"a": 1, "b": "x"}).all()
        before = psycopg_queries._query2pg.cache_info().hits
        assert connection.exec_driver_sql(long, {"a": 2, "b": "y"}).all() == [(2, "y")]
        assert psycopg_queries._query2pg.cache_info().hits == before + 1
        assert connection.execute(text("SELECT 1")).scalar_one() == 1
