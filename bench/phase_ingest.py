"""Ingest: the documents through the API (a sample one POST each, the rest in batches), then
the same request bodies COPYed into a bare table on the same server, the physical limit."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common import API, INGEST_DEADLINE_S, RESULTS, SINGLE_POST_SAMPLE, log
from machine import CpuMeter, measured, profiler

if TYPE_CHECKING:
    from trial import Trial


def run(trial: Trial, result: dict[str, Any]) -> None:
    args, scale = trial.args, trial.scale
    single, ingest = ingest_phases(trial)
    copy_s, copied, copy_cpu = raw_copy(trial.database_url, trial.data, scale, trial.meter)
    copy_cpu["postgres_cpu_ms_per_document"] = round(copy_cpu["postgres_cpu_s"] * 1000 / copied, 3)
    log(f"raw COPY: {copied / copy_s:.0f} docs/s")
    api_rate = ingest["per_s"] or 0.0
    total_seconds = (ingest["seconds"] or 0.0) + (single["seconds"] or 0.0)
    copy_rate = copied / copy_s if copy_s else 0.0
    result["ingest"] = {
        "api_docs_per_s": api_rate,
        "raw_copy_docs_per_s": round(copy_rate, 1),
        "ratio": round(api_rate / copy_rate, 3) if copy_rate else None,
        "seconds": ingest["seconds"],
        "all_documents_seconds": round(total_seconds, 2),
        "path": f"POST {API}/hoks/bulk, batches of {args.batch_size}",
        "single_post_docs_per_s": single["per_s"],
        "single_post_ratio": round(single["per_s"] / copy_rate, 3)
        if single["per_s"] and copy_rate
        else None,
        "single_post_documents": single["ok"],
        "single_post": single,
        "raw_copy_seconds": round(copy_s, 2),
        "documents": scale,
        "stored": len(trial.ids),
        "failed": ingest["failed"] + single["failed"],
        "connections": args.bulk_concurrency,
        "single_post_connections": args.ingest_concurrency,
        "providers": len(trial.manifest["providers"]),
        "api": ingest,
        "raw_copy_cpu": copy_cpu,
    }


def ingest_jobs(
    data: Path, limit: int, port: int, bearer: list[str], ids: dict[int, tuple[int, int]]
) -> Iterator[Any]:
    import orjson  # noqa: PLC0415

    from loadgen import request_bytes  # noqa: PLC0415

    for index, provider, body in __import__("generate").read_hoks(data / "hoks.jsonl", limit):
        headers = {
            "Authorization": f"Bearer {bearer[provider]}",
            "Caller-Id": f"bench-sis-{provider}",
            "Content-Type": "application/json",
        }
        raw = request_bytes("POST", f"{API}/hoks", port, headers, body)

        def accept(
            status: int, answer: bytes, index: int = index, provider: int = provider
        ) -> bool:
            if status != 200:
                return False
            ids[index] = (int(orjson.loads(answer)["meta"]["id"]), provider)
            return True

        yield raw, accept


def bulk_request(
    items: list[tuple[int, bytes]],
    provider: int,
    *,
    port: int,
    bearer: list[str],
    ids: dict[int, tuple[int, int]],
) -> Any:
    """One POST /hoks/bulk of one provider's documents, and how to read its answer."""
    import orjson  # noqa: PLC0415

    from loadgen import request_bytes  # noqa: PLC0415

    headers = {
        "Authorization": f"Bearer {bearer[provider]}",
        "Caller-Id": f"bench-sis-{provider}",
        "Content-Type": "application/json",
    }
    body = b"[" + b",".join(doc for _i, doc in items) + b"]"
    raw = request_bytes("POST", f"{API}/hoks/bulk", port, headers, body)
    indexes = [i for i, _doc in items]

    def accept(status: int, answer: bytes) -> bool:
        if status != 200:
            return False
        results = orjson.loads(answer)["data"]
        for item in results:
            if "id" in item:
                ids[indexes[item["index"]]] = (int(item["id"]), provider)
        return all("id" in item for item in results)

    return raw, accept


def bulk_ingest_jobs(
    data: Path,
    *,
    skip: int,
    limit: int,
    batch_size: int,
    send: Any,
) -> Iterator[Any]:
    """The documents after the first `skip`, as batches of one provider's HOKS, as a student
    information system's nightly synchronisation sends them; `send` builds each request."""
    pending: dict[int, list[tuple[int, bytes]]] = {}
    for index, provider, body in __import__("generate").read_hoks(data / "hoks.jsonl", limit):
        if index < skip:
            continue
        items = pending.setdefault(provider, [])
        items.append((index, body))
        if len(items) >= batch_size:
            yield send(items, provider)
            pending[provider] = []
    for provider, items in pending.items():
        if items:
            yield send(items, provider)


def ingest_phases(trial: Trial) -> tuple[dict[str, Any], dict[str, Any]]:
    """A sample one POST per HOKS, then the rest in batches (POST /hoks/bulk); each document
    gets every check of a single create either way."""
    from loadgen import run_jobs  # noqa: PLC0415

    args, server, meter, loop = trial.args, trial.server, trial.meter, trial.loop
    data, scale, bearer, ids = trial.data, trial.scale, trial.bearer, trial.ids

    single_count = min(scale // 10, SINGLE_POST_SAMPLE)
    jobs = ingest_jobs(data, single_count, server.port, bearer, ids)
    log(f"ingest: {single_count} HOKS one POST each, {args.ingest_concurrency} connections")
    work = run_jobs(
        server.port, jobs, concurrency=args.ingest_concurrency, deadline_s=INGEST_DEADLINE_S
    )
    single = measured(loop, meter, work)
    log(f"single POST: {single['per_s']} docs/s, {single['failed']} failed")
    spy_path = RESULTS / f"profile-ingest-{server.workers}w.txt"
    spy = profiler(server.process.pid, spy_path, enabled=args.profile)

    def send(items: list[tuple[int, bytes]], provider: int) -> Any:
        return bulk_request(items, provider, port=server.port, bearer=bearer, ids=ids)

    batches = bulk_ingest_jobs(
        data, skip=single_count, limit=scale, batch_size=args.batch_size, send=send
    )
    log(
        f"ingest: {scale - single_count} HOKS in batches of {args.batch_size} through "
        f"POST {API}/hoks/bulk, {args.bulk_concurrency} connections"
    )
    before_bulk = len(ids)
    work = run_jobs(
        server.port, batches, concurrency=args.bulk_concurrency, deadline_s=INGEST_DEADLINE_S
    )
    ingest = measured(loop, meter, work, spy)
    bulk_docs = len(ids) - before_bulk
    ingest["batches_per_s"] = ingest["per_s"]
    ingest["per_s"] = round(bulk_docs / ingest["seconds"], 1) if ingest["seconds"] else None
    for key in ("server", "postgres", "loadgen"):
        if bulk_docs:
            ingest["cpu"][f"{key}_cpu_ms_per_document"] = round(
                ingest["cpu"][f"{key}_cpu_s"] * 1000 / bulk_docs, 3
            )
    log(f"batches: {ingest['per_s']} docs/s, {ingest['failed']} failed, cpu {ingest['cpu']}")
    if ingest["failed"] or single["failed"]:
        log(f"ingest failures: {ingest['failure_samples']} {single['failure_samples']}")
    return single, ingest


def raw_copy(
    database_url: str, data: Path, limit: int, meter: CpuMeter
) -> tuple[float, int, dict[str, float]]:
    """The physical limit: the same request bodies COPYed into (id, keys, jsonb), one stream."""
    import psycopg  # noqa: PLC0415

    from generate import oppija_oid, read_hoks, study_right_oid  # noqa: PLC0415

    with psycopg.connect(database_url) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_raw")
        connection.execute(
            "CREATE TABLE bench_raw (id bigint PRIMARY KEY, opiskeluoikeus_oid text NOT NULL,"
            " oppija_oid text NOT NULL, document jsonb NOT NULL)"
        )
        connection.commit()
        before = meter.snapshot()
        started = time.perf_counter()
        count = 0
        with (
            connection.cursor() as cursor,
            cursor.copy(
                "COPY bench_raw (id, opiskeluoikeus_oid, oppija_oid, document) FROM STDIN"
            ) as copy,
        ):
            for index, _provider, body in read_hoks(data / "hoks.jsonl", limit):
                copy.write_row(
                    (index + 1, study_right_oid(index), oppija_oid(index), body.decode())
                )
                count += 1
        connection.commit()
        seconds = time.perf_counter() - started
        return seconds, count, CpuMeter.delta(before, meter.snapshot())
