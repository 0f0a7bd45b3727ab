"""`ehoks serve` as an operator starts it: a separate process, its own settings, a free port.

For tests about what a real server does with the settings it is given (or not given), and about
its memory: the thread-based `LiveServer` shares the test process and cannot answer either.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import httpx

# A ceiling, not an expectation: the wait ends as soon as /healthz answers, and at once if the
# process exits. On a machine busy with other work a start has taken over 30 s, so the ceiling
# is generous: a slow start is not a failure, only one that never comes.
STARTUP_TIMEOUT_S = 240
EHOKS = [sys.executable, "-m", "ehoks"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def clean_environment(**settings: str) -> dict[str, str]:
    """The test process's environment without any EHOKS_ setting, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EHOKS_")}
    env.update(settings)
    return env


class ServedProcess:
    """`ehoks serve` (one worker, so the server is this very process) until the block ends."""

    def __init__(self, env: dict[str, str], log_path: Path, *args: str) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._log_path = log_path
        self._log = log_path.open("w")
        command = [*EHOKS, "serve", "--host", "127.0.0.1", "--port", str(self.port), *args]
        self.process = subprocess.Popen(
            command, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def __enter__(self) -> Self:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ehoks serve exited: {self.log()}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=10).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"ehoks serve did not start: {self.log()}")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._log.close()

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self._log_path.read_text()

    def rss_bytes(self) -> int:
        """The server's resident memory now (Linux /proc)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")

    def reset_peak_rss(self) -> None:
        """Start a new peak (VmHWM) from the memory the server has now (Linux clear_refs)."""
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def peak_rss_bytes(self) -> int:
        """The most resident memory the server has had (Linux /proc VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmHWM")
