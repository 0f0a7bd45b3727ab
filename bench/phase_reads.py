"""Reads at N concurrent clients over a deterministic sample of the stored HOKS, each after a
warm-up: GET one, GET by study right, and raw primary-key reads of the same rows (psycopg)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from common import API, READ_DEADLINE_S, READ_REQUESTS_CAP, RESULTS, WARMUP_REQUESTS, accept_ok, log
from machine import measured, profiler

if TYPE_CHECKING:
    from trial import Trial


def read_jobs(
    port: int, bearer: list[str], targets: list[tuple[str, int]], count: int
) -> Iterator[Any]:
    from loadgen import request_bytes  # noqa: PLC0415

    for path, provider in targets[:count]:
        headers = {
            "Authorization": f"Bearer {bearer[provider]}",
            "Caller-Id": f"bench-sis-{provider}",
        }
        yield request_bytes("GET", path, port, headers), accept_ok


def run(trial: Trial, result: dict[str, Any]) -> None:
    from generate import study_right_oid  # noqa: PLC0415
    from loadgen import raw_reads, run_jobs  # noqa: PLC0415

    args, loop, meter, server = trial.args, trial.loop, trial.meter, trial.server
    rng = random.Random(args.seed)
    stored = sorted(trial.ids.items())
    if not stored:
        raise RuntimeError("no HOKS was stored: nothing to read")
    total = READ_REQUESTS_CAP + WARMUP_REQUESTS
    sample = [stored[rng.randrange(len(stored))] for _ in range(total)]
    count = min(READ_REQUESTS_CAP, max(args.read_requests, 0))
    by_id = [(f"{API}/hoks/{hoks_id}", provider) for _i, (hoks_id, provider) in sample]
    by_right = [(f"{API}/hoks/opiskeluoikeus/{study_right_oid(i)}", p) for i, (_h, p) in sample]
    raw_ids = [hoks_id for _i, (hoks_id, _p) in sample]
    port, bearer, conc = server.port, trial.bearer, args.concurrency
    query = "SELECT document FROM hoks WHERE id = %s"

    def http(targets: list[tuple[str, int]], amount: int, deadline: float) -> Any:
        jobs = read_jobs(port, bearer, targets, amount)
        return run_jobs(port, jobs, concurrency=conc, deadline_s=deadline)

    def raw(ids: list[int], deadline: float, after: list[dict[str, Any]] | None = None) -> Any:
        return raw_reads(
            trial.database_url,
            ids,
            concurrency=conc,
            deadline_s=deadline,
            query=query,
            before_close=None if after is None else lambda: after.append(meter.snapshot()),
        )

    loop.run_until_complete(http(by_id[-WARMUP_REQUESTS:], WARMUP_REQUESTS, 30))
    spy_path = RESULTS / f"profile-get-{server.workers}w.txt"
    spy = profiler(server.process.pid, spy_path, enabled=args.profile)
    get = measured(loop, meter, http(by_id, count, READ_DEADLINE_S), spy)
    right = measured(loop, meter, http(by_right, count, READ_DEADLINE_S))
    loop.run_until_complete(raw(raw_ids[-WARMUP_REQUESTS:], 30))
    closing: list[dict[str, Any]] = []
    raw_read = measured(loop, meter, raw(raw_ids[:count], READ_DEADLINE_S, closing), after=closing)
    log(
        f"GET one: {get['per_s']}/s p99 {get['p99_ms']} ms; by study right {right['per_s']}/s "
        f"p99 {right['p99_ms']} ms; raw PK {raw_read['per_s']}/s p99 {raw_read['p99_ms']} ms"
    )
    result.setdefault("read", {"concurrency": args.concurrency}).update(
        {
            "get_docs_per_s": get["per_s"],
            "raw_read_docs_per_s": raw_read["per_s"],
            "ratio": round(get["per_s"] / raw_read["per_s"], 3)
            if get["per_s"] and raw_read["per_s"]
            else None,
            "get_p50_ms": get["p50_ms"],
            "get_p95_ms": get["p95_ms"],
            "get_p99_ms": get["p99_ms"],
            "by_study_right_docs_per_s": right["per_s"],
            "by_study_right_p50_ms": right["p50_ms"],
            "by_study_right_p95_ms": right["p95_ms"],
            "by_study_right_p99_ms": right["p99_ms"],
            "raw_read_p50_ms": raw_read["p50_ms"],
            "raw_read_p99_ms": raw_read["p99_ms"],
            "get": get,
            "by_study_right": right,
            "raw_read": raw_read,
        }
    )
