"""What every phase of the benchmark shares: paths, limits, the log line and small helpers."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = Path(sys.executable).parent
RESULTS = BENCH / "results"
DATA = BENCH / "data"
API = "/ehoks-virkailija-backend/api/v1"
STAFF_API = f"{API}/virkailija"
SCALES = {"small": 5_000, "default": 5_000, "national": 350_000}
DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# Hard caps: every phase stops by itself.
INGEST_DEADLINE_S = 3_600
# The part of the data sent one POST per HOKS, to report that rate beside the batch rate.
SINGLE_POST_SAMPLE = 2_000
READ_DEADLINE_S = 120
READ_REQUESTS_CAP = 30_000
WARMUP_REQUESTS = 500


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_packages(modules: dict[str, str]) -> None:
    """Install missing packages (module -> pip name) into this venv, saying so."""
    missing = []
    for module, package in modules.items():
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        log(f"installing into {sys.prefix}: {' '.join(missing)}")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *missing], check=True)


def sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def accept_ok(status: int, _body: bytes) -> bool:
    return status == 200
