"""Set-up of one trial: the database (fresh, or kept from an earlier run), its schema, the
registry import, one write client per provider and their tokens."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any

from common import VENV_BIN, log, sqlalchemy_url


def database_exists(admin_url: str, name: str) -> bool:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(admin_url, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return found is not None


def stored_hoks(database_url: str) -> int:
    """How many plans a kept database holds (an estimate from the statistics, instantly)."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(database_url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE relname = 'hoks'"
        ).fetchone()
    return max(0, int(row[0])) if row else 0


def prepare_database(args: Any, manifest: dict[str, Any], result: dict[str, Any]) -> str:
    """The trial's database URL. A fresh database gets the schema and the registry import; a kept
    one (`--reuse-database`) only the migrations it lacks, so that its plans can be searched
    again after a schema change without a new ingest."""
    base = args.admin_url.rsplit("/", 1)[0]
    if args.reuse_database and database_exists(args.admin_url, args.database):
        database_url = f"{base}/{args.database}"
        log(f"database {args.database} kept; applying any new migrations")
        started = time.perf_counter()
        before = schema_revision(database_url)
        run_cli(["db", "upgrade"], database_url)
        if schema_revision(database_url) != before:
            # A migration's backfill leaves its rows not yet all-visible (its lists no index-only
            # scans) until a vacuum, as an operator runs after it (docs/operations.md).
            vacuum_analyze(database_url)
        result["migrations_s"] = round(time.perf_counter() - started, 1)
        result["reused_database"] = {"hoks_estimate": stored_hoks(database_url)}
        result["registry_import_s"] = None
        return database_url
    database_url = recreate_database(args.admin_url, args.database)
    run_cli(["db", "upgrade"], database_url)
    result["registry_import_s"] = round(
        import_registry(database_url, Path(args.data_dir), manifest), 1
    )
    return database_url


def schema_revision(database_url: str) -> str | None:
    """The database's migration revision (Alembic's), or None before the first."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(database_url, autocommit=True) as conn:
        if conn.execute("SELECT to_regclass('alembic_version')").fetchone() == (None,):
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0]) if row else None


def vacuum_analyze(database_url: str, why: str = "new migrations applied") -> None:
    import psycopg  # noqa: PLC0415

    started = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    seconds = time.perf_counter() - started
    log(f"{why}: the database vacuumed and analysed in {seconds:.0f} s")


def recreate_database(admin_url: str, name: str) -> str:
    import psycopg  # noqa: PLC0415

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        version = admin.execute("SHOW server_version").fetchone()
    base = admin_url.rsplit("/", 1)[0]
    log(f"database {name} recreated (PostgreSQL {version[0] if version else '?'})")
    return f"{base}/{name}"


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
