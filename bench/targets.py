"""The targets of the performance issue, each with its measured value and whether it is met
(None: not measured in this run)."""

from __future__ import annotations

from typing import Any

NATIONAL = 350_000


def _at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _at_least(value: float | None, limit: float) -> bool | None:
    return None if value is None else value >= limit


def _row(name: str, target: str, value: Any, met: object, note: str = "") -> dict[str, Any]:
    return {"name": name, "target": target, "value": value, "met": met, "note": note}


def targets(result: dict[str, Any], scale: int) -> list[dict[str, Any]]:
    ingest, read, memory = (result.get(key) or {} for key in ("ingest", "read", "memory"))
    api_rate = ingest.get("api_docs_per_s")
    national_s = NATIONAL / api_rate if api_rate else None
    measured = scale >= NATIONAL
    ingest_s = ingest.get("seconds") if measured else national_s
    return [
        _row(
            "ingest API / raw COPY",
            ">= 0.25",
            ingest.get("ratio"),
            _at_least(ingest.get("ratio"), 0.25),
        ),
        _row(
            "national scale (350 000) ingest time",
            "<= 600 s",
            None if ingest_s is None else round(ingest_s, 1),
            _at_most(ingest_s, 600),
            "measured" if measured else "projected from this run's API rate",
        ),
        _row(
            "GET one / raw PK read",
            ">= 0.20",
            read.get("ratio"),
            _at_least(read.get("ratio"), 0.20),
        ),
        _row(
            "GET one p99 at 32 clients",
            "<= 50 ms",
            read.get("get_p99_ms"),
            _at_most(read.get("get_p99_ms"), 50),
        ),
        _row(
            f"staff search p95 over {scale:,}".replace(",", " "),
            "<= 100 ms (over 350 000)",
            read.get("staff_search_p95_ms"),
            _at_most(read.get("staff_search_p95_ms"), 100),
            "the largest provider's students, by name and by page, 32 clients",
        ),
        _row(
            f"staff students page p95 over {scale:,}".replace(",", " "),
            "<= 100 ms (over 350 000)",
            read.get("staff_page_p95_ms"),
            _at_most(read.get("staff_page_p95_ms"), 100),
            "the same searches as the HTML page /ehoks-virkailija-ui/opiskelijat, 32 clients",
        ),
        _row(
            "RSS per web worker",
            "<= 300 MB",
            memory.get("worker_peak_rss_mb"),
            _at_most(memory.get("worker_peak_rss_mb"), 300),
            "peak (VmHWM) of the largest worker",
        ),
    ]
