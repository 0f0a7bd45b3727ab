"""The machine during a run: the server process, CPU and memory from /proc, py-spy, and one
measured phase (a load-generator coroutine with the CPU each party used)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import socket
import subprocess
import threading
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


def _postgres_processes() -> list[int]:
    """Every process named `postgres`: the children of the postmasters when the kernel lists a
    process's children (a few files), else a scan of /proc."""
    with contextlib.suppress(OSError):
        if postmasters := _postmasters():
            return [
                int(pid)
                for pm in postmasters
                for pid in Path(f"/proc/{pm}/task/{pm}/children").read_text().split()
            ]
    result = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() == "postgres":
                    result.append(int(entry.name))
    return result


@functools.cache
def _postmasters() -> tuple[int, ...]:
    """The postmasters on this machine: the `postgres` processes whose parent is not one."""
    named = set()
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if (entry / "comm").read_text().strip() == "postgres":
                    named.add(int(entry.name))
                    parents[int(entry.name)] = int(_stat_fields(int(entry.name))[1])
    return tuple(sorted(pid for pid in named if parents.get(pid) not in named))


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _stat_fields(pid: int) -> list[str]:
    """/proc/PID/stat after the command name: [0] is field 3 (state), [11] utime, [19] start."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def postgres_cpu(database: str) -> dict[tuple[int, int], float]:
    """CPU seconds of `database`'s backends, live now or seen earlier in this process, each by
    (pid, start time) and at its last sight (see `BackendWatch`)."""
    return _watch(database).look()


def cpu_used(before: dict[Any, float], after: dict[Any, float]) -> float:
    """CPU seconds used between two readings of processes: one new in `after` counts whole."""
    return sum(max(0.0, seconds - before.get(key, 0.0)) for key, seconds in after.items())


def watching_cpu_s(database: str) -> float:
    """This process's CPU seconds spent watching `database`'s backends (to leave out of its own)."""
    return _watch(database).own_cpu_s


class BackendWatch:
    """One database's PostgreSQL backends, looked at every `INTERVAL_S` by a thread of this
    process, each one's CPU remembered at its last sight: a backend opened and closed between two
    readings (a connection pool replacing a connection) still counts, with at most `INTERVAL_S`
    of its end missed. Keyed by (pid, start time), so a reused pid is another backend."""

    INTERVAL_S = 0.2

    def __init__(self, database: str) -> None:
        self.marker = f" {database} ".encode()
        self.seen: dict[tuple[int, int], float] = {}
        self.own_cpu_s = 0.0
        self._lock = threading.Lock()
        self._tick = os.sysconf("SC_CLK_TCK")
        threading.Thread(target=self._look_until_exit, daemon=True, name="backends").start()

    def look(self) -> dict[tuple[int, int], float]:
        found = {}
        for pid in _postgres_processes():
            if self.marker in _cmdline(pid):
                with contextlib.suppress(OSError, IndexError):
                    fields = _stat_fields(pid)
                    cpu = (int(fields[11]) + int(fields[12])) / self._tick
                    found[pid, int(fields[19])] = cpu
        with self._lock:
            self.seen.update(found)
            return dict(self.seen)

    def _look_until_exit(self) -> None:
        started = time.thread_time()
        while True:
            time.sleep(self.INTERVAL_S)
            self.look()
            self.own_cpu_s = time.thread_time() - started


@functools.cache
def _watch(database: str) -> BackendWatch:
    return BackendWatch(database)


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

    Counted per process: a process that appears during the phase counts whole. A web worker that
    exits during it is left out (its time can no longer be read); a PostgreSQL backend that does
    counts up to its last sight (`BackendWatch`). The load generator's figure leaves out the
    watching thread's CPU.
    """

    def __init__(self, workers: list[int], database: str) -> None:
        self.workers = workers
        self.database = database

    def snapshot(self) -> dict[str, Any]:
        own = os.times()
        return {
            "wall": time.perf_counter(),
            "loadgen": own.user + own.system - watching_cpu_s(self.database),
            "server": {pid: proc_cpu_seconds(pid) for pid in self.workers},
            "postgres": postgres_cpu(self.database),
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
                used = cpu_used(before[key], after[key])
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
