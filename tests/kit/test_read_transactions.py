"""Work that only reads takes no write lock on SQLite: a long read does not hold up a write."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update

from ehoks.kit.db.base import utcnow
from ehoks.kit.db.engine import build_read_sessionmaker, build_sessionmaker, transaction
from ehoks.kit.keys import ServiceKey

# Far below the busy timeout (30 s) that a write behind a locking read would wait.
WRITE_WAIT_S = 10


@pytest.mark.only_on("sqlite")
def test_a_long_read_does_not_block_a_write(db):
    writes = build_sessionmaker(db)
    with transaction(writes) as session:
        session.add(ServiceKey(name="k", secret="before", created_at=utcnow()))
    done = threading.Event()
    failed: list[BaseException] = []

    def write() -> None:
        try:
            with transaction(writes) as session:
                session.execute(update(ServiceKey).values(secret="after"))
        except BaseException as exc:  # noqa: BLE001 - handed to the test's thread
            failed.append(exc)
        finally:
            done.set()

    with transaction(build_read_sessionmaker(db)) as reading:
        seen = reading.scalar(select(ServiceKey.secret))
        writer = threading.Thread(target=write)
        writer.start()
        # The read is still open: the write commits all the same.
        assert done.wait(WRITE_WAIT_S), "the write waited for the read"
        # The read goes on in its own snapshot.
        assert reading.scalar(select(ServiceKey.secret)) == seen == "before"
    writer.join()
    assert failed == []
    with writes() as session:
        assert session.scalar(select(ServiceKey.secret)) == "after"


def test_a_read_session_reads_what_was_written(db):
    with transaction(build_sessionmaker(db)) as session:
        session.add(ServiceKey(name="k", secret="s", created_at=utcnow()))
    with transaction(build_read_sessionmaker(db)) as reading:
        assert reading.scalar(select(ServiceKey.secret)) == "s"
