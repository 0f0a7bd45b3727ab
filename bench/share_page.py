"""A share link's page: server time to open one, beside the student's own plan page.

    .venv/bin/python bench/share_page.py [--requests 200]

Builds a fresh SQLite database with the demo data, makes two links to the largest example
plan through the student's own form (one unit; a summary of the whole plan) and opens them
in-process, as a browser without a session would (no network: the number is the service's own
time, the throttle's check, the lookup of the secret's hash, the open's count and audit record,
the plan view and the template). The student's plan page is measured the same way, and the
ratios printed. Numbers are printed, not asserted.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient

from ehoks.access.subjects import SubjectKind
from ehoks.app import create_app
from ehoks.auth.sessions import COOKIE_NAME, start_session
from ehoks.config import Settings
from ehoks.demo.loader import load
from ehoks.hoks import repository as hoks_repository
from ehoks.kit.db.migrate import upgrade

sys.path.insert(0, str(Path(__file__).resolve().parent))
from plan_page import describe, largest_example


def timed(client: TestClient, path: str, cookies: dict[str, str], count: int) -> list[float]:
    for _ in range(20):  # warm-up: templates compiled, catalogues read
        client.get(path, cookies=cookies)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path, cookies=cookies)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
    return times


def make_link(client: TestClient, hoks_id: int, token: str, csrf: str, choice: str) -> str:
    form = {"csrf_token": csrf, "sisalto": choice, "kenelle": "Bench", "lang": "fi"}
    answer = client.post(
        f"/ehoks/suunnittelu/{hoks_id}/jaot", data=form, cookies={COOKIE_NAME: token}
    )
    found = re.search(r'class="share-address"><a href="https?://[^/"]+(/jako/[^"]+)"', answer.text)
    if answer.status_code != 201 or found is None:
        raise SystemExit(f"no link: {answer.status_code}")
    return found[1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'share-page.db'}"
        settings = Settings(database_url=url, development_mode=True, cookie_secure=False)
        app = create_app(settings)
        upgrade(app.state.engine)
        document = largest_example()
        with app.state.sessionmaker() as session:
            now = datetime.now(UTC)
            load(session, today=now.date())
            stored = hoks_repository.get_by_study_right(
                session, str(document["opiskeluoikeus-oid"])
            )
            if stored is None:
                raise SystemExit("the largest example was not loaded")
            new = start_session(
                session,
                settings,
                kind=SubjectKind.STUDENT,
                principal=stored.oppija_oid,
                display_name="Bench Student",
                now=now,
            )
            token, csrf = new.token, new.row.csrf_token
            session.commit()
        units = [
            u
            for key in (
                "hankittavat-ammat-tutkinnon-osat",
                "hankittavat-paikalliset-tutkinnon-osat",
            )
            for u in document.get(key) or []
        ]
        if not units:
            raise SystemExit("the largest example has no unit to share")
        with TestClient(app, base_url="http://127.0.0.1") as client:
            plan = client.get(f"/ehoks/suunnittelu/{stored.id}/jaot", cookies={COOKIE_NAME: token})
            unit_id = re.search(r'value="unit:([0-9a-f-]{36})"', plan.text)
            if unit_id is None:
                raise SystemExit("no unit on the sharing form")
            unit_link = make_link(client, stored.id, token, csrf, f"unit:{unit_id[1]}")
            summary_link = make_link(client, stored.id, token, csrf, "summary")
            page = timed(
                client,
                f"/ehoks/suunnittelu/{stored.id}?lang=fi",
                {COOKIE_NAME: token},
                args.requests,
            )
            unit = timed(client, f"{unit_link}?lang=fi", {}, args.requests)
            summary = timed(client, f"{summary_link}?lang=fi", {}, args.requests)
        print(describe("student's plan page", page))
        print(describe("share link, one unit", unit))
        print(describe("share link, summary", summary))
        base = statistics.median(page)
        print(f"one unit / plan page: {statistics.median(unit) / base:.2f}")
        print(f"summary / plan page: {statistics.median(summary) / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
