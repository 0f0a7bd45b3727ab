"""CPU per request of the staff student search, in this process: the application called directly
(ASGI, no network, no server process), so that the Python a search costs can be measured and
profiled without the noise of a load generator and other processes.

    .venv/bin/python bench/search_cpu.py --scale 5000
    .venv/bin/python bench/search_cpu.py --scale 5000 --reuse --profile results/search.prof
    .venv/bin/python bench/search_cpu.py --scale 5000 --reuse --spy results/search.txt

Sets up its own PostgreSQL database (`ehoks_bench_search_cpu`, recreated: schema, the generated
registry, the plans stored without the API as `phase_load.py` does), or keeps it (`--reuse`,
new migrations applied). Then signs in a staff member with the read role on the largest provider
and asks the searches of `phase_search.py` (by surname, first name, whole name or none, pages
1–3), `--requests` of them as the JSON search and the same as the students page, after
`--warmup` of each. Prints this process's CPU milliseconds per request (the web worker's share of
the machine: routing, session, access, the statement, the rows, the audit record, the answer),
the PostgreSQL backends' CPU per request and the wall time, with the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson

from common import DATA, DEFAULT_ADMIN_URL, log, sqlalchemy_url
from ingest_cpu import _work_on_this_thread, spy_on_self
from machine import cpu_used, postgres_cpu, stop_profiler, watching_cpu_s


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=5000, help="students and HOKS generated")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400, help="of each kind, measured")
    parser.add_argument("--warmup", type=int, default=100, help="of each kind, before measuring")
    parser.add_argument("--database", default="ehoks_bench_search_cpu")
    parser.add_argument("--admin-url", default=os.environ.get("EHOKS_BENCH_POSTGRES"))
    parser.add_argument("--reuse", action="store_true", help="keep the database and its plans")
    parser.add_argument("--profile", help="write cProfile statistics of the measured requests")
    parser.add_argument("--spy", help="record the measured requests with py-spy (raw stacks)")
    parser.add_argument("--only", choices=("json", "page"), help="measure one kind only")
    args = parser.parse_args(argv)
    args.admin_url = args.admin_url or DEFAULT_ADMIN_URL
    return args


def prepare(args: argparse.Namespace) -> str:
    import generate  # noqa: PLC0415
    import phase_load  # noqa: PLC0415
    from phase_setup import (  # noqa: PLC0415
        database_exists,
        import_registry,
        recreate_database,
        run_cli,
    )

    base = args.admin_url.rsplit("/", 1)[0]
    if args.reuse and database_exists(args.admin_url, args.database):
        database_url = f"{base}/{args.database}"
        run_cli(["db", "upgrade"], database_url)
        return database_url
    data = DATA / f"scale-{args.scale}-seed-{args.seed}"
    manifest = generate.generate(data, args.scale, args.seed, datetime.now(UTC).date())
    database_url = recreate_database(args.admin_url, args.database)
    run_cli(["db", "upgrade"], database_url)
    import_registry(database_url, data, manifest)
    phase_load.run(SimpleNamespace(database_url=database_url, data=data, scale=args.scale), {})  # type: ignore[arg-type]
    return database_url


async def call(app: Any, path: str, cookie: str) -> bytes:
    """One GET through the ASGI application; the answer's body (status 200 required)."""
    answer: dict[str, Any] = {"status": 0, "body": b""}

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    route, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": route,
        "raw_path": route.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"localhost"), (b"cookie", cookie.encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    if answer["status"] != 200:
        raise SystemExit(f"GET {path}: {answer['status']} {answer['body'][:500]!r}")
    return bytes(answer["body"])


async def measure_kind(
    app: Any, args: argparse.Namespace, paths: list[str], cookie: str, name: str
) -> dict[str, Any]:
    for path in paths[len(paths) - args.warmup :]:
        await call(app, path, cookie)
    measured = paths[: args.requests]
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    spy = spy_on_self(Path(f"{args.spy}.{name}")) if args.spy else None
    pg_before = postgres_cpu(args.database)
    watching_before = watching_cpu_s(args.database)
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    for path in measured:
        await call(app, path, cookie)
    if profiler is not None:
        profiler.disable()
    cpu = time.process_time() - cpu_before - (watching_cpu_s(args.database) - watching_before)
    wall = time.perf_counter() - wall_before
    stop_profiler(spy)
    pg = cpu_used(pg_before, postgres_cpu(args.database))
    if profiler is not None:
        profiler.dump_stats(f"{args.profile}.{name}")
    count = len(measured)
    return {
        "requests": count,
        "python_cpu_ms_per_request": round(cpu * 1000 / count, 2),
        "postgres_cpu_ms_per_request": round(pg * 1000 / count, 2),
        "wall_ms_per_request": round(wall * 1000 / count, 2),
    }


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    from ehoks.app import create_app  # noqa: PLC0415
    from ehoks.config import Settings  # noqa: PLC0415
    from phase_search import page_paths, search_paths, staff_session  # noqa: PLC0415

    database_url = prepare(args)
    settings = Settings(database_url=sqlalchemy_url(database_url), request_log=False)
    app = create_app(settings)
    if args.profile:
        _work_on_this_thread()
    provider_oid, searches = search_paths(args.seed, args.requests + args.warmup)
    cookie = staff_session(database_url, provider_oid)
    from phase_setup import stored_hoks  # noqa: PLC0415

    result: dict[str, Any] = {"hoks": stored_hoks(database_url), "provider": provider_oid}
    if args.only in (None, "json"):
        result["json"] = await measure_kind(app, args, searches, cookie, "json")
    if args.only in (None, "page"):
        result["page"] = await measure_kind(app, args, page_paths(searches), cookie, "page")
    result["load_average"] = os.getloadavg()
    app.state.engine.dispose()
    return result


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    result = asyncio.run(measure(args))
    log(orjson.dumps(result).decode())
    if args.spy:
        from report import summarise_profile  # noqa: PLC0415

        for name in ("json", "page"):
            summary = summarise_profile(Path(f"{args.spy}.{name}"), top=40) or {}
            for key in ("top_inclusive_ehoks", "top_self"):
                print(name, key)
                for row in summary.get(key, []):
                    print(f"  {row['share']:6.1%}  {row['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
