"""The machine during a run: the server process, CPU and memory from /proc, py-spy, and one
measured phase (a load-generator coroutine with the CPU each party used)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from common import VENV_BIN


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def proc_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    result = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid and b"resource_tracker" not in cmdline:
            result.append(int(entry.name))
    return sorted(result)


def postgres_pids(database: str) -> list[int]:
    """The PostgreSQL backends serving `database` (other databases' work is not ours)."""
    result = []
    marker = f" {database} ".encode()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres" and marker in (
                    entry / "cmdline"
                ).read_bytes():
                    result.append(int(entry.name))
    return result


def memory_mb(pid: int) -> dict[str, float]:
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                values[key] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mb": values.get("VmRSS", 0.0), "peak_rss_mb": values.get("VmHWM", 0.0)}


class CpuMeter:
    """CPU seconds of the load generator, the web workers and our PostgreSQL backends per phase.

    Counted per process: a process that appears during the phase counts whole, one that exits
    during it is left out (its time can no longer be read).
    """

    def __init__(self, workers: list[int], database: str) -> None:
        self.workers = workers
        self.database = database

    def snapshot(self) -> dict[str, Any]:
        own = os.times()
        return {
            "wall": time.perf_counter(),
            "loadgen": own.user + own.system,
            "server": {pid: proc_cpu_seconds(pid) for pid in self.workers},
            "postgres": {pid: proc_cpu_seconds(pid) for pid in postgres_pids(self.database)},
        }

    @staticmethod
    def delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
        wall = after["wall"] - before["wall"]
        result = {"wall_s": round(wall, 2)}
        capacity = wall * (os.cpu_count() or 1)
        for key in ("loadgen", "server", "postgres"):
            if key == "loadgen":
                used = after[key] - before[key]
            else:
                used = sum(
                    max(0.0, seconds - before[key].get(pid, 0.0))
                    for pid, seconds in after[key].items()
                )
            result[f"{key}_cpu_s"] = round(used, 2)
            result[f"{key}_share_of_machine"] = round(used / capacity, 3) if capacity else 0.0
        return result


class Server:
    """`ehoks serve` as a separate process, on 127.0.0.1 and a free port."""

    def __init__(
        self, database_url: str, workers: int, log_path: Path, *, kind: str = "uvicorn"
    ) -> None:
        self.port = free_port()
        self.workers = workers
        self.kind = kind
        env = {
            **os.environ,
            "EHOKS_DATABASE_URL": database_url,
            "EHOKS_TOKEN_TTL_SECONDS": "3600",
            "EHOKS_PUBLIC_BASE_URL": f"http://127.0.0.1:{self.port}",
        }
        self.log = log_path.open("w")
        if kind == "granian":
            # The same app as `ehoks serve` runs, on granian's own HTTP/1 and uvloop.
            command = [str(VENV_BIN / "granian"), "--interface", "asgi", "--factory"]
            command += ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
            command += ["--loop", "uvloop", "--http", "1", "--no-ws", "--log-level", "warning"]
            command += ["ehoks.app:create_served_app"]
        else:
            command = [str(VENV_BIN / "ehoks"), "serve", "--host", "127.0.0.1"]
            command += ["--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout_s: float = 60) -> None:
        import httpx  # noqa: PLC0415

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server exited ({self.process.returncode}); see {self.log.name}"
                )
            with contextlib.suppress(httpx.HTTPError):
                ready = httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=2)
                if ready.status_code == 200 and (
                    self.workers == 1 or len(self.worker_pids()) >= self.workers
                ):
                    return
            time.sleep(0.2)
        raise RuntimeError("the server did not become ready in time")

    def worker_pids(self) -> list[int]:
        if self.workers == 1 and self.kind == "uvicorn":
            return [self.process.pid]
        return children(self.process.pid)

    def group_pids(self) -> list[int]:
        """The server's every process (granian's supervisor, too)."""
        return [self.process.pid, *children(self.process.pid)]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def profiler(pid: int, out: Path, *, enabled: bool) -> subprocess.Popen[bytes] | None:
    if not enabled:
        return None
    command = [str(VENV_BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses"]
    command += ["--rate", "97", "--format", "raw", "--gil", "--output", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)
    return process


def stop_profiler(process: subprocess.Popen[bytes] | None) -> None:
    if process is not None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def measured(
    loop: asyncio.AbstractEventLoop,
    meter: CpuMeter,
    work: Any,
    spy: Any = None,
    after: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run one phase (a coroutine) and return its summary with the CPU each party used.

    `after` receives the closing snapshot from the phase itself when its processes end with it.
    """
    from loadgen import summary  # noqa: PLC0415

    before = meter.snapshot()
    outcome = loop.run_until_complete(work)
    cpu = CpuMeter.delta(before, after[0] if after else meter.snapshot())
    stop_profiler(spy)
    result = summary(outcome)
    result["cpu"] = cpu
    if outcome.ok:
        for key in ("server", "postgres", "loadgen"):
            cpu[f"{key}_cpu_ms_per_request"] = round(cpu[f"{key}_cpu_s"] * 1000 / outcome.ok, 3)
    return result
