"""A real uvicorn server on 127.0.0.1 in a background thread, for tests that speak HTTP."""

from __future__ import annotations

import threading
import time

import uvicorn
from fastapi import FastAPI

# A ceiling only (the wait ends when the server is up, or at once if its thread dies): generous,
# because a start on a machine busy with other work can take far longer than usual.
STARTUP_TIMEOUT_S = 120


class LiveServer:
    def __init__(self, app: FastAPI) -> None:
        self.app = app
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", access_log=False
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="live-server", daemon=True)
        self.base_url = ""

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.01)
        socket = self._server.servers[0].sockets[0]
        host, port = socket.getsockname()[:2]
        self.base_url = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        # What the application's lifespan does when a real server stops (the tests' servers run
        # without it): the audit records of its last reads are written now, while the test's
        # database is still there, not at the process's exit.
        recorder = getattr(self.app.state, "read_recorder", None)
        if recorder is not None:
            recorder.close()
