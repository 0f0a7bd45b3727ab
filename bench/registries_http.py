"""Write rate with every registry `http` and a warm local copy, against every registry `local`.

    nice .venv/bin/python bench/registries_http.py            # 1 200 creates
    .venv/bin/python bench/registries_http.py --students 3000 --rounds 5

One database (PostgreSQL, `ehoks_bench_registries`, dropped and recreated; or `--database-url`)
holds the generated registry data (`generate.py`: providers, students, one study right each),
imported once, so every local copy is warm (younger than the maximum age). Two instances of the
service run in this process on that database: one with every registry `local`, one with every
registry `http` against a stand-in of the national APIs that serves the same documents and
counts what it is asked. After a warm-up, the students are split into chunks; each round sends
one chunk of creates (POST /hoks, the generated documents) to each instance at the same time, so
that the machine's other work falls on both alike. The figure is the ratio of the two write rates in
this one run, and the number of calls the `http` instance made to the stand-in while writing
(zero: no remote call on the hot path). Results: `results/registries-http.json`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import orjson
import uvicorn
from sqlalchemy import create_engine, text

from common import API, DEFAULT_ADMIN_URL, RESULTS, log
from ehoks import wiring
from ehoks.app import create_app
from ehoks.client.service import create_client
from ehoks.config import Settings
from ehoks.kit.db import migrate
from ehoks.kit.db.engine import build_engine, build_sessionmaker, transaction
from ehoks.registry.service import import_files
from generate import (
    Student,
    hoks_document,
    load_templates,
    oppija_document,
    organisation_documents,
    providers,
    student,
)

SIGNING_KEY = "bench-signing-key-0123456789abcdef0123456789abcdef"
WARM_UP = 40  # creates per instance before measuring
REGISTRIES = ("koski", "onr", "organisaatio", "koodisto", "eperusteet")


@dataclass
class StandIn:
    """The national APIs for the generated data: Koski oppija and study-right documents."""

    documents: dict[str, bytes]
    asked: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def serve(self) -> ThreadingHTTPServer:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: Any) -> None:
                return

            def do_GET(self) -> None:
                with stand_in.lock:
                    stand_in.asked.append(self.path)
                body = stand_in.documents.get(self.path)
                self.send_response(200 if body is not None else 404)
                data = body if body is not None else b"{}"
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_POST = do_GET  # noqa: N815 - http.server's naming

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server


class Instance:
    """The service on 127.0.0.1 in a thread of this process."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="off",
            access_log=False,
        )
        self.server = uvicorn.Server(config)
        threading.Thread(target=self.server.run, daemon=True).start()
        while not self.server.started:
            time.sleep(0.01)
        host, port = self.server.servers[0].sockets[0].getsockname()[:2]
        self.base_url = f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.app.state.registries.close()
        self.app.state.engine.dispose()


def _database_url(args: argparse.Namespace) -> str:
    if args.database_url:
        return str(args.database_url)
    admin = create_engine(
        args.admin_url.replace("postgresql://", "postgresql+psycopg://"),
        isolation_level="AUTOCOMMIT",
    )
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {args.database} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {args.database}"))
    admin.dispose()
    base = args.admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")
    return f"{base}/{args.database}"


def _data(count: int, seed: int) -> tuple[list[Student], list[Any], list[Any], list[bytes]]:
    all_providers = providers(seed)
    cumulative, running = [], 0.0
    for provider in all_providers:
        running += provider.weight
        cumulative.append(running)
    templates = load_templates()
    students = [student(index, seed, all_providers, cumulative) for index in range(count)]
    oppijat = [oppija_document(st, templates) for st in students]
    today = datetime.now(UTC).date()
    bodies = [orjson.dumps(hoks_document(st, seed, templates, today)) for st in students]
    return students, organisation_documents(all_providers), oppijat, bodies


def _tokens(instance: Instance, secrets: dict[str, tuple[str, str]]) -> dict[str, str]:
    tokens = {}
    with httpx.Client(base_url=instance.base_url, timeout=60) as client:
        for provider_oid, (client_id, secret) in secrets.items():
            answer = client.post(
                "/oauth2/token",
                data={"grant_type": "client_credentials"},
                auth=(client_id, secret),
            )
            answer.raise_for_status()
            tokens[provider_oid] = answer.json()["access_token"]
    return tokens


def _send(
    instance: Instance, tokens: dict[str, str], work: list[tuple[str, bytes]], threads: int
) -> tuple[float, int]:
    """POST every body; (seconds, failures)."""
    failures = 0
    lock = threading.Lock()
    local = threading.local()

    def post(item: tuple[str, bytes]) -> None:
        nonlocal failures
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=instance.base_url, timeout=60)
        provider_oid, body = item
        answer = client.post(
            f"{API}/hoks",
            content=body,
            headers={
                "Authorization": f"Bearer {tokens[provider_oid]}",
                "Content-Type": "application/json",
                "Caller-Id": "bench",
            },
        )
        if answer.status_code != 200:
            with lock:
                failures += 1
                if failures <= 3:
                    log(f"  refused: {answer.status_code} {answer.text[:300]}")

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(post, work))
    return time.perf_counter() - started, failures


def _arrange(
    args: argparse.Namespace,
) -> tuple[str, list[Student], list[Any], list[bytes], dict[str, tuple[str, str]]]:
    """The database with the registry data imported, and a write client per provider."""
    log(f"generating {args.students} students")
    students, organisations, oppijat, bodies = _data(args.students, args.seed)
    url = _database_url(args)
    engine = build_engine(url)
    migrate.upgrade(engine)
    with tempfile.TemporaryDirectory() as folder:
        org_file, student_file = (
            Path(folder) / "organisations.json",
            Path(folder) / "students.jsonl",
        )
        org_file.write_text(json.dumps(organisations, ensure_ascii=False), encoding="utf-8")
        student_file.write_bytes(b"\n".join(orjson.dumps(o) for o in oppijat) + b"\n")
        log("importing the registry data (the warm local copy)")
        with transaction(build_sessionmaker(engine)) as session:
            import_files(session, [org_file, student_file])
    secrets = {}
    with transaction(build_sessionmaker(engine)) as session:
        for provider_oid in sorted({st.provider.oid for st in students}):
            client, secret = create_client(
                session, name=f"bench {provider_oid}", organisation_oid=provider_oid, access="write"
            )
            secrets[provider_oid] = (client.client_id, secret)
    engine.dispose()
    return url, students, oppijat, bodies, secrets


def _stand_in(oppijat: list[Any]) -> StandIn:
    documents = {}
    for oppija in oppijat:
        documents[f"/koski/api/oppija/{oppija['henkilö']['oid']}"] = orjson.dumps(oppija)
        for right in oppija["opiskeluoikeudet"]:
            documents[f"/koski/api/opiskeluoikeus/{right['oid']}"] = orjson.dumps(right)
    return StandIn(documents)


def _measure(
    instances: dict[str, Instance],
    tokens: dict[str, dict[str, str]],
    work: list[tuple[str, bytes]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Rounds in which both instances take a chunk of creates at the same time; rates, failures.

    Running side by side, both see the same machine (the other work on it comes and goes by the
    second), which alternating chunks one after the other does not cancel well enough.
    """
    chunk = len(work) // (2 * args.rounds)
    seconds = {"local": 0.0, "http": 0.0}
    sent = {"local": 0, "http": 0}
    failed = {"local": 0, "http": 0}
    rounds = []
    for number in range(args.rounds):
        parts = {
            mode: work[(2 * number + position) * chunk : (2 * number + position + 1) * chunk]
            for position, mode in enumerate(("local", "http"))
        }
        with ThreadPoolExecutor(2) as both:
            running = {
                mode: both.submit(_send, instances[mode], tokens[mode], part, args.threads)
                for mode, part in parts.items()
            }
            outcomes = {mode: future.result() for mode, future in running.items()}
        row = {}
        for mode, (took, failures) in outcomes.items():
            seconds[mode] += took
            sent[mode] += len(parts[mode])
            failed[mode] += failures
            row[mode] = round(len(parts[mode]) / took, 1)
        rounds.append(row)
        log(f"round {number + 1}: local {row['local']}/s, http {row['http']}/s")
    rate = {mode: sent[mode] / seconds[mode] for mode in seconds}
    ratio = rate["http"] / rate["local"]
    return {
        "creates_per_mode": sent,
        "failures": failed,
        "threads_per_instance": args.threads,
        "rounds": rounds,
        "rate_local_per_s": round(rate["local"], 1),
        "rate_http_per_s": round(rate["http"], 1),
        "ratio_http_to_local": round(ratio, 3),
        "within_10_percent": abs(1 - ratio) <= 0.10,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n", 1)[0])
    parser.add_argument("--students", type=int, default=1200, help="creates in all (both modes)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--threads", type=int, default=2, help="concurrent requests to each instance"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--database", default="ehoks_bench_registries")
    parser.add_argument("--database-url", help="an existing database to use instead")
    args = parser.parse_args()

    wiring.connect()
    url, students, oppijat, bodies, secrets = _arrange(args)
    stand_in = _stand_in(oppijat)
    stand_in_server = stand_in.serve()
    stand_in_url = f"http://127.0.0.1:{stand_in_server.server_address[1]}"
    common: dict[str, Any] = {
        "database_url": url,
        "token_signing_key": SIGNING_KEY,
        "token_ttl_seconds": 3600,
    }
    remote = {f"{name}_mode": "http" for name in REGISTRIES} | {
        f"{name}_url": stand_in_url for name in REGISTRIES
    }
    instances = {
        "local": Instance(Settings(**common)),
        "http": Instance(Settings(**common, **remote)),
    }
    tokens = {mode: _tokens(instance, secrets) for mode, instance in instances.items()}
    work = [(st.provider.oid, body) for st, body in zip(students, bodies, strict=True)]
    # Both instances warm up (imports, caches, pools) on creates that are not measured.
    warm, work = work[: 2 * WARM_UP], work[2 * WARM_UP :]
    for position, (mode, instance) in enumerate(instances.items()):
        _send(instance, tokens[mode], warm[position * WARM_UP : (position + 1) * WARM_UP], 2)
    asked_before = len(stand_in.asked)
    result = _measure(instances, tokens, work, args)
    result["registry_calls_while_writing"] = len(stand_in.asked) - asked_before
    for instance in instances.values():
        instance.stop()
    stand_in_server.shutdown()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "registries-http.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))
    print(
        "write rate, http registries with a warm local copy / local registries: "
        f"{result['ratio_http_to_local']:.3f} ({result['rate_http_per_s']}/s vs "
        f"{result['rate_local_per_s']}/s, {result['registry_calls_while_writing']} registry calls)"
    )


if __name__ == "__main__":
    main()
