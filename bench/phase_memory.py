"""Memory: RSS and peak RSS (VmHWM) of each web worker from /proc, after the other phases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from machine import memory_mb

if TYPE_CHECKING:
    from trial import Trial


def run(trial: Trial, result: dict[str, Any]) -> None:
    memory = [{"pid": pid, **memory_mb(pid)} for pid in trial.server.worker_pids()]
    result["memory"] = {
        "worker_rss_mb": max((m["rss_mb"] for m in memory), default=None),
        "worker_peak_rss_mb": max((m["peak_rss_mb"] for m in memory), default=None),
        "workers": memory,
    }
