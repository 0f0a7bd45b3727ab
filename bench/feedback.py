"""Feedback benchmark: the catch-up run over N plans and the worker's surveys a second.

    make bench-feedback                               # 20 000 plans, 5 000 surveys, 2 workers
    make bench-feedback ARGS="--plans 50000 --surveys 10000"
    make bench-feedback ARGS="--worker-only --surveys 5000"   # part 3 alone
    .venv/bin/python bench/feedback.py --help

On the PostgreSQL server of the test suite, in its own database (`--database`, recreated):

1. **Raw inserts**: feedback-shaped rows inserted into a plain table without indexes or keys, a
   thousand a transaction: what storing that many rows costs at all, the yardstick of both parts.
2. **Catch-up**: N plans (stored directly, as before feedback existed) decided by
   `ehoks.feedback.catchup.run.catch_up`; its plans a second, the projection to 350 000 plans
   (target: 5 minutes) and the ratio of its surveys a second to the raw insert rate.
3. **Worker**: S surveys due now; two `ehoks worker --once` processes side by side against a
   local Arvo stand-in (the tests' `tests/support/arvo.py`) and a local SMTP server (aiosmtpd),
   both in this process. Surveys a second from the start of the workers until both are done and
   from the first job done to the last (the steady rate, without the processes' start; target:
   200), checked: every survey got one link and one invitation. CPU a survey of the workers,
   of the PostgreSQL backends, of the Arvo stand-in and of the SMTP server, each measured.
   `--empty` makes the surveys' jobs empty (the surveys are closed already, so each job is
   claimed, its survey locked and read, and the job finished): the rate of the job machinery
   alone.

Writes `bench/results/feedback.json` and `feedback.md` (`--worker-only`: parts 1 and 2 are
skipped, and the results go to `feedback-worker.json` and `feedback-worker.md`). Numbers
depend on what else runs on the machine; the ratios say more than the rates.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Self

from common import DEFAULT_ADMIN_URL, RESULTS, ROOT, VENV_BIN, log, sqlalchemy_url
from phase_setup import recreate_database, run_cli

sys.path.insert(0, str(ROOT))  # the tests' Arvo stand-in

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    null,
    select,
    text,
)
from sqlalchemy.engine import Engine
from tests.support.api import REGISTRY_FILES
from tests.support.arvo import ARVO_PASSWORD, ARVO_USERNAME, start_stand_in

from ehoks import wiring
from ehoks.feedback.catchup.run import catch_up
from ehoks.feedback.initiation import helsinki_date, start_of_day
from ehoks.feedback.models import Feedback, FeedbackJob, FeedbackMessage
from ehoks.hoks.models import Hoks
from ehoks.kit.db.engine import build_engine, build_sessionmaker
from ehoks.registry.models import Person, StudyRight
from ehoks.registry.service import import_files

NATIONAL_PLANS = 350_000
CATCH_UP_TARGET_S = 300
WORKER_TARGET_PER_S = 200
BATCH = 1000
RAW_ROWS_CAP = 100_000  # enough for a steady rate
PROVIDERS = 160
HELSINKI_TODAY = datetime.now(UTC).date()
EXAMPLE = ROOT / "tests" / "data" / "examples" / "hoks-full.json"
TEMPLATE_RIGHT = "1.2.246.562.15.76811932045"  # Matti's, in tests/data/registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--plans", type=int, default=20_000, help="plans for the catch-up")
    parser.add_argument("--surveys", type=int, default=5_000, help="surveys for the worker")
    parser.add_argument("--workers", type=int, default=2, help="worker processes side by side")
    parser.add_argument(
        "--worker-only", action="store_true", help="skip the raw inserts and the catch-up"
    )
    parser.add_argument(
        "--empty", action="store_true", help="the surveys' jobs find nothing to do (closed)"
    )
    parser.add_argument(
        "--py-spy",
        type=Path,
        metavar="DIR",
        help="sample each worker with py-spy into DIR (collapsed stacks; its CPU counts too)",
    )
    parser.add_argument(
        "--admin-url", default=os.environ.get("EHOKS_BENCH_POSTGRES", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--database", default="ehoks_bench_feedback")
    args = parser.parse_args()
    url = recreate_database(args.admin_url, args.database)
    run_cli(["db", "upgrade"], url)
    engine = build_engine(sqlalchemy_url(url))
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "plans": args.plans,
        "surveys": args.surveys,
        "workers": args.workers,
        "worker_only": args.worker_only,
        "empty_jobs": args.empty,
        "cpus": os.cpu_count(),
        "load_before": os.getloadavg()[0],
    }
    try:
        if args.worker_only:
            _store_plans(engine, args.surveys)
        else:
            result["raw_rows_per_s"] = _raw_insert_rate(engine, min(args.plans * 2, RAW_ROWS_CAP))
            _store_plans(engine, max(args.plans, args.surveys))
            result |= _catch_up(engine, result["raw_rows_per_s"])
        result |= _worker(
            engine, url, args.surveys, args.workers, empty=args.empty, py_spy=args.py_spy
        )
    finally:
        engine.dispose()
    result["load_after"] = os.getloadavg()[0]
    if args.worker_only:
        _write_worker(result)
    else:
        _write(result)


# --- data -------------------------------------------------------------------------------------


def _documents(count: int) -> Iterator[dict[str, Any]]:
    """Plans as the national data set holds them: approved over four funding periods, half of
    them with competence achieved, each with its example's workplace periods moved along."""
    base = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    rng = random.Random(12)
    for n in range(count):
        approved = HELSINKI_TODAY - timedelta(days=rng.randrange(0, 4 * 365))
        document = dict(base)
        document["oppija-oid"] = f"1.2.246.562.24.{n:011d}"
        document["opiskeluoikeus-oid"] = f"1.2.246.562.15.{n:011d}"
        document["ensikertainen-hyvaksyminen"] = approved.isoformat()
        document["sahkoposti"] = f"opiskelija{n}@example.fi"
        if n % 2:
            document["osaamisen-saavuttamisen-pvm"] = min(
                approved + timedelta(days=500), HELSINKI_TODAY
            ).isoformat()
        else:
            document.pop("osaamisen-saavuttamisen-pvm", None)
        document["hankittavat-ammat-tutkinnon-osat"] = [
            _moved_unit(unit, approved, n)
            for unit in base.get("hankittavat-ammat-tutkinnon-osat", [])
        ]
        yield document


def _moved_unit(unit: dict[str, Any], approved: date, n: int) -> dict[str, Any]:
    periods = []
    for index, period in enumerate(unit.get("osaamisen-hankkimistavat", [])):
        start = approved + timedelta(days=30 + 60 * index)
        periods.append(
            period
            | {
                "alku": start.isoformat(),
                "loppu": (start + timedelta(days=50)).isoformat(),
                "yksiloiva-tunniste": f"{n}-{index}",
                "osa-aikaisuustieto": 100,
            }
        )
    return unit | {"osaamisen-hankkimistavat": periods}


def _store_plans(engine: Engine, count: int) -> None:
    """The plans, a thousand a statement (made as they go: the national scale does not fit in
    memory at once)."""
    now = datetime.now(UTC)
    rows = (
        {
            "eid": str(uuid.uuid4()),
            "oppija_oid": d["oppija-oid"],
            "opiskeluoikeus_oid": d["opiskeluoikeus-oid"],
            "koulutustoimija_oid": f"1.2.246.562.10.{n % PROVIDERS:011d}",
            "oppilaitos_oid": f"1.2.246.562.10.{1000 + n % PROVIDERS:011d}",
            "document": json.dumps(d, ensure_ascii=False),
            "created_by": "bench",
            "updated_by": "bench",
            "created_at": now,
            "updated_at": now,
        }
        for n, d in enumerate(_documents(count))
    )
    with engine.begin() as connection:
        while chunk := list(itertools.islice(rows, BATCH)):
            connection.execute(insert(Hoks), chunk)
        connection.execute(text("ANALYZE hoks"))
    _plans_study_rights(engine)
    log(f"{count} plans stored, each with its student and study right")


def _plans_study_rights(engine: Engine) -> None:
    """Every plan's student and study right, copied in the database from one of the tests'
    registry students (Matti's) with the plan's provider and school, as the national data set
    has them: the catch-up reads each plan's study right (the end survey's kind and the
    survey's provider come from it)."""
    wiring.connect()
    with build_sessionmaker(engine)() as session:
        import_files(session, REGISTRY_FILES)
        session.commit()
    plans = Hoks.__table__
    person, right = Person.__table__, StudyRight.__table__
    with engine.begin() as connection:
        template = connection.execute(select(right).where(right.c.oid == TEMPLATE_RIGHT)).one()
        template_person = person.alias("template_person")
        connection.execute(
            insert(person).from_select(
                [c.key for c in person.columns],
                select(
                    *(
                        plans.c.oppija_oid.label("oid")
                        if c.key == "oid"
                        else (null().label("hetu") if c.key == "hetu" else template_person.c[c.key])
                        for c in person.columns
                    )
                )
                .select_from(plans)
                .join(template_person, template_person.c.oid == template.oppija_oid),
            )
        )
        from_plan = {
            "oid": plans.c.opiskeluoikeus_oid,
            "oppija_oid": plans.c.oppija_oid,
            "koulutustoimija_oid": plans.c.koulutustoimija_oid,
            "oppilaitos_oid": plans.c.oppilaitos_oid,
        }
        template_right = right.alias("template_right")
        connection.execute(
            insert(right).from_select(
                [c.key for c in right.columns],
                select(
                    *(
                        from_plan[c.key].label(c.key)
                        if c.key in from_plan
                        else template_right.c[c.key]
                        for c in right.columns
                    )
                )
                .select_from(plans)
                .join(template_right, template_right.c.oid == TEMPLATE_RIGHT),
            )
        )
        connection.execute(text("ANALYZE person; ANALYZE study_right"))


# --- measures ---------------------------------------------------------------------------------


def _raw_insert_rate(engine: Engine, count: int) -> float:
    """Rows a second into a plain table shaped like `feedback` (no keys, no indexes)."""
    table = Table(
        "bench_raw_feedback",
        MetaData(),
        Column("key", String(400)),
        Column("kind", String(40)),
        Column("state", String(40)),
        Column("hoks_id", Integer),
        Column("oppija_oid", String(64)),
        Column("herate_date", Date),
        Column("request_id", String(36)),
        Column("details", Text),
    )
    table.create(engine)
    rows = [
        {
            "key": f"start|1.2.246.562.24.{n:011d}|1.2.246.562.10.{n % PROVIDERS:011d}|2025",
            "kind": "aloittaneet",
            "state": "odottaa_kasittelya",
            "hoks_id": n,
            "oppija_oid": f"1.2.246.562.24.{n:011d}",
            "herate_date": HELSINKI_TODAY,
            "request_id": str(uuid.uuid4()),
            "details": "{}",
        }
        for n in range(count)
    ]
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        with engine.begin() as connection:
            connection.execute(insert(table), rows[start : start + BATCH])
    rate = count / (time.perf_counter() - started)
    log(f"raw inserts: {rate:.0f} rows/s")
    return rate


def _catch_up(engine: Engine, raw_rate: float) -> dict[str, Any]:
    factory = build_sessionmaker(engine)
    engine.dispose()  # the database's CPU is read from the run's own connections
    database_cpu = _BackendCpu(engine)
    started = time.perf_counter()
    python_started = time.process_time()
    with database_cpu:
        done = catch_up(factory, datetime.now(UTC))
    elapsed = time.perf_counter() - started
    python_cpu = time.process_time() - python_started
    plans_per_s = done.plans / elapsed
    surveys_per_s = done.surveys / elapsed
    projected = NATIONAL_PLANS / plans_per_s
    log(
        f"catch-up: {done.plans} plans, {done.surveys} surveys in {elapsed:.1f} s "
        f"({plans_per_s:.0f} plans/s); 350 000 plans in {projected:.0f} s; CPU a plan: "
        f"{python_cpu / done.plans * 1000:.3f} ms Python, "
        f"{database_cpu.seconds / done.plans * 1000:.3f} ms PostgreSQL"
    )
    again_started = time.perf_counter()
    again = catch_up(factory, datetime.now(UTC), batch=BATCH)
    return {
        "catch_up_s": round(elapsed, 1),
        "catch_up_plans_per_s": round(plans_per_s),
        "catch_up_surveys": done.surveys,
        "catch_up_surveys_per_s": round(surveys_per_s),
        "catch_up_ratio_to_raw": round(surveys_per_s / raw_rate, 3),
        "catch_up_python_cpu_ms_per_plan": round(python_cpu / done.plans * 1000, 3),
        "catch_up_database_cpu_ms_per_plan": round(database_cpu.seconds / done.plans * 1000, 3),
        "catch_up_projected_national_s": round(projected),
        "catch_up_target_met": projected <= CATCH_UP_TARGET_S,
        "catch_up_again_s": round(time.perf_counter() - again_started, 1),
        "catch_up_again_surveys": again.surveys,
    }


def _worker(
    engine: Engine, url: str, surveys: int, workers: int, *, empty: bool, py_spy: Path | None
) -> dict[str, Any]:
    from aiosmtpd.controller import Controller  # noqa: PLC0415 - a dev dependency

    received = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(received, hostname="127.0.0.1", port=port)
    smtp.start()
    smtp_cpu = _ThreadCpu(smtp._thread)  # noqa: SLF001 - the server's event loop thread
    arvo, stop_arvo = start_stand_in()
    try:
        env = {
            **os.environ,
            "EHOKS_DATABASE_URL": sqlalchemy_url(url),
            "EHOKS_SMTP_HOST": "127.0.0.1",
            "EHOKS_SMTP_PORT": str(port),
            "EHOKS_ARVO_URL": arvo.url,
            "EHOKS_ARVO_USERNAME": ARVO_USERNAME,
            "EHOKS_ARVO_PASSWORD": ARVO_PASSWORD,
            "EHOKS_FEEDBACK_SENDING_WINDOW": "always",
        }
        _set_aside(engine)
        # A worker with nothing to do: what a process's start and exit cost, to tell apart
        # from the surveys' own CPU below.
        idle = _run_workers(env, 1)
        _due_surveys(engine, surveys, empty=empty)
        engine.dispose()
        database_cpu = _BackendCpu(engine)
        stand_ins_before = time.process_time()
        smtp_before, arvo_before = smtp_cpu.seconds(), arvo.state.cpu_seconds
        started = time.perf_counter()
        with database_cpu:
            run = _run_workers(env, workers, py_spy)
        elapsed = time.perf_counter() - started
        # The stand-in counts a connection's CPU when it closes: the workers' exit closed them.
        time.sleep(0.5)
        stand_ins_cpu = time.process_time() - stand_ins_before - database_cpu.own_seconds
        smtp_seconds = smtp_cpu.seconds() - smtp_before
        arvo_seconds = arvo.state.cpu_seconds - arvo_before
    finally:
        stop_arvo()
        smtp.stop()
    with engine.connect() as connection:
        sent = connection.scalar(
            select(func.count())
            .select_from(FeedbackMessage)
            .where(FeedbackMessage.state == "lahetetty")
        )
        # What is left waits for its date (each survey's check once its answer time is over).
        pending = connection.scalar(
            select(func.count())
            .select_from(FeedbackJob)
            .where(FeedbackJob.state != "done", FeedbackJob.due_at <= datetime.now(UTC))
        )
        # From the first job done to the last: the workers' rate without their start (each
        # process imports the service first, seconds on a loaded machine).
        first, last = connection.execute(
            select(func.min(FeedbackJob.finished_at), func.max(FeedbackJob.finished_at)).where(
                FeedbackJob.kind.in_(["handle", "invite", "arvo_sent"]),
                FeedbackJob.finished_at >= datetime.now(UTC) - timedelta(seconds=elapsed),
            )
        ).one()
    working = (last - first).total_seconds() if first and last else elapsed
    links = len(arvo.state.posts("/vastauslinkki/v1"))
    per_s = surveys / elapsed
    steady = surveys / max(working, 1e-3)
    worker_cpu = run.cpu_seconds
    working_cpu = max(worker_cpu - workers * idle.cpu_seconds, 0.0)
    ms = 1000 / surveys
    exactly_once = (
        links == received.count == sent == 0 and pending == 0
        if empty
        else links == surveys == received.count == sent and pending == 0
    )
    log(
        f"worker: {surveys} surveys{' (empty jobs)' if empty else ''} in {elapsed:.1f} s with "
        f"{workers} workers ({per_s:.0f}/s; {steady:.0f}/s from the first job done to the "
        f"last); {links} links, {received.count} e-mails, {sent} messages sent, {pending} jobs "
        f"left; a worker's start and exit {idle.seconds:.1f} s, {idle.cpu_seconds:.2f} s CPU; "
        f"CPU a survey: {worker_cpu * ms:.2f} ms workers ({working_cpu * ms:.2f} ms without "
        f"their start), {database_cpu.seconds * ms:.2f} ms PostgreSQL, {arvo_seconds * ms:.2f} "
        f"ms Arvo stand-in, {smtp_seconds * ms:.2f} ms SMTP server "
        f"({stand_ins_cpu * ms:.2f} ms the stand-ins' process in all)"
    )
    return {
        "worker_s": round(elapsed, 1),
        "worker_surveys_per_s": round(per_s, 1),
        "worker_working_s": round(working, 1),
        "worker_working_surveys_per_s": round(steady, 1),
        "worker_start_s": round(idle.seconds, 2),
        "worker_start_cpu_s": round(idle.cpu_seconds, 2),
        "worker_cpu_ms_per_survey": round(worker_cpu * ms, 2),
        "worker_working_cpu_ms_per_survey": round(working_cpu * ms, 2),
        "worker_database_cpu_ms_per_survey": round(database_cpu.seconds * ms, 2),
        "worker_arvo_cpu_ms_per_survey": round(arvo_seconds * ms, 2),
        "worker_smtp_cpu_ms_per_survey": round(smtp_seconds * ms, 2),
        "worker_stand_ins_cpu_ms_per_survey": round(stand_ins_cpu * ms, 2),
        "worker_target_met": steady >= WORKER_TARGET_PER_S,
        "worker_links": links,
        "worker_emails": received.count,
        "worker_exactly_once": exactly_once,
        "worker_outputs": run.outputs,
    }


@dataclass(frozen=True, slots=True)
class _Run:
    seconds: float
    cpu_seconds: float  # of the worker processes, their start included
    outputs: list[str]


def _run_workers(env: dict[str, str], workers: int, py_spy: Path | None = None) -> _Run:
    """`workers` processes of `ehoks worker --once` side by side, until each has exited."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    if py_spy is not None:
        py_spy.mkdir(parents=True, exist_ok=True)

    def command(n: int) -> list[str]:
        worker = [str(VENV_BIN / "ehoks"), "worker", "--once"]
        if py_spy is None:
            return worker
        output = str(py_spy / f"worker-{n}.txt")
        return [
            str(VENV_BIN / "py-spy"),
            "record",
            "--gil",
            "-f",
            "raw",
            "-o",
            output,
            "--",
            *worker,
        ]

    processes = [
        subprocess.Popen(
            command(n),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for n in range(workers)
    ]
    outputs = [p.communicate(timeout=3600)[0].strip() for p in processes]
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return _Run(seconds, cpu, outputs)


def _set_aside(engine: Engine) -> None:
    """The catch-up's own jobs and today's contact-data removal set aside (done), so that the
    workers do exactly the benchmark's surveys."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        connection.execute(text("UPDATE feedback_job SET state = 'done'"))
        connection.execute(
            insert(FeedbackJob).values(
                key=f"retention|{helsinki_date(now).isoformat()}",
                kind="retention",
                payload={},
                state="done",
                due_at=now,
                attempts=0,
                created_at=now,
            )
        )


def _due_surveys(engine: Engine, count: int, *, empty: bool) -> None:
    """`count` start surveys due now, on plans with the student's address (`empty`: closed
    already, so that their jobs find nothing to do)."""
    now = datetime.now(UTC)
    with engine.begin() as connection:
        plans = connection.execute(
            select(Hoks.id, Hoks.oppija_oid, Hoks.opiskeluoikeus_oid, Hoks.koulutustoimija_oid)
            .order_by(Hoks.id)
            .limit(count)
        ).all()
        if len(plans) < count:
            raise SystemExit(f"{len(plans)} plans stored, {count} surveys asked for")
        feedback = [
            {
                "key": f"bench|{plan.id}",
                "kind": "aloittaneet",
                "state": "ei_laheteta" if empty else "odottaa_kasittelya",
                "hoks_id": plan.id,
                "oppija_oid": plan.oppija_oid,
                "opiskeluoikeus_oid": plan.opiskeluoikeus_oid,
                "koulutustoimija_oid": plan.koulutustoimija_oid,
                "herate_date": HELSINKI_TODAY,
                "funding_period": HELSINKI_TODAY.year,
                "valid_from": HELSINKI_TODAY,
                "valid_to": HELSINKI_TODAY + timedelta(days=29),
                "request_id": str(uuid.uuid4()),
                "details": {},
                "created_at": now,
                "updated_at": now,
            }
            for plan in plans
        ]
        ids = connection.execute(insert(Feedback).returning(Feedback.id), feedback).scalars().all()
        connection.execute(
            insert(FeedbackJob),
            [
                {
                    "key": f"handle|{feedback_id}",
                    "kind": "handle",
                    "feedback_id": feedback_id,
                    "payload": {},
                    "state": "pending",
                    "due_at": start_of_day(HELSINKI_TODAY),
                    "attempts": 0,
                    "created_at": now,
                }
                for feedback_id in ids
            ],
        )
    _study_rights(engine, plans)
    log(f"{len(ids)} surveys due")


def _study_rights(engine: Engine, plans: Any) -> None:
    """Each surveyed plan's student and study right, copied from one of the tests' registry
    students (Matti's), so that the worker's study-right rules pass as for a real student
    (plans stored for the catch-up have theirs already)."""
    wiring.connect()
    factory = build_sessionmaker(engine)
    with factory() as session:
        import_files(session, REGISTRY_FILES)
        session.commit()
        right = session.get(StudyRight, TEMPLATE_RIGHT)
        person = session.get(Person, right.oppija_oid) if right else None
        if right is None or person is None:
            raise SystemExit(f"the tests' registry data lacks {TEMPLATE_RIGHT}")
        present = set(session.scalars(select(StudyRight.oid)))
        for plan in plans:
            if plan.opiskeluoikeus_oid in present:
                continue
            session.add(_copy(person, oid=plan.oppija_oid, hetu=None))
            session.add(
                _copy(
                    right,
                    oid=plan.opiskeluoikeus_oid,
                    oppija_oid=plan.oppija_oid,
                    koulutustoimija_oid=plan.koulutustoimija_oid,
                )
            )
        session.commit()


def _copy(row: Any, **changes: Any) -> Any:
    values = {c.key: getattr(row, c.key) for c in type(row).__mapper__.column_attrs}
    return type(row)(**(values | changes))


class _BackendCpu:
    """CPU seconds of the PostgreSQL backends serving the bench database (the server runs on
    this machine) while in use: sampled from /proc, so that a backend whose client has gone
    counts with its last sample (at most `INTERVAL` of its work is missed). A backend already
    there at the start (this process's pooled connections, which ran the earlier parts) counts
    from its first sample, not from its own start; a reused pid is another backend."""

    INTERVAL = 0.2

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._seen: dict[tuple[int, int], float] = {}
        self._first: dict[tuple[int, int], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample_until_stopped, daemon=True)
        self.own_seconds = 0.0  # this process's CPU spent sampling

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return sum(cpu - self._first[backend] for backend, cpu in self._seen.items())

    def _sample_until_stopped(self) -> None:
        started = time.thread_time()
        tick = os.sysconf("SC_CLK_TCK")
        query = text(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        with self._engine.connect() as connection:
            first_look = True
            while True:
                stopping = self._stop.is_set()
                for pid in connection.execute(query).scalars():
                    try:
                        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
                        fields = stat.rsplit(")", 1)[1].split()
                    except OSError:
                        continue  # gone meanwhile: its last sample stands
                    backend = (pid, int(fields[19]))  # its start time tells a reused pid apart
                    cpu = (int(fields[11]) + int(fields[12])) / tick
                    # Older than the measure: only what it does from now on counts.
                    self._first.setdefault(backend, cpu if first_look else 0.0)
                    self._seen[backend] = cpu
                first_look = False
                connection.rollback()
                if stopping:
                    break
                self._stop.wait(self.INTERVAL)
        self.own_seconds = time.thread_time() - started


class _ThreadCpu:
    """CPU seconds of one thread of this process (the SMTP server's event loop), from /proc."""

    def __init__(self, thread: threading.Thread) -> None:
        self._path = Path(f"/proc/self/task/{thread.native_id}/stat")
        self._tick = os.sysconf("SC_CLK_TCK")

    def seconds(self) -> float:
        fields = self._path.read_text(encoding="ascii").rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self._tick


class _Inbox:
    """An SMTP handler that counts what it is given."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, *_: Any) -> str:  # noqa: N802 - aiosmtpd's name
        with self._lock:
            self.count += 1
        return "250 OK"


# --- report -----------------------------------------------------------------------------------


def _write(result: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "feedback.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r = result
    rows = [
        ("raw inserts (rows/s)", f"{r['raw_rows_per_s']:.0f}", "", "1"),
        (f"catch-up, {r['plans']} plans (plans/s)", str(r["catch_up_plans_per_s"]), "", ""),
        (
            "catch-up surveys recorded (/s)",
            str(r["catch_up_surveys_per_s"]),
            "",
            str(r["catch_up_ratio_to_raw"]),
        ),
        (
            "catch-up of 350 000 plans, projected (s)",
            str(r["catch_up_projected_national_s"]),
            f"≤ {CATCH_UP_TARGET_S}",
            "",
        ),
        (
            "catch-up run again (s; surveys added)",
            f"{r['catch_up_again_s']}; {r['catch_up_again_surveys']}",
            "",
            "",
        ),
        *_worker_rows(r),
    ]
    lines = [
        "# Feedback benchmark",
        "",
        (
            f"{r['when']}, {r['cpus']} CPUs, load average {r['load_before']:.1f} before and "
            f"{r['load_after']:.1f} after (other work on the machine)."
        ),
        "",
        "| measure | value | target | ratio to raw inserts |",
        "| --- | --- | --- | --- |",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    (RESULTS / "feedback.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"written: {RESULTS / 'feedback.md'}")


def _worker_rows(r: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    empty = " (empty jobs)" if r["empty_jobs"] else ""
    return [
        (
            (
                f"worker, {r['surveys']} surveys{empty}, {r['workers']} processes, start to exit "
                "(surveys/s)"
            ),
            str(r["worker_surveys_per_s"]),
            "",
            "",
        ),
        (
            "worker, from the first job done to the last (surveys/s)",
            str(r["worker_working_surveys_per_s"]),
            f"≥ {WORKER_TARGET_PER_S}",
            "",
        ),
        (
            "a worker's start and exit (s; CPU s)",
            f"{r['worker_start_s']}; {r['worker_start_cpu_s']}",
            "",
            "",
        ),
        (
            "every survey one link and one e-mail" if not r["empty_jobs"] else "every job done",
            str(r["worker_exactly_once"]),
            "yes",
            "",
        ),
        (
            "worker CPU a survey (ms): workers, their start included; without it",
            f"{r['worker_cpu_ms_per_survey']}; {r['worker_working_cpu_ms_per_survey']}",
            "",
            "",
        ),
        (
            "CPU a survey (ms): PostgreSQL; Arvo stand-in; SMTP server",
            (
                f"{r['worker_database_cpu_ms_per_survey']}; {r['worker_arvo_cpu_ms_per_survey']}; "
                f"{r['worker_smtp_cpu_ms_per_survey']}"
            ),
            "",
            "",
        ),
    ]


def _write_worker(result: dict[str, Any]) -> None:
    """The worker part alone (`--worker-only`), beside the full run's files."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "feedback-worker.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    r = result
    lines = [
        "# Feedback benchmark: the worker",
        "",
        (
            f"{r['when']}, {r['cpus']} CPUs, load average {r['load_before']:.1f} before and "
            f"{r['load_after']:.1f} after (other work on the machine)."
        ),
        "",
        "| measure | value | target |",
        "| --- | --- | --- |",
        *(f"| {a} | {b} | {c} |" for a, b, c, _ in _worker_rows(r)),
    ]
    (RESULTS / "feedback-worker.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    log(f"written: {RESULTS / 'feedback-worker.md'}")


if __name__ == "__main__":
    main()
