"""The metrics port of `ehoks serve`: Prometheus text from every web worker, on a port of its own.

The service's own port never answers `/metrics`; an operator opens `--metrics-port` (on
`--metrics-host`, 127.0.0.1 unless chosen) to the scraper alone. With several workers each one
keeps its counters in files of a directory of their own (prometheus-client's multi-process mode,
`PROMETHEUS_MULTIPROC_DIR`, made here when it is not set) and the server in the supervising
process adds them up. The feedback worker's queue (due jobs) and job outcomes (jobs by state)
are read from the database at each scrape, so they hold whichever process ran the jobs.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Final

from prometheus_client import REGISTRY, CollectorRegistry, start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from ehoks.feedback.worker import repository as jobs
from ehoks.kit.db.engine import build_engine, build_sessionmaker

MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"


def prepare_workers(workers: int) -> None:
    """Before the workers start: with several, a fresh directory for their counters."""
    if workers > 1 and not os.environ.get(MULTIPROC_ENV):
        directory = tempfile.mkdtemp(prefix="ehoks-metrics-")
        os.environ[MULTIPROC_ENV] = directory
        atexit.register(shutil.rmtree, directory, ignore_errors=True)


def start(host: str, port: int, database_url: str) -> None:
    """Serve the metrics on `host:port` from a thread of this (the supervising) process."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    registry.register(JobQueue(database_url))
    start_http_server(port, addr=host, registry=registry)


class JobQueue(Collector):
    """The feedback jobs by state, and the due ones, read at each scrape."""

    def __init__(self, database_url: str) -> None:
        self._sessions = build_sessionmaker(build_engine(database_url, pool_size=1))

    def collect(self) -> Iterator[Metric]:
        states = GaugeMetricFamily(
            "ehoks_feedback_jobs",
            "Feedback jobs by state (done, parked, pending).",
            labels=["state"],
        )
        due = GaugeMetricFamily(
            "ehoks_feedback_jobs_due", "Pending feedback jobs whose time has come (the queue)."
        )
        try:
            with self._sessions() as session:
                by_state, due_now = jobs.job_counts(session, datetime.now(UTC))
        except Exception:  # noqa: BLE001 - a scrape without these is better than none
            return
        for state, count in sorted(by_state.items()):
            states.add_metric([state], count)
        due.add_metric([], due_now)
        yield states
        yield due
