"""Writing the catch-up's batches: one after another, or beside the reading and deciding.

Each batch is written in one transaction with the run's progress (locked, so two runs at once
take turns; the keys keep them from adding anything twice). The parallel writer is a thread
with a short queue: the database stores batch n while Python reads and decides batch n + 1, so
both cores work. Batches are written in the order they came, so the first plan asking for a key
still gets it. A failure in the writer stops the run at the next batch handed over, with the
error; what was committed stays, and the next run goes on from there.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Protocol

from sqlalchemy.orm import Session, sessionmaker

from ehoks.feedback.catchup import repository
from ehoks.kit.db.engine import transaction

RUN_NAME: Final = "catch-up"
QUEUED: Final = 2  # batches decided ahead of the writer at most
Store = Callable[[Session, Sequence[dict[str, Any]], datetime], int]
Written = Callable[[int, int, int], None]  # plans, surveys, last HOKS id of a batch written


@dataclass(frozen=True, slots=True)
class Batch:
    plans: int
    last_hoks_id: int
    rows: list[dict[str, Any]]


class Writer(Protocol):
    finished: bool

    def start(self, written: Written) -> None: ...
    def put(self, batch: Batch) -> None: ...
    def close(self, *, finish: bool) -> None: ...
    def abort(self) -> None: ...


class InlineWriter:
    """Each batch written as it is handed over (SQLite, whose writes take turns anyway)."""

    def __init__(self, factory: sessionmaker[Session], store: Store, now: datetime) -> None:
        self._factory, self._store, self._now = factory, store, now
        self._written: Written = _nothing
        self.finished = False

    def start(self, written: Written) -> None:
        self._written = written

    def put(self, batch: Batch) -> None:
        surveys = write_batch(self._factory, self._store, batch, self._now)
        self._written(batch.plans, surveys, batch.last_hoks_id)

    def close(self, *, finish: bool) -> None:
        if finish:
            self.finished = mark_finished(self._factory, self._now)

    def abort(self) -> None:
        """Nothing is under way between two batches."""


class ThreadWriter(InlineWriter):
    """Batches written by a thread of their own, in order, while the next ones are decided."""

    def __init__(self, factory: sessionmaker[Session], store: Store, now: datetime) -> None:
        super().__init__(factory, store, now)
        self._queue: queue.Queue[Batch | None] = queue.Queue(maxsize=QUEUED)
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="catch-up-writer", daemon=True)

    def start(self, written: Written) -> None:
        super().start(written)
        self._thread.start()

    def put(self, batch: Batch) -> None:
        while True:
            self._raise_failure()
            try:
                self._queue.put(batch, timeout=0.5)
            except queue.Full:
                continue
            return

    def close(self, *, finish: bool) -> None:
        self.put_end()
        self._thread.join()
        self._raise_failure()
        super().close(finish=finish)

    def put_end(self) -> None:
        while self._thread.is_alive():
            try:
                self._queue.put(None, timeout=0.5)
            except queue.Full:
                continue
            return

    def abort(self) -> None:
        self._stop.set()
        while True:  # what was queued is not written; the run goes on from the last commit
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self.put_end()
        self._thread.join()

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            while (batch := self._queue.get()) is not None and not self._stop.is_set():
                InlineWriter.put(self, batch)
        except BaseException as error:  # noqa: BLE001 - handed to the deciding thread
            self._error = error


def writer_for(
    factory: sessionmaker[Session], store: Store, now: datetime, *, parallel: bool
) -> Writer:
    return (ThreadWriter if parallel else InlineWriter)(factory, store, now)


def write_batch(factory: sessionmaker[Session], store: Store, batch: Batch, now: datetime) -> int:
    """One batch's surveys, events and jobs with the run's progress; how many surveys were new."""
    with transaction(factory) as session:
        state = repository.progress(session, RUN_NAME)
        assert state is not None  # the run made it before the first batch  # noqa: S101
        surveys = store(session, batch.rows, now)
        state.last_hoks_id = max(state.last_hoks_id, batch.last_hoks_id)
        state.plans += batch.plans
        state.surveys += surveys
        state.updated_at = now
    return surveys


def mark_finished(factory: sessionmaker[Session], now: datetime) -> bool:
    with transaction(factory) as session:
        state = repository.progress(session, RUN_NAME)
        if state is None:
            return False
        state.finished_at = now
        state.updated_at = now
    return True


def _nothing(plans: int, surveys: int, last: int) -> None:
    del plans, surveys, last
