"""eHOKS benchmark: ingest and reads through the real HTTP API against PostgreSQL's own limits.

    make bench                              # default scale (a few minutes)
    make bench ARGS="--scale national"      # 350 000 students / HOKS
    make bench ARGS="--scale 20000 --workers 2 --profile"

See bench/README.md for what is measured and how to read bench/results/latest.{json,md,png}.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = BENCH / "results"
DATA = BENCH / "data"
API = "/ehoks-virkailija-backend/api/v1"
STAFF_API = f"{API}/virkailija"
SCALES = {"small": 5_000, "default": 5_000, "national": 350_000}
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Hard caps: every phase stops by itself.
INGEST_DEADLINE_S = 3_600
# The part of the data sent one POST per HOKS, to report that rate beside the batch rate.
SINGLE_POST_SAMPLE = 2_000
READ_DEADLINE_S = 120
READ_REQUESTS_CAP = 30_000
WARMUP_REQUESTS = 500
TARGETS = {
    "ingest_ratio": 0.25,
    "national_ingest_s": 600,
    "get_ratio": 0.20,
    "get_p99_ms": 50,
    "staff_search_p95_ms": 100,
    "staff_page_p95_ms": 100,
    "worker_rss_mb": 300,
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_packages(modules: dict[str, str]) -> None:
    """Install missing packages (module -> pip name) into this venv, saying so."""
    missing = []
    for module, package in modules.items():
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        log(f"installing into {sys.prefix}: {' '.join(missing)}")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)


# --- processes and /proc ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def proc_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    result = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"resource_tracker" not in cmdline:
            result.append(int(entry.name))
    return sorted(result)


def postgres_pids(database: str) -> list[int]:
    """The PostgreSQL backends serving `database` (other databases' work is not ours)."""
    result = []
    marker = f" {database} ".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres" and marker in (
                    entry / "cmdline"
                ).read_bytes():
                    result.append(int(entry.name))
    return result


def memory_mb(pid: int) -> dict[str, float]:
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mb": values.get("VmRSS", 0.0), "peak_rss_mb": values.get("VmHWM", 0.0)}


class CpuMeter:
    """CPU seconds of the load generator, the web workers and our PostgreSQL backends per phase.

    Counted per process: a process that appears during the phase counts whole, one that exits
    during it is left out (its time can no longer be read).
    """

    def __init__(self, workers: list[int], database: str) -> None:
        self.workers = workers
        self.database = database

    def snapshot(self) -> dict[str, Any]:
        own = os.times()
        return {
            "wall": time.perf_counter(),
            "loadgen": own.user + own.system,
            "server": {pid: proc_cpu_seconds(pid) for pid in self.workers},
            "postgres": {pid: proc_cpu_seconds(pid) for pid in postgres_pids(self.database)},
        }

    @staticmethod
    def delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
        wall = after["wall"] - before["wall"]
        result = {"wall_s": round(wall, 2)}
        capacity = wall * (os.cpu_count() or 1)
        for key in ("loadgen", "server", "postgres"):
            if key == "loadgen":
                used = after[key] - before[key]
            else:
                used = sum(
                    max(0.0, seconds - before[key].get(pid, 0.0))
                    for pid, seconds in after[key].items()
                )
            result[f"{key}_cpu_s"] = round(used, 2)
            result[f"{key}_share_of_machine"] = round(used / capacity, 3) if capacity else 0.0
        return result


class Server:
    """`ehoks serve` as a separate process, on 127.0.0.1 and a free port."""

    def __init__(self, database_url: str, workers: int, log_path: Path) -> None:
        self.port = free_port()
        self.workers = workers
        env = {
            **os.environ,
            "EHOKS_DATABASE_URL": database_url,
            "EHOKS_TOKEN_TTL_SECONDS": "3600",
        }
        self.log = log_path.open("w")
        command = [str(VENV_BIN / "ehoks"), "serve", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout_s: float = 60) -> None:
        import httpx  # noqa: PLC0415

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited ({self.process.returncode}); see {self.log.name}"
                )
            with contextlib.suppress(httpx.HTTPError):
                ready = httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=2)
                if ready.status_code == 200 and (
                    self.workers == 1 or len(self.worker_pids()) >= self.workers
                ):
                    return
            time.sleep(0.2)
        raise RuntimeError("the server did not become ready in time")

    def worker_pids(self) -> list[int]:
        if self.workers == 1:
            return [self.process.pid]
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


# --- database -----------------------------------------------------------------------------------


def recreate_database(admin_url: str, name: str) -> str:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        version = admin.execute("SHOW server_version").fetchone()
    base = admin_url.rsplit("/", 1)[0]
    log(f"database {name} recreated (PostgreSQL {version[0] if version else '?'})")
    return f"{base}/{name}"


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def run_cli(args: list[str], database_url: str) -> None:
    env = {**os.environ, "EHOKS_DATABASE_URL": sqlalchemy_url(database_url)}
    subprocess.run([str(VENV_BIN / "ehoks"), *args], env=env, check=True, stdout=subprocess.DEVNULL)


def import_registry(database_url: str, data: Path, manifest: dict[str, Any]) -> float:
    """The real importer, one file per transaction (organisations first)."""
    from sqlalchemy.orm import sessionmaker  # noqa: PLC0415

    from ehoks import wiring  # noqa: PLC0415
    from ehoks.kit.db.engine import build_engine  # noqa: PLC0415
    from ehoks.registry.service import import_files  # noqa: PLC0415

    wiring.connect()
    engine = build_engine(sqlalchemy_url(database_url), pool_size=2)
    factory = sessionmaker(engine)
    started = time.perf_counter()
    for name in ["organisations.json", *manifest["student_files"]]:
        with factory() as session:
            report = import_files(session, [data / name])
            session.commit()
        log(f"imported {name}: {'; '.join(report.summary_lines())}")
    engine.dispose()
    return time.perf_counter() - started


def create_clients(database_url: str, manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """One write client per provider, with `ehoks.client.service.create_client`."""
    from sqlalchemy.orm import sessionmaker  # noqa: PLC0415

    from ehoks.client.service import create_client  # noqa: PLC0415
    from ehoks.kit.db.engine import build_engine  # noqa: PLC0415

    engine = build_engine(sqlalchemy_url(database_url), pool_size=1)
    credentials = []
    with sessionmaker(engine)() as session:
        for provider in manifest["providers"]:
            client, secret = create_client(
                session,
                name=f"Bench SIS of provider {provider['index']}",
                organisation_oid=provider["oid"],
                access="write",
            )
            credentials.append((client.client_id, secret))
        session.commit()
    engine.dispose()
    return credentials


def tokens(port: int, credentials: list[tuple[str, str]]) -> list[str]:
    import httpx  # noqa: PLC0415

    result = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
        for client_id, secret in credentials:
            response = http.post(
                "/oauth2/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
            )
            response.raise_for_status()
            result.append(response.json()["access_token"])
    return result


def analyze(database_url: str) -> None:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("ANALYZE")


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


# --- phases -------------------------------------------------------------------------------------


def accept_ok(status: int, _body: bytes) -> bool:
    return status == 200


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


def profiler(pid: int, out: Path, *, enabled: bool) -> subprocess.Popen[bytes] | None:
    if not enabled:
        return None
    command = [str(VENV_BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses"]
    command += ["--rate", "97", "--format", "raw", "--gil", "--output", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)
    return process


def stop_profiler(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def measured(
    loop: asyncio.AbstractEventLoop,
    meter: CpuMeter,
    work: Any,
    spy: Any = None,
    after: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run one phase (a coroutine) and return its summary with the CPU each party used.

    `after` receives the closing snapshot from the phase itself when its processes end with it.
    """
    from loadgen import summary  # noqa: PLC0415

    before = meter.snapshot()
    outcome = loop.run_until_complete(work)
    cpu = CpuMeter.delta(before, after[0] if after else meter.snapshot())
    stop_profiler(spy)
    result = summary(outcome)
    result["cpu"] = cpu
    if outcome.ok:
        for key in ("server", "postgres", "loadgen"):
            cpu[f"{key}_cpu_ms_per_request"] = round(cpu[f"{key}_cpu_s"] * 1000 / outcome.ok, 3)
    return result


def staff_session(database_url: str, organisation_oid: str) -> str:
    """A signed-in staff member with the read role on `organisation_oid`: the session cookie."""
    from datetime import UTC, datetime  # noqa: PLC0415

    from sqlalchemy.orm import sessionmaker  # noqa: PLC0415

    from ehoks.auth.sessions import COOKIE_NAME, start_session  # noqa: PLC0415
    from ehoks.config import Settings  # noqa: PLC0415
    from ehoks.kit.db.engine import build_engine  # noqa: PLC0415
    from ehoks.people.models import StaffGrant, StaffMember  # noqa: PLC0415

    url = sqlalchemy_url(database_url)
    engine = build_engine(url, pool_size=1)
    with sessionmaker(engine)() as db:
        staff = "bench-staff"
        if db.get(StaffMember, staff) is None:
            db.add(StaffMember(oid=staff, name="Bench Staff"))
            db.add(
                StaffGrant(
                    staff_oid=staff,
                    organisation_oid=organisation_oid,
                    role="read",
                    source="manual",
                    created_at=datetime.now(UTC),
                    created_by="bench",
                )
            )
        new = start_session(
            db, Settings(database_url=url), kind="staff", principal=staff, display_name="Bench"
        )
        db.commit()
    engine.dispose()
    return f"{COOKIE_NAME}={new.token}"


def search_jobs(port: int, cookie: str, paths: list[str]) -> Iterator[Any]:
    from loadgen import request_bytes  # noqa: PLC0415

    for path in paths:
        yield request_bytes("GET", path, port, {"Cookie": cookie}), accept_ok


def search_paths(seed: int, count: int) -> tuple[str, list[str]]:
    """Searches a teacher makes in the largest provider: by surname, by first name, by whole
    name, or just the list, at the first pages. Returns (provider OID, paths)."""
    import generate  # noqa: PLC0415

    provider = generate.providers(seed)[0]
    rng = random.Random(seed + 17)
    base = f"{STAFF_API}/oppijat?oppilaitos-oid={provider.oid}&item-count=10"
    paths = []
    for _ in range(count):
        first = rng.choice(generate.FIRST_NAMES).split()[0]
        last = rng.choice(generate.LAST_NAMES)
        query = rng.choice((f"&nimi={last}", f"&nimi={first}", f"&nimi={first}%20{last}", ""))
        paths.append(f"{base}{query}&page={rng.randrange(3)}")
    return provider.oid, paths


def page_paths(searches: list[str]) -> list[str]:
    """The same searches as the staff students page asks them (HTML, 20 rows, 1-based pages)."""
    paths = []
    for search in searches:
        query = dict(part.split("=", 1) for part in search.split("?", 1)[1].split("&"))
        name = f"nimi={query['nimi']}&" if query.get("nimi") else ""
        paths.append(f"/ehoks-virkailija-ui/opiskelijat?{name}sivu={int(query['page']) + 1}")
    return paths


def read_phases(
    args: argparse.Namespace,
    server: Server,
    meter: CpuMeter,
    loop: asyncio.AbstractEventLoop,
    context: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    """GET one, GET by study right and raw PK reads of the same sample, each after a warm-up."""
    from generate import study_right_oid  # noqa: PLC0415
    from loadgen import raw_reads, run_jobs  # noqa: PLC0415

    rng = random.Random(args.seed)
    stored = sorted(context["ids"].items())
    if not stored:
        raise RuntimeError("no HOKS was stored: nothing to read")
    total = READ_REQUESTS_CAP + WARMUP_REQUESTS
    sample = [stored[rng.randrange(len(stored))] for _ in range(total)]
    count = min(READ_REQUESTS_CAP, max(args.read_requests, 0))
    by_id = [(f"{API}/hoks/{hoks_id}", provider) for _i, (hoks_id, provider) in sample]
    by_right = [(f"{API}/hoks/opiskeluoikeus/{study_right_oid(i)}", p) for i, (_h, p) in sample]
    raw_ids = [hoks_id for _i, (hoks_id, _p) in sample]
    port, bearer, conc = server.port, context["bearer"], args.concurrency
    query = "SELECT document FROM hoks WHERE id = %s"

    def http(targets: list[tuple[str, int]], amount: int, deadline: float) -> Any:
        jobs = read_jobs(port, bearer, targets, amount)
        return run_jobs(port, jobs, concurrency=conc, deadline_s=deadline)

    def raw(ids: list[int], deadline: float, after: list[dict[str, Any]] | None = None) -> Any:
        return raw_reads(
            context["database_url"],
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
    provider_oid, searches = search_paths(args.seed, count + WARMUP_REQUESTS)
    cookie = staff_session(context["database_url"], provider_oid)

    def search(paths: list[str]) -> Any:
        return run_jobs(port, search_jobs(port, cookie, paths), concurrency=conc, deadline_s=60)

    loop.run_until_complete(search(searches[-WARMUP_REQUESTS:]))
    staff = measured(loop, meter, search(searches[:count]))
    staff["provider"] = provider_oid
    # The page, not only the JSON: the students page of the same member, same searches (the
    # member's single grant chooses the organisation at the first request).
    pages = page_paths(searches)
    loop.run_until_complete(search(pages[-WARMUP_REQUESTS:]))
    staff["page"] = measured(loop, meter, search(pages[:count]))
    loop.run_until_complete(raw(raw_ids[-WARMUP_REQUESTS:], 30))
    closing: list[dict[str, Any]] = []
    raw_result = measured(
        loop, meter, raw(raw_ids[:count], READ_DEADLINE_S, closing), after=closing
    )
    return get, right, raw_result, staff


def ingest_phases(  # noqa: PLR0917 - one run's pieces, passed as they are made
    args: argparse.Namespace,
    server: Server,
    meter: CpuMeter,
    loop: asyncio.AbstractEventLoop,
    data: Path,
    scale: int,
    bearer: list[str],
    ids: dict[int, tuple[int, int]],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A sample one POST per HOKS, then the rest in batches (POST /hoks/bulk); each document
    gets every check of a single create either way."""
    from loadgen import run_jobs  # noqa: PLC0415

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


def trial(args: argparse.Namespace, manifest: dict[str, Any], workers: int) -> dict[str, Any]:
    """One complete run at one worker count: fresh database, registry, clients, server, phases."""

    scale = manifest["scale"]
    data = Path(args.data_dir)
    result: dict[str, Any] = {"workers": workers}
    database_url = recreate_database(args.admin_url, args.database)
    run_cli(["db", "upgrade"], database_url)
    result["registry_import_s"] = round(import_registry(database_url, data, manifest), 1)
    started = time.perf_counter()
    credentials = create_clients(database_url, manifest)
    result["clients_created_s"] = round(time.perf_counter() - started, 1)
    server = Server(sqlalchemy_url(database_url), workers, RESULTS / f"server-{workers}w.log")
    try:
        server.wait_ready()
        pids = server.worker_pids()
        log(f"server on 127.0.0.1:{server.port}, {workers} worker(s): pids {pids}")
        bearer = tokens(server.port, credentials)
        meter = CpuMeter(pids, args.database)
        loop = asyncio.new_event_loop()

        ids: dict[int, tuple[int, int]] = {}
        single, ingest = ingest_phases(args, server, meter, loop, data, scale, bearer, ids)

        # The physical limit on the same server.
        copy_s, copied, copy_cpu = raw_copy(database_url, data, scale, meter)
        copy_cpu["postgres_cpu_ms_per_document"] = round(
            copy_cpu["postgres_cpu_s"] * 1000 / copied, 3
        )
        log(f"raw COPY: {copied / copy_s:.0f} docs/s")

        # As docs/operations.md asks after a large load: fresh planner statistics (autovacuum
        # may not have got round to the new rows yet).
        analyze(database_url)

        # Reads: the same documents, 32 clients (fresh tokens: a national ingest is long).
        bearer = tokens(server.port, credentials)
        context = {"ids": ids, "bearer": bearer, "database_url": database_url}
        get, right, raw, staff = read_phases(args, server, meter, loop, context)
        loop.close()
        memory = [{"pid": pid, **memory_mb(pid)} for pid in pids]
    finally:
        server.stop()

    log(
        f"GET one: {get['per_s']}/s p99 {get['p99_ms']} ms; by study right {right['per_s']}/s "
        f"p99 {right['p99_ms']} ms; raw PK {raw['per_s']}/s p99 {raw['p99_ms']} ms"
    )
    api_rate = ingest["per_s"] or 0.0
    total_seconds = (ingest["seconds"] or 0.0) + (single["seconds"] or 0.0)
    copy_rate = copied / copy_s if copy_s else 0.0
    result.update(
        {
            "ingest": {
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
                "stored": len(ids),
                "failed": ingest["failed"] + single["failed"],
                "connections": args.bulk_concurrency,
                "single_post_connections": args.ingest_concurrency,
                "providers": len(manifest["providers"]),
                "api": ingest,
                "raw_copy_cpu": copy_cpu,
            },
            "read": {
                "concurrency": args.concurrency,
                "get_docs_per_s": get["per_s"],
                "raw_read_docs_per_s": raw["per_s"],
                "ratio": round(get["per_s"] / raw["per_s"], 3)
                if get["per_s"] and raw["per_s"]
                else None,
                "get_p50_ms": get["p50_ms"],
                "get_p95_ms": get["p95_ms"],
                "get_p99_ms": get["p99_ms"],
                "by_study_right_docs_per_s": right["per_s"],
                "by_study_right_p50_ms": right["p50_ms"],
                "by_study_right_p95_ms": right["p95_ms"],
                "by_study_right_p99_ms": right["p99_ms"],
                "raw_read_p50_ms": raw["p50_ms"],
                "raw_read_p99_ms": raw["p99_ms"],
                "staff_search": staff,
                "staff_search_p50_ms": staff["p50_ms"],
                "staff_search_p95_ms": staff["p95_ms"],
                "staff_search_p99_ms": staff["p99_ms"],
                "staff_search_per_s": staff["per_s"],
                "staff_page_p50_ms": staff["page"]["p50_ms"],
                "staff_page_p95_ms": staff["page"]["p95_ms"],
                "staff_page_p99_ms": staff["page"]["p99_ms"],
                "staff_page_per_s": staff["page"]["per_s"],
                "get": get,
                "by_study_right": right,
                "raw_read": raw,
            },
            "memory": {
                "worker_rss_mb": max((m["rss_mb"] for m in memory), default=None),
                "worker_peak_rss_mb": max((m["peak_rss_mb"] for m in memory), default=None),
                "workers": memory,
            },
        }
    )
    return result


def targets(result: dict[str, Any], scale: int) -> list[dict[str, Any]]:
    ingest, read, memory = result["ingest"], result["read"], result["memory"]
    national_s = 350_000 / ingest["api_docs_per_s"] if ingest["api_docs_per_s"] else None
    measured = scale >= 350_000

    def row(name: str, target: str, value: Any, met: object, note: str = "") -> dict[str, Any]:
        return {"name": name, "target": target, "value": value, "met": met, "note": note}

    def at_most(value: float | None, limit: float) -> bool | None:
        return None if value is None else value <= limit

    def at_least(value: float | None, limit: float) -> bool | None:
        return None if value is None else value >= limit

    return [
        row("ingest API / raw COPY", ">= 0.25", ingest["ratio"], at_least(ingest["ratio"], 0.25)),
        row(
            "national scale (350 000) ingest time",
            "<= 600 s",
            round(ingest["seconds"] if measured else national_s or 0, 1),
            at_most(ingest["seconds"] if measured else national_s, 600),
            "measured" if measured else "projected from this run's API rate",
        ),
        row("GET one / raw PK read", ">= 0.20", read["ratio"], at_least(read["ratio"], 0.20)),
        row(
            "GET one p99 at 32 clients",
            "<= 50 ms",
            read["get_p99_ms"],
            at_most(read["get_p99_ms"], 50),
        ),
        row(
            f"staff search p95 over {scale:,}".replace(",", " "),
            "<= 100 ms (over 350 000)",
            read["staff_search_p95_ms"],
            at_most(read["staff_search_p95_ms"], 100),
            "the largest provider's students, by name and by page, 32 clients",
        ),
        row(
            f"staff students page p95 over {scale:,}".replace(",", " "),
            "<= 100 ms (over 350 000)",
            read.get("staff_page_p95_ms"),
            at_most(read.get("staff_page_p95_ms"), 100),
            "the same searches as the HTML page /ehoks-virkailija-ui/opiskelijat, 32 clients",
        ),
        row(
            "RSS per web worker",
            "<= 300 MB",
            memory["worker_peak_rss_mb"],
            at_most(memory["worker_peak_rss_mb"], 300),
            "peak (VmHWM) of the largest worker",
        ),
    ]


def service_source() -> dict[str, Any]:
    """Which service code ran: its path, the checkout's commit and how many files differ from it."""
    import ehoks  # noqa: PLC0415

    def git(*args: str) -> str:
        completed = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return completed.stdout.strip()

    return {
        "module": str(Path(ehoks.__file__).parent),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_files_in_src": len(git("status", "--porcelain", "src").splitlines()),
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--scale",
        default="default",
        help="students/HOKS: a number, 'default' (5000) or 'national' (350000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers",
        default=None,
        help="comma-separated worker counts to try (default: 1,2 below 50 000, else 2)",
    )
    parser.add_argument(
        "--ingest-concurrency", type=int, default=16, help="connections sending HOKS"
    )
    parser.add_argument(
        "--batch-size", type=int, default=200, help="HOKS per POST /hoks/bulk (max 1000)"
    )
    parser.add_argument(
        "--bulk-concurrency", type=int, default=4, help="connections sending batches"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="read clients")
    parser.add_argument(
        "--read-requests",
        type=int,
        default=10_000,
        help=f"requests per read test (cap {READ_REQUESTS_CAP})",
    )
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the server during ingest and GET"
    )
    parser.add_argument(
        "--admin-url", default=os.environ.get("EHOKS_BENCH_POSTGRES", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--database", default="ehoks_bench")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument(
        "--today", default=None, help="the date the generated data is valid on (default: today)"
    )
    args = parser.parse_args(argv)
    args.scale = SCALES.get(args.scale) or int(args.scale)
    if not 1 <= args.scale <= 2_000_000:
        parser.error("--scale must be 1..2 000 000")
    if not 1 <= args.batch_size <= 1000:
        parser.error("--batch-size must be 1..1000")
    if "127.0.0.1" not in args.admin_url and "localhost" not in args.admin_url:
        parser.error("the benchmark only targets 127.0.0.1")
    default_workers = "1,2" if args.scale < 50_000 else "2"
    args.workers = [int(w) for w in (args.workers or default_workers).split(",")]
    args.data_dir = args.data_dir or str(DATA / f"scale-{args.scale}-seed-{args.seed}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(BENCH))
    needed = {"matplotlib": "matplotlib"}
    if args.profile:
        needed["py_spy"] = "py-spy"
    ensure_packages({k: v for k, v in needed.items() if k != "py_spy"})
    if args.profile and not (VENV_BIN / "py-spy").exists():
        log(f"installing into {sys.prefix}: py-spy")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "py-spy"], check=True)
    RESULTS.mkdir(exist_ok=True)
    import generate  # noqa: PLC0415
    import report  # noqa: PLC0415

    today = date.fromisoformat(args.today) if args.today else date.today()  # noqa: DTZ011
    started = time.perf_counter()
    log(f"generating {args.scale} students and HOKS into {args.data_dir} (cached if present)")
    manifest = generate.generate(Path(args.data_dir), args.scale, args.seed, today)
    generate_s = time.perf_counter() - started
    checked, problems = generate.validate_sample(Path(args.data_dir), args.seed, today, 2000)
    if problems:
        log(f"generated HOKS fail validation: {problems[:5]}")
        return 1
    log(
        f"generated in {generate_s:.1f} s; mean HOKS {manifest['hoks_bytes_mean']} bytes; "
        f"{checked} checked offline with the service's validator"
    )

    trials = []
    for workers in args.workers:
        log(f"--- trial with {workers} worker(s)")
        trials.append(trial(args, manifest, workers))

    def score(t: dict[str, Any]) -> float:
        return (
            float((t["ingest"]["api_docs_per_s"] or 0) * (t["read"]["get_docs_per_s"] or 0)) ** 0.5
        )

    best = max(trials, key=score)
    result: dict[str, Any] = {
        "scale": args.scale,
        "seed": args.seed,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "service": service_source(),
        "workers": best["workers"],
        "worker_choice": "the trial with the highest geometric mean of ingest and GET rates",
        "data": {
            "generate_s": round(generate_s, 1),
            "hoks_bytes_mean": manifest["hoks_bytes_mean"],
            "providers": len(manifest["providers"]),
            "largest_provider_hoks": max(p["hoks"] for p in manifest["providers"]),
            "registry_import_s": best["registry_import_s"],
            "clients_created_s": best["clients_created_s"],
        },
        "ingest": best["ingest"],
        "read": best["read"],
        "memory": best["memory"],
        "worker_comparison": [
            {
                "workers": t["workers"],
                "ingest_api_docs_per_s": t["ingest"]["api_docs_per_s"],
                "ingest_ratio": t["ingest"]["ratio"],
                "get_docs_per_s": t["read"]["get_docs_per_s"],
                "get_p99_ms": t["read"]["get_p99_ms"],
                "by_study_right_p99_ms": t["read"]["by_study_right_p99_ms"],
                "worker_peak_rss_mb": t["memory"]["worker_peak_rss_mb"],
                "ingest_loadgen_share_of_machine": t["ingest"]["api"]["cpu"][
                    "loadgen_share_of_machine"
                ],
            }
            for t in trials
        ],
        "profile": None,
    }
    result["targets"] = targets(best, args.scale)
    if args.profile:
        result["profile"] = report.profile_summary(RESULTS, best["workers"])
    report.write_all(result, RESULTS)
    for suffix in ("json", "md", "png"):  # keep each scale's last result beside latest.*
        shutil.copyfile(RESULTS / f"latest.{suffix}", RESULTS / f"scale-{args.scale}.{suffix}")
    log(
        f"wrote {RESULTS / 'latest.json'}, latest.md, latest.png "
        f"in {time.perf_counter() - started:.0f} s"
    )
    print((RESULTS / "latest.md").read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
