"""One trial at one worker count: set-up, then the chosen phases in order, each its own module.

A phase is a module with `run(trial, result)` that measures one thing and writes its part of the
result; a new measure is a new module added to PHASES.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phase_ingest
import phase_load
import phase_memory
import phase_reads
import phase_search
import phase_servers
import phase_sync
from common import RESULTS, log, sqlalchemy_url
from machine import CpuMeter, Server
from phase_setup import create_clients, prepare_database, tokens, vacuum_analyze

# In the order they run: reads need the ingest's documents (the servers phase starts servers of
# its own on them and leaves the trial's as it was); memory is read last. `load` is not run by
# default: it stores documents without the API, for the search at a large scale.
PHASES = {
    "ingest": phase_ingest,
    "load": phase_load,
    "reads": phase_reads,
    "search": phase_search,
    "servers": phase_servers,
    "memory": phase_memory,
    "sync": phase_sync,
}
DEFAULT_PHASES = [name for name in PHASES if name != "load"]


@dataclass
class Trial:
    """What the phases of one trial share."""

    args: Any
    manifest: dict[str, Any]
    database_url: str
    server: Server
    meter: CpuMeter
    loop: asyncio.AbstractEventLoop
    credentials: list[tuple[str, str]]
    bearer: list[str] = field(default_factory=list)
    # Index of the generated document -> (stored HOKS id, provider index), filled by the ingest.
    ids: dict[int, tuple[int, int]] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return Path(self.args.data_dir)

    @property
    def scale(self) -> int:
        return int(self.manifest["scale"])

    def refresh_tokens(self) -> None:
        """New bearer tokens (a national ingest outlasts a token's lifetime)."""
        self.bearer = tokens(self.server.port, self.credentials)


def stored_ids(database_url: str, data: Path) -> dict[int, tuple[int, int]]:
    """The kept database's plans as the ingest would have noted them: generated document index
    -> (stored id, provider index), matched by study right (one plan per study right)."""
    import psycopg  # noqa: PLC0415

    from generate import read_provider_indexes, study_right_oid  # noqa: PLC0415

    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT opiskeluoikeus_oid, id FROM hoks WHERE deleted_at IS NULL"
        ).fetchall()
    stored = dict(rows)
    ids: dict[int, tuple[int, int]] = {}
    for index, provider in read_provider_indexes(data / "hoks.jsonl"):
        hoks_id = stored.get(study_right_oid(index))
        if hoks_id is not None:
            ids[index] = (int(hoks_id), provider)
    return ids


def run_trial(args: Any, manifest: dict[str, Any], workers: int) -> dict[str, Any]:
    """A complete run at one worker count: database, registry, clients, server, phases."""
    result: dict[str, Any] = {"workers": workers}
    database_url = prepare_database(args, manifest, result)
    started = time.perf_counter()
    credentials = create_clients(database_url, manifest)
    result["clients_created_s"] = round(time.perf_counter() - started, 1)
    server = Server(sqlalchemy_url(database_url), workers, RESULTS / f"server-{workers}w.log")
    try:
        server.wait_ready()
        pids = server.worker_pids()
        log(f"server on 127.0.0.1:{server.port}, {workers} worker(s): pids {pids}")
        trial = Trial(
            args=args,
            manifest=manifest,
            database_url=database_url,
            server=server,
            meter=CpuMeter(pids, args.database),
            loop=asyncio.new_event_loop(),
            credentials=credentials,
        )
        trial.refresh_tokens()
        analysed = False
        try:
            for name in args.phases:
                if name in {"reads", "search"} and not analysed:
                    # As docs/operations.md asks after a large load: fresh planner statistics and
                    # the visibility map set, so that the lists' index-only ranges read no heap
                    # (autovacuum, which would do it in time, is off on this machine's server; at
                    # 350 000 the search's PostgreSQL CPU was 9.9 ms before a vacuum, 3.7 after).
                    vacuum_analyze(database_url, "before the reads")
                    trial.refresh_tokens()
                    analysed = True
                if name in {"reads", "servers"} and not trial.ids:
                    # No ingest in this run: read what an earlier ingest (or the load) stored.
                    trial.ids = stored_ids(database_url, trial.data)
                    log(f"reads of the {len(trial.ids)} plans the database holds")
                PHASES[name].run(trial, result)
        finally:
            trial.loop.close()
    finally:
        server.stop()
    return result
