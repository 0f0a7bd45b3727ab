"""The staff student search of the largest provider at N concurrent clients: the JSON route
(`GET …/virkailija/oppijat`) and the same searches as the staff students page (HTML)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from common import (
    READ_REQUESTS_CAP,
    RESULTS,
    STAFF_API,
    WARMUP_REQUESTS,
    accept_ok,
    log,
    sqlalchemy_url,
)
from machine import measured, profiler

if TYPE_CHECKING:
    from trial import Trial

# Each search run stops by itself.
SEARCH_DEADLINE_S = 60


def run(trial: Trial, result: dict[str, Any]) -> None:
    """By surname, first name, whole name or none, at the first pages; the member has the read
    role on the largest provider (their single grant chooses the organisation of the page)."""
    from loadgen import run_jobs  # noqa: PLC0415

    args, loop, port = trial.args, trial.loop, trial.server.port
    count = min(READ_REQUESTS_CAP, max(args.read_requests, 0))
    provider_oid, searches = search_paths(args.seed, count + WARMUP_REQUESTS)
    cookie = staff_session(trial.database_url, provider_oid)

    def search(paths: list[str]) -> Any:
        jobs = search_jobs(port, cookie, paths)
        return run_jobs(port, jobs, concurrency=args.concurrency, deadline_s=SEARCH_DEADLINE_S)

    def spy(name: str) -> Any:
        out = RESULTS / f"profile-{name}-{trial.server.workers}w.txt"
        return profiler(trial.server.process.pid, out, enabled=args.profile)

    loop.run_until_complete(search(searches[-WARMUP_REQUESTS:]))
    staff = measured(loop, trial.meter, search(searches[:count]), spy("search"))
    staff["provider"] = provider_oid
    pages = page_paths(searches)
    loop.run_until_complete(search(pages[-WARMUP_REQUESTS:]))
    staff["page"] = measured(loop, trial.meter, search(pages[:count]), spy("search-page"))
    # The bound: the same server, clients and concurrency on a route with no database and no
    # session at all. The search cannot be faster than this on the machine as it is now.
    staff["healthz"] = measured(loop, trial.meter, search(["/healthz"] * count))
    log(
        f"staff search: p95 {staff['p95_ms']} ms ({staff['per_s']}/s); "
        f"page p95 {staff['page']['p95_ms']} ms ({staff['page']['per_s']}/s); "
        f"/healthz p95 {staff['healthz']['p95_ms']} ms ({staff['healthz']['per_s']}/s)"
    )
    result.setdefault("read", {"concurrency": args.concurrency}).update(
        {
            "staff_search": staff,
            "staff_search_p50_ms": staff["p50_ms"],
            "staff_search_p95_ms": staff["p95_ms"],
            "staff_search_p99_ms": staff["p99_ms"],
            "staff_search_per_s": staff["per_s"],
            "staff_page_p50_ms": staff["page"]["p50_ms"],
            "staff_page_p95_ms": staff["page"]["p95_ms"],
            "staff_page_p99_ms": staff["page"]["p99_ms"],
            "staff_page_per_s": staff["page"]["per_s"],
        }
    )


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
        # Percent-encoded as a browser sends them (Mäkinen): raw bytes above ASCII in the
        # request line are refused with 400 by the server's HTTP parser.
        first = quote(rng.choice(generate.FIRST_NAMES).split()[0])
        last = quote(rng.choice(generate.LAST_NAMES))
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
