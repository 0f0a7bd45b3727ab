"""The audit records of plain reads, written together a few times a second by each process.

A provider system's read of a HOKS changes nothing but its audit record. Writing that record in
the read's own transaction costs three statements, a chain-head lock and a commit per read, which
was most of a read's database work. Instead each web process keeps the records of its reads for
at most `interval` seconds and writes them in one transaction: per chain one head update and one
multi-row insert, with `synchronous_commit off` as before (docs/operations.md, "Audit log").

What this keeps, and what it trades:

* every read is recorded: a read is answered only after its record is queued, and the queue is
  written every `interval`; a stopping process (SIGTERM, the server's shutdown) writes what is
  queued before it exits;
* the chains stay what they were: each record goes to its student's chain, chained and hashed as
  any other, so `ehoks audit verify` checks them alike; `occurred_at` is the time of the read;
* a process that dies without stopping (SIGKILL, power loss) loses the records of its reads of
  the last `interval`; with `synchronous_commit off` a crash could already lose the last fraction
  of a second;
* when records cannot be written (the database is away), they are kept and retried; once
  `max_pending` are waiting, reads are refused (503) rather than answered unrecorded.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections import defaultdict
from datetime import UTC, datetime
from typing import Final

from sqlalchemy.orm import Session, sessionmaker

from ehoks.audit import service
from ehoks.audit.service import Event
from ehoks.kit.db.engine import relax_commit_durability, transaction
from ehoks.kit.faults import database_unavailable

log = logging.getLogger("ehoks.audit.recorder")
DEFAULT_MAX_PENDING: Final = 50_000


class ReadRecorder:
    """Queues read records and writes them every `interval` seconds, in a thread of its own."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        interval: float,
        *,
        max_pending: int = DEFAULT_MAX_PENDING,
    ) -> None:
        self._factory = factory
        self._interval = interval
        self._max_pending = max_pending
        self._pending: list[Event] = []
        self._lock = threading.Lock()
        # One flush at a time: the flusher thread's and a closing one's never interleave.
        self._flushing = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None
        self.written = 0
        self.failures = 0

    def add(self, event: Event) -> None:
        """Queue a read's record (stamped now); 503 when too many are already waiting."""
        stamped = (
            event if event.occurred_at is not None else service.at_time(event, datetime.now(UTC))
        )
        with self._lock:
            if len(self._pending) >= self._max_pending:
                raise database_unavailable()
            self._pending.append(stamped)
            if self._thread is None and not self._closed:
                self._start()

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def flush(self) -> int:
        """Write every queued record now; how many were written. Failures keep them queued."""
        with self._flushing:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return 0
            try:
                _write(self._factory, batch)
            except Exception:
                with self._lock:
                    self._pending[:0] = batch
                    self.failures += 1
                raise
            self.written += len(batch)
            return len(batch)

    def close(self) -> None:
        """Stop the flusher and write what is queued (at shutdown). Idempotent."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=30)
        try:
            self.flush()
        except Exception:
            log.exception("audit records of reads could not be written at shutdown")

    def _start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="read-audit", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self._interval)
            if self._closed:
                return
            try:
                self.flush()
            except Exception:
                # Kept and retried at the next interval; reads are refused once too many wait.
                log.exception("audit records of reads could not be written; retrying")


def _write(factory: sessionmaker[Session], events: list[Event]) -> None:
    """Each record onto its own chain (its student's), chains in ascending order so that two
    processes flushing at once never wait for each other in a cycle; one transaction."""
    by_chain: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        by_chain[service.chain_of(event)].append(event)
    with transaction(factory) as session:
        relax_commit_durability(session)
        for number in sorted(by_chain):
            service.append_events(session, number, by_chain[number])
