"""Many rows in one insert: the values as a Core insert stores them, conflicts left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from psycopg.adapt import PyFormat
from sqlalchemy import select, text

from ehoks.feedback.models import FeedbackJob
from ehoks.kit.db.arrays import QuotedListDumper
from ehoks.kit.db.engine import transaction
from ehoks.kit.db.rows import insert_rows

HELSINKI_SUMMER = timezone(timedelta(hours=3))


def job(key: str, **values: object) -> dict[str, object]:
    return {
        "key": key,
        "kind": "handle",
        "state": "pending",
        "due_at": datetime(2026, 6, 1, 12, tzinfo=HELSINKI_SUMMER),
        "payload": {"n": key, "list": [1, None, "ä"]},
        **values,
    }


def stored(session_factory) -> dict[str, FeedbackJob]:
    with session_factory() as session:
        return {row.key: row for row in session.scalars(select(FeedbackJob))}


def test_rows_are_stored_with_their_types_and_defaults(session_factory):
    rows = [job(f"k{n}", attempts=n, last_error=None if n % 2 else "e") for n in range(3)]
    with transaction(session_factory) as session:
        returned = insert_rows(session, FeedbackJob, rows, returning=("key", "id"))
    ids = {row[0]: row[1] for row in returned}
    assert sorted(ids) == ["k0", "k1", "k2"]

    jobs = stored(session_factory)
    for n in range(3):
        row = jobs[f"k{n}"]
        assert row.id == ids[f"k{n}"]
        assert row.attempts == n
        assert row.last_error == (None if n % 2 else "e")
        assert row.payload == {"n": f"k{n}", "list": [1, None, "ä"]}
        # Stored as the instant it is, read back in UTC.
        assert row.due_at == datetime(2026, 6, 1, 9, tzinfo=UTC)
        # A column left out gets its Python-side default (created_at: now).
        assert abs(row.created_at - datetime.now(UTC)) < timedelta(minutes=5)
        assert row.feedback_id is None


def test_taken_keys_are_left_out_and_not_returned(session_factory):
    with transaction(session_factory) as session:
        insert_rows(session, FeedbackJob, [job("a", attempts=7)])
    with transaction(session_factory) as session:
        returned = insert_rows(
            session,
            FeedbackJob,
            [job("a", attempts=1), job("b", attempts=2)],
            returning=("key",),
            skip_conflicts_on="key",
        )
    assert [row[0] for row in returned] == ["b"]
    jobs = stored(session_factory)
    assert {key: row.attempts for key, row in jobs.items()} == {"a": 7, "b": 2}


def test_no_rows_is_no_statement(session_factory):
    with transaction(session_factory) as session:
        assert insert_rows(session, FeedbackJob, [], returning=("id",)) == []
    assert stored(session_factory) == {}


# Text that a PostgreSQL array must quote or escape, and text it must not take for NULL.
AWKWARD = ["", "NULL", "null", 'say "hi"', "back\\slash\\", "{a,b}", " spaced ", "ä\u3000ö", "\\"]


def test_awkward_text_and_json_survive_the_arrays(session_factory):
    rows = [
        job(f"k{n}", last_error=value, payload={"text": value, "doc": '{"a": "\\"q\\""}'})
        for n, value in enumerate([*AWKWARD, None])
    ]
    with transaction(session_factory) as session:
        insert_rows(session, FeedbackJob, rows)
    jobs = stored(session_factory)
    for n, value in enumerate([*AWKWARD, None]):
        assert jobs[f"k{n}"].last_error == value
        assert jobs[f"k{n}"].payload == {"text": value, "doc": '{"a": "\\"q\\""}'}


@pytest.mark.only_on("postgresql")
def test_list_parameters_read_back_as_sent(session):
    def echo(sql: str, value: object) -> object:
        return session.execute(text(sql), {"v": value}).scalar_one()

    assert echo("SELECT CAST(:v AS TEXT[])", [*AWKWARD, None]) == [*AWKWARD, None]
    assert echo("SELECT CAST(:v AS INTEGER[])", [1, None, -3]) == [1, None, -3]
    assert echo("SELECT CAST(:v AS TEXT[])", [[*"ab"], ['"', "\\"]]) == [[*"ab"], ['"', "\\"]]
    assert echo("SELECT CAST(:v AS TEXT[])", []) == []
    assert echo("SELECT CAST(:v AS TEXT[])", [None, None]) == [None, None]
    # ... written by the service's dumper, not psycopg's slower one.
    adapters = session.connection().connection.dbapi_connection.adapters  # type: ignore[union-attr]
    assert adapters.get_dumper(list, PyFormat.AUTO) is QuotedListDumper
