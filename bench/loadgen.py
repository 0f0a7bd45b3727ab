"""A lean HTTP/1.1 keep-alive load generator (asyncio + uvloop) and a raw psycopg reader.

A general-purpose client (httpx) spends ~0.3 ms of CPU per request in Python, which on a 2-core
machine would be a large share of what the server itself gets. This client writes prebuilt
request bytes and parses only the status line and Content-Length, so the generator stays a small
fraction of the machine (the run reports its CPU time beside the server's and PostgreSQL's).

Every loop is bounded by a request count and a deadline; the target is always 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

HOST = "127.0.0.1"


class HttpError(Exception):
    pass


@dataclass
class Connection:
    port: int
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None or self.reader is None:
            await self.open()
        assert self.writer is not None  # noqa: S101 - opened just above
        assert self.reader is not None  # noqa: S101
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        close = False
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            lowered = name.lower()
            if lowered == b"content-length":
                length = int(value)
            elif lowered == b"transfer-encoding":
                raise HttpError("chunked responses are not supported by the bench client")
            elif lowered == b"connection" and value.strip().lower() == b"close":
                close = True
        body = await self.reader.readexactly(length) if length else b""
        if close:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def request_bytes(
    method: str, path: str, port: int, headers: dict[str, str], body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method in {"POST", "PUT", "PATCH"}:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


@dataclass
class Outcome:
    """Latencies (s) of the successful requests and the failures, by status."""

    latencies: list[float] = field(default_factory=list)
    failures: dict[int, int] = field(default_factory=dict)
    failure_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stopped_by_deadline: bool = False

    @property
    def ok(self) -> int:
        return len(self.latencies)


Job = tuple[bytes, Callable[[int, bytes], bool]]


async def run_jobs(
    port: int, jobs: Iterator[Job], *, concurrency: int, deadline_s: float
) -> Outcome:
    """Send jobs (request bytes, accept(status, body)) over `concurrency` keep-alive connections.

    Stops when the jobs run out or at the deadline, whichever comes first.
    """
    outcome = Outcome()
    start = time.perf_counter()
    stop_at = start + deadline_s

    async def worker() -> None:
        connection = Connection(port)
        try:
            for raw, accept in jobs:
                if time.perf_counter() > stop_at:
                    outcome.stopped_by_deadline = True
                    return
                sent = time.perf_counter()
                try:
                    status, body = await connection.request(raw)
                except (OSError, asyncio.IncompleteReadError, HttpError) as exc:
                    outcome.failures[0] = outcome.failures.get(0, 0) + 1
                    if len(outcome.failure_samples) < 5:
                        outcome.failure_samples.append(repr(exc))
                    await connection.close()
                    continue
                if accept(status, body):
                    outcome.latencies.append(time.perf_counter() - sent)
                else:
                    outcome.failures[status] = outcome.failures.get(status, 0) + 1
                    if len(outcome.failure_samples) < 5:
                        outcome.failure_samples.append(f"{status} {body[:300]!r}")
        finally:
            await connection.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    outcome.seconds = time.perf_counter() - start
    return outcome


async def raw_reads(
    dsn: str,
    ids: list[int],
    *,
    concurrency: int,
    deadline_s: float,
    query: str,
    before_close: Callable[[], None] | None = None,
) -> Outcome:
    """Primary-key reads of the same documents straight from PostgreSQL (psycopg, async)."""
    import psycopg  # noqa: PLC0415 - only the reader needs it

    outcome = Outcome()
    iterator = iter(ids)
    connections = [
        await psycopg.AsyncConnection.connect(dsn, autocommit=True) for _ in range(concurrency)
    ]
    start = time.perf_counter()
    stop_at = start + deadline_s

    async def worker(connection: Any) -> None:
        async with connection.cursor() as cursor:
            for hoks_id in iterator:
                if time.perf_counter() > stop_at:
                    outcome.stopped_by_deadline = True
                    return
                sent = time.perf_counter()
                await cursor.execute(query, (hoks_id,), prepare=True)
                row = await cursor.fetchone()
                if row is None:
                    outcome.failures[404] = outcome.failures.get(404, 0) + 1
                else:
                    outcome.latencies.append(time.perf_counter() - sent)

    try:
        await asyncio.gather(*(worker(c) for c in connections))
    finally:
        outcome.seconds = time.perf_counter() - start
        if before_close is not None:  # e.g. read the backends' CPU while they still exist
            before_close()
        for connection in connections:
            await connection.close()
    return outcome


def percentile(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[position]


def summary(outcome: Outcome) -> dict[str, Any]:
    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 2)

    return {
        "ok": outcome.ok,
        "failed": sum(outcome.failures.values()),
        "failures_by_status": {str(k): v for k, v in outcome.failures.items()},
        "failure_samples": outcome.failure_samples,
        "seconds": round(outcome.seconds, 3),
        "per_s": round(outcome.ok / outcome.seconds, 1) if outcome.seconds else None,
        "p50_ms": ms(percentile(outcome.latencies, 0.50)),
        "p95_ms": ms(percentile(outcome.latencies, 0.95)),
        "p99_ms": ms(percentile(outcome.latencies, 0.99)),
        "max_ms": ms(max(outcome.latencies) if outcome.latencies else None),
        "stopped_by_deadline": outcome.stopped_by_deadline,
    }
