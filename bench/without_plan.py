"""The report of students without a plan on a generated PostgreSQL database: its plan and time.

    .venv/bin/python bench/without_plan.py --database-url postgresql+psycopg://…/ehoks_x \
        [--prepare] [--runs 7]

The database is one the benchmark loaded (`make bench ARGS="--scale 20000 --phases load
--database ehoks_x"`): one plan for every student. `--prepare` takes every tenth plan away
(hard-deleted: the student's study right has none) and soft-deletes every hundredth (its study
right is listed with the deleted plan), then VACUUM (ANALYZE). The report is then asked for the
largest koulutustoimija and everything below it, as a member with the read role there: first
page and last page, each run `--runs` times in-process through the report's own repository
function (one statement a page), and the statement of each is shown with EXPLAIN (ANALYZE,
BUFFERS). Medians are printed, never asserted; state the machine's load beside them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from ehoks.access.decision import HoksScope
from ehoks.access.directory import OrganisationSet
from ehoks.kit.db.engine import build_engine
from ehoks.reports import repository
from ehoks.reports.rows import PAGE_SIZE

LARGEST = text(
    "SELECT koulutustoimija_oid, count(*) FROM study_right"
    " WHERE koulutustoimija_oid IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
)
BELOW = text("SELECT oid FROM organisation WHERE oid = :oid OR parent_oid_path LIKE :path")


def prepare(session: Session) -> None:
    # The name tables have no foreign key to the plans (migration 0027): their rows go first.
    for table in ("hoks_name_word", "hoks_name_suffix"):
        session.execute(text(f"DELETE FROM {table} WHERE hoks_id % 10 = 0"))  # noqa: S608
    session.execute(text("DELETE FROM hoks WHERE id % 10 = 0"))
    session.execute(text("UPDATE hoks SET deleted_at = now() WHERE id % 100 = 1"))
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--today", default=None)
    args = parser.parse_args()
    engine = build_engine(args.database_url)
    today = date.fromisoformat(args.today) if args.today else date.today()  # noqa: DTZ011
    with Session(engine) as session:
        if args.prepare:
            prepare(session)
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
                raw.execute(text("VACUUM (ANALYZE)"))
        provider, students = session.execute(LARGEST).one()
        oids = frozenset(session.scalars(BELOW, {"oid": provider, "path": f"%|{provider}|%"}).all())
    print(f"largest koulutustoimija {provider}: {students} study rights, {len(oids)} organisations")
    organisations = OrganisationSet(every=False, oids=oids)
    scope = HoksScope(owned_by=organisations)
    seen: list[tuple[str, Any]] = []

    def record(*arguments: Any) -> None:
        # The event passes the connection and cursor first, then the statement and parameters.
        seen.append((arguments[2], arguments[3]))

    event.listen(engine, "before_cursor_execute", record)
    total = 0
    for name in ("first page", "last page"):
        offset = 0 if name == "first page" else max(0, (total - 1) // PAGE_SIZE * PAGE_SIZE)
        times = []
        for _ in range(args.runs):
            seen.clear()
            with Session(engine) as session:
                started = time.perf_counter()
                rows, total = repository.study_rights_without_plan(
                    session, scope, organisations, today, limit=PAGE_SIZE, offset=offset
                )
                times.append((time.perf_counter() - started) * 1000)
        statements = len(seen)
        statement, parameters = seen[-1]
        print(
            f"{name} (offset {offset}): {len(rows)} rows of {total}; {statements} statement(s);"
            f" median {statistics.median(times):.1f} ms, min {min(times):.1f} ms"
            f" over {args.runs} runs"
        )
        with engine.connect() as connection:
            cursor = connection.connection.cursor()
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            print("\n".join(line for (line,) in cursor.fetchall()))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
