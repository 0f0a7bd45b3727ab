"""Writing the results: latest.json, latest.md, latest.png, and the py-spy profile summary."""

from __future__ import annotations

import json
import re
import struct
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

_FRAME = re.compile(r"^(?P<func>.*?) \((?P<file>[^():]*)(?::\d+)?\)$")
BUCKETS = (
    ("ehoks/hoksmodel", "validation (ehoks.hoksmodel)"),
    ("ehoks/", "other ehoks code"),
    ("sqlalchemy", "SQLAlchemy"),
    ("psycopg", "psycopg"),
    ("orjson", "orjson"),
    ("json/", "stdlib json"),
    ("jwt", "PyJWT"),
    ("pydantic", "pydantic"),
    ("starlette", "Starlette/FastAPI"),
    ("fastapi", "Starlette/FastAPI"),
    ("uvicorn", "uvicorn"),
    ("anyio", "anyio (thread pool hand-off)"),
    ("asyncio", "asyncio/uvloop"),
    ("uvloop", "asyncio/uvloop"),
    ("threading", "threading"),
    ("concurrent", "threading"),
)


SUFFIXES = ("json", "md", "png")


def _bucket(path: str) -> str:
    for needle, name in BUCKETS:
        if needle in path:
            return name
    return "other"


def _frames(stack: str) -> list[tuple[str, str]]:
    result = []
    for frame in stack.split(";"):
        match = _FRAME.match(frame.strip())
        if match:
            result.append((match.group("func"), match.group("file")))
    return result


def summarise_profile(path: Path, top: int = 20) -> dict[str, Any] | None:
    """Self and inclusive time per function and per package from a py-spy raw (collapsed) file."""
    if not path.exists():
        return None
    self_time: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    inclusive_all: Counter[str] = Counter()
    buckets: Counter[str] = Counter()
    total = 0
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = _frames(stack)
        if not frames:
            continue
        total += count
        func, file = frames[-1]
        self_time[f"{func} ({_short(file)})"] += count
        buckets[_bucket(file)] += count
        for name in {f"{f} ({_short(p)})" for f, p in frames if "ehoks/" in p}:
            inclusive[name] += count
        for name in {f"{f} ({_short(p)})" for f, p in frames}:
            inclusive_all[name] += count
    if not total:
        return None

    def share(counter: Counter[str], limit: int = top) -> list[dict[str, Any]]:
        return [{"name": k, "share": round(v / total, 3)} for k, v in counter.most_common(limit)]

    return {
        "samples": total,
        "by_package_self": share(buckets),
        "top_self": share(self_time),
        "top_inclusive_ehoks": share(inclusive),
        "top_inclusive_all": share(inclusive_all, 40),
        "raw_file": path.name,
    }


def _short(path: str) -> str:
    for marker in ("site-packages/", "src/", "lib/python3.11/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def profile_summary(results: Path, workers: int) -> dict[str, Any]:
    return {
        phase: summarise_profile(results / f"profile-{phase}-{workers}w.txt")
        for phase in ("ingest", "get", "search", "search-page")
        if (results / f"profile-{phase}-{workers}w.txt").exists()
    }


# --- Markdown ------------------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def markdown(result: dict[str, Any]) -> str:
    """The run as Markdown: the targets, then a section per phase that ran."""
    lines = [
        f"# eHOKS benchmark: {result['scale']:,} HOKS, {result['workers']} worker(s)",
        "",
        (
            f"{result['date']}, {result['machine']['cpus']} CPUs, "
            f"Python {result['machine']['python']}. "
            f"Mean HOKS {result['data']['hoks_bytes_mean']:,} bytes; {result['data']['providers']} "
            "providers, one system client each."
        ),
        "",
        "## Targets",
        "",
        "| target | goal | measured | met | note |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in result["targets"]:
        met = {True: "**yes**", False: "**NO**", None: "not measured"}[row["met"]]
        lines.append(
            f"| {row['name']} | {row['target']} | {_fmt(row['value'])} | {met} | {row['note']} |"
        )
    if result.get("ingest"):
        lines += _ingest_lines(result["ingest"])
    if result.get("read"):
        lines += _read_lines(result["read"])
    if result.get("memory"):
        lines += _memory_lines(result["memory"])
    lines += _worker_lines(result)
    lines += _server_lines(result)
    lines += _profile_lines(result)
    return "\n".join(lines) + "\n"


def _ingest_lines(ingest: dict[str, Any]) -> list[str]:
    api_cpu = ingest["api"]["cpu"]
    return [
        "",
        "## Ingest",
        "",
        "| what | docs/s | seconds |",
        "| --- | --- | --- |",
        (
            f"| {ingest.get('path', 'POST /hoks')} through the API "
            f"({ingest['connections']} connections) | "
            f"{_fmt(ingest['api_docs_per_s'])} | {_fmt(ingest['seconds'])} |"
        ),
        (
            f"| one POST /hoks per HOKS ({ingest.get('single_post_documents')} HOKS, "
            f"{ingest.get('single_post_connections')} connections) | "
            f"{_fmt(ingest.get('single_post_docs_per_s'))} | "
            f"{_fmt((ingest.get('single_post') or {}).get('seconds'))} |"
        ),
        (
            "| PostgreSQL COPY into (id, keys, jsonb), same server | "
            f"{_fmt(ingest['raw_copy_docs_per_s'])} | {_fmt(ingest['raw_copy_seconds'])} |"
        ),
        f"| **ratio** | **{_fmt(ingest['ratio'])}** | |",
        "",
        (
            f"API latency p50 / p95 / p99: {_fmt(ingest['api']['p50_ms'])} / "
            f"{_fmt(ingest['api']['p95_ms'])} / {_fmt(ingest['api']['p99_ms'])} ms; "
            f"failed: {ingest['failed']}. CPU during ingest (share of the whole machine): "
            f"web workers {api_cpu['server_share_of_machine']:.0%}, "
            f"PostgreSQL {api_cpu['postgres_share_of_machine']:.0%}, load generator "
            f"{api_cpu['loadgen_share_of_machine']:.0%}. CPU per document: web workers "
            f"{_fmt(api_cpu.get('server_cpu_ms_per_document'))} ms, PostgreSQL "
            f"{_fmt(api_cpu.get('postgres_cpu_ms_per_document'))} ms through the API; PostgreSQL "
            f"{_fmt(ingest['raw_copy_cpu'].get('postgres_cpu_ms_per_document'))} ms by COPY."
        ),
    ]


def _read_lines(read: dict[str, Any]) -> list[str]:
    lines = [
        "",
        f"## Reads ({read['concurrency']} concurrent clients)",
        "",
        (
            "| what | docs/s | p50 ms | p95 ms | p99 ms | web worker CPU ms/request "
            "| PostgreSQL CPU ms/request | load generator CPU |"
        ),
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for label, key in (
        ("GET /hoks/{id}", "get"),
        ("GET /hoks/opiskeluoikeus/{oid}", "by_study_right"),
        ("raw primary-key read (psycopg)", "raw_read"),
        ("staff student search (largest provider)", "staff_search"),
        ("staff students page, HTML (largest provider)", "staff_page"),
        ("/healthz beside the search (no database; the bound)", "staff_healthz"),
    ):
        staff = read.get("staff_search") or {}
        part = {"staff_page": staff.get("page"), "staff_healthz": staff.get("healthz")}.get(
            key, read.get(key)
        )
        if part is None:
            continue
        lines.append(
            f"| {label} | {_fmt(part['per_s'])} | {_fmt(part['p50_ms'])} | "
            f"{_fmt(part['p95_ms'])} | {_fmt(part['p99_ms'])} | "
            f"{_fmt(part['cpu'].get('server_cpu_ms_per_request'))} | "
            f"{_fmt(part['cpu'].get('postgres_cpu_ms_per_request'))} | "
            f"{part['cpu']['loadgen_share_of_machine']:.0%} |"
        )
    if "ratio" in read:
        lines += ["", f"GET / raw ratio: **{_fmt(read['ratio'])}**."]
    return lines


def _memory_lines(memory: dict[str, Any]) -> list[str]:
    lines = ["", "## Memory", "", "| worker pid | RSS MB | peak RSS MB |", "| --- | --- | --- |"]
    lines += [f"| {w['pid']} | {w['rss_mb']} | {w['peak_rss_mb']} |" for w in memory["workers"]]
    return lines


def _worker_lines(result: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if result["worker_comparison"]:
        lines += [
            "",
            "## Worker count",
            "",
            f"Chosen: {result['workers']} ({result['worker_choice']}).",
            "",
            (
                "| workers | ingest docs/s | ingest ratio | GET docs/s | GET p99 ms "
                "| by-study-right p99 ms | peak RSS MB | load gen CPU (ingest) |"
            ),
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for row in result["worker_comparison"]:
            lines.append(
                f"| {row['workers']} | {_fmt(row['ingest_api_docs_per_s'])} | "
                f"{_fmt(row['ingest_ratio'])} | {_fmt(row['get_docs_per_s'])} | "
                f"{_fmt(row['get_p99_ms'])} | {_fmt(row['by_study_right_p99_ms'])} | "
                f"{_fmt(row['worker_peak_rss_mb'])} | "
                f"{_share(row['ingest_loadgen_share_of_machine'])} |"
            )
    return lines


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _server_lines(result: dict[str, Any]) -> list[str]:
    """The servers compared on the same database (phase_servers), and the bound they show."""
    servers = result.get("servers")
    if not servers:
        return []
    lines = [
        "",
        "## HTTP server (same database, same run)",
        "",
        (
            "GET one HOKS and `/healthz` (no database, no credentials) at the read concurrency. "
            "`/healthz` is the most this server and framework answer on this machine with the "
            "load generator beside them: a bound that GET one HOKS cannot pass here."
        ),
        "",
        (
            "| server | workers | GET docs/s | GET p99 ms | server CPU ms/GET | /healthz req/s "
            "| /healthz p99 ms | server CPU ms/healthz | GET / healthz | load generator CPU |"
        ),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for entry in servers.values():
        get, trivial = entry["get"], entry["trivial"]
        share = (
            get["per_s"] / trivial["per_s"] if get.get("per_s") and trivial.get("per_s") else None
        )
        lines.append(
            f"| {entry['server']} | {entry['workers']} | {_fmt(get['per_s'])} "
            f"| {_fmt(get['p99_ms'])} | {_fmt(get['cpu'].get('server_cpu_ms_per_request'))} "
            f"| {_fmt(trivial['per_s'])} | {_fmt(trivial['p99_ms'])} "
            f"| {_fmt(trivial['cpu'].get('server_cpu_ms_per_request'))} | {_share(share)} "
            f"| {_share(get['cpu'].get('loadgen_share_of_machine'))} |"
        )
    return lines


def _profile_lines(result: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if result.get("profile"):
        for phase, summary in result["profile"].items():
            if not summary:
                continue
            lines += ["", f"## Profile: {phase} ({summary['samples']:,} samples, py-spy)", ""]
            lines += ["| package (self time) | share |", "| --- | --- |"]
            lines += [
                f"| {r['name']} | {r['share']:.0%} |" for r in summary["by_package_self"][:10]
            ]
            lines += ["", "| ehoks function (inclusive) | share |", "| --- | --- |"]
            lines += [
                f"| `{r['name']}` | {r['share']:.0%} |" for r in summary["top_inclusive_ehoks"][:12]
            ]
    return lines


# --- chart ---------------------------------------------------------------------------------------


def chart(result: dict[str, Any], path: Path) -> None:
    ingest, read = result["ingest"], result["read"]
    try:
        import matplotlib as mpl  # noqa: PLC0415

        mpl.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:
        _plain_png(
            [
                ingest["api_docs_per_s"],
                ingest["raw_copy_docs_per_s"],
                read["get_docs_per_s"],
                read["raw_read_docs_per_s"],
            ],
            path,
        )
        return
    figure, (left, middle, right) = plt.subplots(1, 3, figsize=(14, 4.5))
    left.bar(
        ["API POST", "raw COPY"],
        [ingest["api_docs_per_s"], ingest["raw_copy_docs_per_s"]],
        color=["#1f77b4", "#999999"],
    )
    left.set_title(f"Ingest docs/s (ratio {ingest['ratio']}, target ≥ 0.25)")
    labels = ["GET one", "by study right", "raw PK"]
    middle.bar(
        labels,
        [
            read["get_docs_per_s"] or 0,
            read["by_study_right_docs_per_s"] or 0,
            read["raw_read_docs_per_s"] or 0,
        ],
        color=["#1f77b4", "#2ca02c", "#999999"],
    )
    middle.set_title(
        f"Reads docs/s at {read['concurrency']} clients (ratio {read['ratio']}, ≥ 0.20)"
    )
    for index, key in enumerate(("get", "by_study_right", "raw_read")):
        part = read[key]
        values = [part["p50_ms"] or 0, part["p95_ms"] or 0, part["p99_ms"] or 0]
        right.bar([x + index * 0.27 for x in range(3)], values, width=0.27, label=labels[index])
    right.axhline(50, color="red", linestyle="--", label="p99 target 50 ms")
    right.set_xticks([0.27, 1.27, 2.27], ["p50", "p95", "p99"])
    right.set_title("Read latency ms")
    right.legend(fontsize=8)
    figure.suptitle(f"eHOKS benchmark: {result['scale']:,} HOKS, {result['workers']} worker(s)")
    figure.tight_layout()
    figure.savefig(path, dpi=90)
    plt.close(figure)


def _plain_png(values: list[float | None], path: Path) -> None:
    """A bar chart without any dependency (no labels): used only when matplotlib is missing."""
    width, height = 400, 200
    peak = max((v or 0) for v in values) or 1
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            bar = x // (width // len(values))
            inside = bar < len(values) and x % (width // len(values)) > 10
            level = height - int((values[bar] or 0) / peak * (height - 10)) if inside else height
            row += b"\x40\x70\xc0" if inside and y >= level else b"\xff\xff\xff"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    png += chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")
    path.write_bytes(png)


def write_all(result: dict[str, Any], results: Path, name: str = "latest") -> None:
    """`name`.json and .md, and the chart when the run has the ingest and the reads it draws
    (else an earlier run's chart of the same name is removed: it would not be this run's)."""
    (results / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    (results / f"{name}.md").write_text(markdown(result))
    if result.get("ingest") and (result.get("read") or {}).get("get"):
        chart(result, results / f"{name}.png")
    else:
        (results / f"{name}.png").unlink(missing_ok=True)
