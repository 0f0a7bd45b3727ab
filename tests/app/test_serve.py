"""`ehoks serve` as an operator starts it: a real process answering real HTTP."""

from __future__ import annotations

import subprocess
import sys

import httpx

from ehoks.app import YOUNG_GENERATION_THRESHOLD
from tests.support.process import ServedProcess, clean_environment


def test_the_server_names_no_product_and_sends_the_security_headers(tmp_path):
    env = clean_environment(EHOKS_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}")
    with ServedProcess(env, tmp_path / "serve.log") as server:
        response = httpx.get(f"{server.base_url}/tyopaikkaohjaaja", timeout=60)
    assert response.status_code == 200
    assert "server" not in response.headers  # no product name or version for scanners
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_a_served_app_is_left_out_of_the_garbage_collectors_walks(tmp_path):
    # What the app is built of lives as long as the worker: frozen, a full collection (a batch
    # create triggers several) does not walk it again each time.
    env = clean_environment(EHOKS_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}")
    script = (
        "import gc\n"
        "from ehoks.app import create_served_app\n"
        "before = gc.get_freeze_count()\n"
        "create_served_app()\n"
        "print(gc.get_threshold()[0], before, gc.get_freeze_count())\n"
    )
    command = [sys.executable, "-c", script]
    done = subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    young, before, after = (int(n) for n in done.stdout.split()[-3:])
    assert before == 0
    assert after > 10_000
    # ... and its young objects are collected less often than Python's default (700).
    assert young == YOUNG_GENERATION_THRESHOLD
