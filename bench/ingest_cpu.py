"""CPU per document of a batch create, in this process: the application called directly (ASGI,
no network, no server process), so that the Python a batch costs can be measured and profiled
without the noise of a load generator and a second process.

    .venv/bin/python bench/ingest_cpu.py --scale 3000 --batches 10
    .venv/bin/python bench/ingest_cpu.py --scale 3000 --batches 10 --profile results/ingest.prof
    .venv/bin/python bench/ingest_cpu.py --scale 3000 --reuse   # the same batches again
    .venv/bin/python bench/ingest_cpu.py --keep-plans --data-dir /work/benchdata/national \
        --database copy_of_a_loaded_national_database

Sets up its own PostgreSQL database (`ehoks_bench_ingest_cpu`, recreated: schema, the generated
registry files, one write client per provider), then sends `--warmup` and `--batches` batches of
`--batch-size` of one provider's generated HOKS each to `POST /hoks/bulk` through the ASGI
application, every one in full: the body read and split, authentication, every check of a
single create, the insert, history, audit, the instructor projection and the feedback decisions.
It prints this process's CPU milliseconds per document (all threads: the web worker's share of
the machine), the PostgreSQL backends' CPU per document, and the wall time, with the load
average.

`--keep-plans` measures the same against a database already holding many plans (a copy of one
the bench's load phase filled from `--data-dir`): the batches are the data set's last documents,
whose plans (and what hangs on them) are deleted and the tables vacuumed before each run, so that
every run sends the same documents into the same database.

Process CPU time is what the same code costs whatever else runs (more or less: a loaded
machine's caches are colder), so it is the number to compare between versions.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from common import API, DATA, DEFAULT_ADMIN_URL, VENV_BIN, log, sqlalchemy_url
from machine import cpu_used, postgres_cpu, stop_profiler, watching_cpu_s


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=3000, help="students and HOKS generated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=2, help="batches before measuring")
    parser.add_argument("--batches", type=int, default=8, help="batches measured")
    parser.add_argument("--database", default="ehoks_bench_ingest_cpu")
    parser.add_argument("--admin-url", default=os.environ.get("EHOKS_BENCH_POSTGRES"))
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database's registry and clients; its plans (and what hangs on them) go",
    )
    parser.add_argument(
        "--keep-plans",
        action="store_true",
        help="keep the database's plans; send the data set's last documents, their plans deleted",
    )
    parser.add_argument(
        "--data-dir", help="the generated data set the database was loaded from (--keep-plans)"
    )
    parser.add_argument(
        "--checkpoint",
        action="store_true",
        help="a CHECKPOINT before the measured batches: every page they change first goes into"
        " the WAL whole, as in a long ingest whose checkpoints follow one another",
    )
    parser.add_argument("--profile", help="write cProfile statistics of the measured batches")
    parser.add_argument(
        "--spy", help="record the measured batches with py-spy (collapsed stacks) into this file"
    )
    args = parser.parse_args(argv)
    if args.keep_plans and not args.data_dir:
        parser.error("--keep-plans needs --data-dir")
    args.admin_url = args.admin_url or DEFAULT_ADMIN_URL
    return args


def empty_plans(database_url: str) -> None:
    """No plans stored: every run sends the same documents (their surveys, periods, history and
    change feed go with them; the audit log stays, as it would)."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("TRUNCATE hoks CASCADE")
        connection.execute("VACUUM ANALYZE")


def last_batches(data: Path, args: argparse.Namespace) -> tuple[list[tuple[int, bytes]], list[str]]:
    """(provider, request body) of the data set's last full batches of one provider's HOKS, and
    the study rights of their documents."""
    from generate import read_hoks, read_provider_indexes, study_right_oid  # noqa: PLC0415

    wanted = args.warmup + args.batches
    by_provider: dict[int, list[int]] = {}
    for index, provider in read_provider_indexes(data / "hoks.jsonl"):
        by_provider.setdefault(provider, []).append(index)
    # The providers whose last documents come last, a batch of each until there are enough.
    chosen: list[list[int]] = []
    for indexes in sorted(by_provider.values(), key=lambda found: -found[-1]):
        while len(indexes) >= args.batch_size and len(chosen) < wanted:
            chosen.append(indexes[-args.batch_size :])
            del indexes[-args.batch_size :]
    if len(chosen) < wanted:
        sys.exit(f"only {len(chosen)} full batches in {data}")
    batch_of = {index: number for number, batch in enumerate(chosen) for index in batch}
    bodies: list[list[bytes]] = [[] for _ in chosen]
    providers = [0] * len(chosen)
    for index, provider, body in read_hoks(data / "hoks.jsonl"):
        if (number := batch_of.get(index)) is not None:
            bodies[number].append(body)
            providers[number] = provider
    work = [(p, b"[" + b",".join(items) + b"]") for p, items in zip(providers, bodies, strict=True)]
    return work, [study_right_oid(index) for index in batch_of]


def delete_plans(database_url: str, study_rights: list[str]) -> None:
    """The plans of these study rights gone, with what hangs on them, and the tables vacuumed
    (the audit log stays, as it would)."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(database_url, autocommit=True) as connection:
        # The name tables have no foreign key to the plans (migration 0027): their rows go first.
        for table in ("hoks_name_word", "hoks_name_suffix"):
            connection.execute(
                f"DELETE FROM {table} WHERE hoks_id IN"  # noqa: S608 - constant names
                " (SELECT id FROM hoks WHERE opiskeluoikeus_oid = ANY(%s))",
                (study_rights,),
            )
        deleted = connection.execute(
            "DELETE FROM hoks WHERE opiskeluoikeus_oid = ANY(%s)", (study_rights,)
        ).rowcount
        tables = ["hoks", "hoks_name_word", "hoks_name_suffix", "hoks_change", "workplace_period"]
        tables += ["feedback", "feedback_event", "feedback_job"]
        for table in tables:
            connection.execute(f"VACUUM {table}")
    log(f"{deleted} plans of the batches deleted, their tables vacuumed")


def work_of(args: argparse.Namespace, database_url: str, data: Path) -> list[tuple[int, bytes]]:
    """The batches to send (warm-up first), their plans deleted first with `--keep-plans`."""
    if not args.keep_plans:
        return batches(data, args, stored_study_rights(database_url))
    work, study_rights = last_batches(data, args)
    delete_plans(database_url, study_rights)
    return work


def checkpoint(database_url: str) -> None:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute("CHECKPOINT")


def wal_written(database_url: str) -> dict[str, int]:
    """The server's WAL bytes and full-page images so far (`pg_stat_wal`)."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(database_url, autocommit=True) as connection:
        row = connection.execute("SELECT wal_bytes::bigint, wal_fpi FROM pg_stat_wal").fetchone()
    return {"bytes": int(row[0]), "fpi": int(row[1])} if row else {"bytes": 0, "fpi": 0}


def stored_study_rights(database_url: str) -> set[str]:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(database_url) as connection:
        return {oid for (oid,) in connection.execute("SELECT opiskeluoikeus_oid FROM hoks")}


def batches(data: Path, args: argparse.Namespace, stored: set[str]) -> list[tuple[int, bytes]]:
    """(provider, request body) of the batches to send, one provider's HOKS each, of the
    generated HOKS not stored yet."""
    from generate import read_hoks, study_right_oid  # noqa: PLC0415

    wanted = args.warmup + args.batches
    pending: dict[int, list[bytes]] = {}
    result: list[tuple[int, bytes]] = []
    for index, provider, body in read_hoks(data / "hoks.jsonl", None):
        if study_right_oid(index) in stored:
            continue
        items = pending.setdefault(provider, [])
        items.append(body)
        if len(items) == args.batch_size:
            result.append((provider, b"[" + b",".join(items) + b"]"))
            pending[provider] = []
            if len(result) == wanted:
                return result
    sys.exit(f"only {len(result)} full batches of HOKS not stored yet; use a larger --scale")


async def call(app: Any, method: str, path: str, headers: dict[str, str], body: bytes) -> bytes:
    """One request through the ASGI application; the answer's body (status 200 required)."""
    sent = False
    answer: dict[str, Any] = {"status": 0, "body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw_headers.append((b"content-length", str(len(body)).encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    if answer["status"] != 200:
        raise SystemExit(f"{method} {path}: {answer['status']} {answer['body'][:500]!r}")
    return bytes(answer["body"])


def prepare(args: argparse.Namespace) -> tuple[str, dict[str, Any], Path]:
    import generate  # noqa: PLC0415
    from phase_setup import import_registry, recreate_database, run_cli  # noqa: PLC0415

    if args.keep_plans:
        database_url = f"{args.admin_url.rsplit('/', 1)[0]}/{args.database}"
        data = Path(args.data_dir)
        return database_url, orjson.loads((data / "manifest.json").read_bytes()), data
    today = datetime.now(UTC).date()
    data = DATA / f"scale-{args.scale}-seed-{args.seed}"
    manifest = generate.generate(data, args.scale, args.seed, today)
    base = args.admin_url.rsplit("/", 1)[0]
    if args.reuse:
        database_url = f"{base}/{args.database}"
        empty_plans(database_url)
        return database_url, manifest, data
    database_url = recreate_database(args.admin_url, args.database)
    run_cli(["db", "upgrade"], database_url)
    import_registry(database_url, data, manifest)
    return database_url, manifest, data


async def tokens(app: Any, database_url: str, providers: list[dict[str, Any]]) -> dict[int, str]:
    """A bearer token of a new write client of each of these providers."""
    from base64 import b64encode  # noqa: PLC0415

    from phase_setup import create_clients  # noqa: PLC0415

    result = {}
    credentials = create_clients(database_url, {"providers": providers})
    for provider, (client_id, secret) in zip(providers, credentials, strict=True):
        basic = b64encode(f"{client_id}:{secret}".encode()).decode()
        answer = await call(
            app,
            "POST",
            "/oauth2/token",
            {
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            b"grant_type=client_credentials",
        )
        result[provider["index"]] = orjson.loads(answer)["access_token"]
    return result


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    from ehoks.app import create_served_app  # noqa: PLC0415
    from ehoks.config import Settings  # noqa: PLC0415

    database_url, manifest, data = prepare(args)
    settings = Settings(database_url=sqlalchemy_url(database_url), request_log=False)
    app = create_served_app(settings)  # as `ehoks serve`'s workers create it
    if args.profile:
        _work_on_this_thread()
    work = work_of(args, database_url, data)
    used = {provider for provider, _ in work}
    providers = [p for p in manifest["providers"] if p["index"] in used]
    bearer = await tokens(app, database_url, providers)

    async def send(provider: int, body: bytes) -> None:
        headers = {
            "Authorization": f"Bearer {bearer[provider]}",
            "Caller-Id": f"bench-sis-{provider}",
            "Content-Type": "application/json",
        }
        answer = orjson.loads(await call(app, "POST", f"{API}/hoks/bulk", headers, body))
        if answer["meta"]["refused"]:
            refused = [item for item in answer["data"] if "error" in item]
            raise SystemExit(f"refused: {refused[:3]}")

    for provider, body in work[: args.warmup]:
        await send(provider, body)
    documents = args.batches * args.batch_size
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    if args.checkpoint:
        checkpoint(database_url)
    wal_before = wal_written(database_url)
    pg_before = postgres_cpu(args.database)
    watching_before = watching_cpu_s(args.database)
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    spy = spy_on_self(Path(args.spy)) if args.spy else None
    if profiler is not None:
        profiler.enable()
    for provider, body in work[args.warmup :]:
        await send(provider, body)
    if profiler is not None:
        profiler.disable()
    stop_profiler(spy)
    cpu = time.process_time() - cpu_before - (watching_cpu_s(args.database) - watching_before)
    wall = time.perf_counter() - wall_before
    pg = cpu_used(pg_before, postgres_cpu(args.database))
    wal = {k: v - wal_before[k] for k, v in wal_written(database_url).items()}
    if profiler is not None:
        profiler.dump_stats(args.profile)
    app.state.engine.dispose()
    return {
        "documents": documents,
        "python_cpu_ms_per_document": round(cpu * 1000 / documents, 2),
        "postgres_cpu_ms_per_document": round(pg * 1000 / documents, 2),
        # The whole server's WAL (other databases' writes included, if any).
        "wal_kb_per_document": round(wal["bytes"] / 1024 / documents, 1),
        "full_page_images_per_document": round(wal["fpi"] / documents, 1),
        "wall_ms_per_document": round(wall * 1000 / documents, 2),
        "load_average": os.getloadavg(),
        "profiled": bool(profiler),
    }


def spy_on_self(out: Path) -> subprocess.Popen[bytes]:
    """py-spy on this process, often (the batches are short), only the thread holding the GIL."""
    command = [str(VENV_BIN / "py-spy"), "record", "--pid", str(os.getpid()), "--rate", "1000"]
    command += ["--format", "raw", "--gil", "--nonblocking", "--output", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)
    return process


def _work_on_this_thread() -> None:
    """cProfile sees one thread: the work runs on the event loop's instead of the pool's."""
    from ehoks.pipeline import run  # noqa: PLC0415

    async def inline(function: Any, *args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    run.run_in_threadpool = inline  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    result = asyncio.run(measure(args))
    log(orjson.dumps(result).decode())
    if args.spy:
        from report import summarise_profile  # noqa: PLC0415

        summary = summarise_profile(Path(args.spy), top=45) or {}
        for key in ("top_inclusive_ehoks", "top_self"):
            print(key)
            for row in summary.get(key, []):
                print(f"  {row['share']:6.1%}  {row['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
