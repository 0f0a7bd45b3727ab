"""The HTTP server, chosen by measurement: uvicorn (uvloop + httptools, as `ehoks serve` runs
it) and granian, each at 1 and 2 workers, on the same database and in the same run.

For each: GET one HOKS and a trivial endpoint (`/healthz`: no database, no credentials) at the
read concurrency. The trivial endpoint's rate is what the server, the framework and the load
generator allow on this machine at all: the bound that GET one HOKS cannot pass here. Runs once
per run, in the trial with the most workers (its database holds the ingest's documents).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from common import (
    API,
    READ_DEADLINE_S,
    READ_REQUESTS_CAP,
    RESULTS,
    WARMUP_REQUESTS,
    ensure_packages,
    log,
    sqlalchemy_url,
)
from machine import CpuMeter, Server, measured
from phase_reads import read_jobs

if TYPE_CHECKING:
    from trial import Trial

CONFIGS = (("uvicorn", 1), ("granian", 1), ("uvicorn", 2), ("granian", 2))
TRIVIAL = "/healthz"


def run(trial: Trial, result: dict[str, Any]) -> None:
    from loadgen import request_bytes, run_jobs  # noqa: PLC0415

    args = trial.args
    if trial.server.workers != max(args.workers):
        return
    ensure_packages({"granian": "granian"})
    trial.refresh_tokens()  # signed with the database's key: every server here takes them
    rng = random.Random(args.seed + 1)
    stored = sorted(trial.ids.values())
    if not stored:
        raise RuntimeError("no HOKS was stored: nothing to read")
    count = min(READ_REQUESTS_CAP, max(args.read_requests, 0))
    picks = [stored[rng.randrange(len(stored))] for _ in range(count + WARMUP_REQUESTS)]
    targets = [(f"{API}/hoks/{hoks_id}", provider) for hoks_id, provider in picks]
    compared: dict[str, Any] = {}
    for kind, workers in CONFIGS:
        server = Server(
            sqlalchemy_url(trial.database_url),
            workers,
            RESULTS / f"server-{kind}-{workers}w.log",
            kind=kind,
        )
        try:
            server.wait_ready()
            port = server.port
            meter = CpuMeter(server.group_pids(), args.database)

            def gets(amount: int, chosen: list[tuple[str, int]], port: int = port) -> Any:
                jobs = read_jobs(port, trial.bearer, chosen, amount)
                return run_jobs(
                    port, jobs, concurrency=args.concurrency, deadline_s=READ_DEADLINE_S
                )

            def trivial(amount: int, port: int = port) -> Any:
                raw = request_bytes("GET", TRIVIAL, port, {})
                jobs = ((raw, _ok) for _ in range(amount))
                return run_jobs(
                    port, jobs, concurrency=args.concurrency, deadline_s=READ_DEADLINE_S
                )

            trial.loop.run_until_complete(gets(WARMUP_REQUESTS, targets[-WARMUP_REQUESTS:]))
            trial.loop.run_until_complete(trivial(WARMUP_REQUESTS))
            get = measured(trial.loop, meter, gets(count, targets))
            healthz = measured(trial.loop, meter, trivial(count))
        finally:
            server.stop()
        name = f"{kind}-{workers}w"
        compared[name] = {"server": kind, "workers": workers, "get": get, "trivial": healthz}
        log(
            f"{name}: GET one {get['per_s']}/s p99 {get['p99_ms']} ms, "
            f"{get['cpu'].get('server_cpu_ms_per_request')} ms CPU; {TRIVIAL} "
            f"{healthz['per_s']}/s p99 {healthz['p99_ms']} ms"
        )
    result["servers"] = compared


def _ok(status: int, _body: bytes) -> bool:
    return status == 200
