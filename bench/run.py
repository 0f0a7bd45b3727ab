"""eHOKS benchmark: ingest and reads through the real HTTP API against PostgreSQL's own limits.

    make bench                              # default scale (a few minutes)
    make bench ARGS="--scale national"      # 350 000 students / HOKS
    make bench ARGS="--scale 20000 --workers 2 --profile"
    make bench ARGS="--scale national --phases search --reuse-database"   # search again only

See bench/README.md for what is measured and how to read bench/results/latest.{json,md,png}.
Each phase is its own module (phase_*.py, listed in trial.PHASES).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from common import (
    DATA,
    DEFAULT_ADMIN_URL,
    READ_REQUESTS_CAP,
    RESULTS,
    ROOT,
    SCALES,
    VENV_BIN,
    ensure_packages,
    log,
)
from targets import targets
from trial import DEFAULT_PHASES, PHASES, run_trial


def service_source() -> dict[str, Any]:
    """Which service code ran: its path, the checkout's commit and how many files differ from it."""
    import ehoks  # noqa: PLC0415

    def git(*args: str) -> str:
        completed = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return completed.stdout.strip()

    return {
        "module": str(Path(ehoks.__file__).parent),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_files_in_src": len(git("status", "--porcelain", "src").splitlines()),
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--scale",
        default="default",
        help="students/HOKS: a number, 'default' (5000) or 'national' (350000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers",
        default=None,
        help="comma-separated worker counts to try (default: 1,2 below 50 000, else 2)",
    )
    parser.add_argument(
        "--ingest-concurrency", type=int, default=16, help="connections sending HOKS"
    )
    parser.add_argument(
        "--batch-size", type=int, default=200, help="HOKS per POST /hoks/bulk (max 1000)"
    )
    parser.add_argument(
        "--bulk-concurrency", type=int, default=4, help="connections sending batches"
    )
    parser.add_argument("--concurrency", type=int, default=32, help="read clients")
    parser.add_argument(
        "--read-requests",
        type=int,
        default=10_000,
        help=f"requests per read test (cap {READ_REQUESTS_CAP})",
    )
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the server during ingest and GET"
    )
    parser.add_argument(
        "--admin-url", default=os.environ.get("EHOKS_BENCH_POSTGRES", DEFAULT_ADMIN_URL)
    )
    parser.add_argument("--database", default="ehoks_bench")
    parser.add_argument(
        "--phases",
        default=",".join(DEFAULT_PHASES),
        help=f"comma-separated, of {', '.join(PHASES)} (default: {','.join(DEFAULT_PHASES)})",
    )
    parser.add_argument(
        "--reuse-database",
        action="store_true",
        help="keep --database if it exists (new migrations only; no registry import) instead "
        "of recreating it: with --phases search, measure a kept national database again",
    )
    parser.add_argument("--data-dir", default=None)
    parser.add_argument(
        "--today", default=None, help="the date the generated data is valid on (default: today)"
    )
    args = parser.parse_args(argv)
    args.scale = SCALES.get(args.scale) or int(args.scale)
    if not 1 <= args.scale <= 2_000_000:
        parser.error("--scale must be 1..2 000 000")
    if not 1 <= args.batch_size <= 1000:
        parser.error("--batch-size must be 1..1000")
    if "127.0.0.1" not in args.admin_url and "localhost" not in args.admin_url:
        parser.error("the benchmark only targets 127.0.0.1")
    chosen = {name.strip() for name in args.phases.split(",") if name.strip()}
    if not chosen or chosen - set(PHASES):
        parser.error(f"--phases must name some of {', '.join(PHASES)}")
    for reading in sorted({"reads", "servers"} & chosen):
        if not chosen & {"ingest", "load"} and not args.reuse_database:
            parser.error(
                f"the {reading} phase reads stored plans: those of the same run's ingest or "
                "load, or of a kept database (--reuse-database) filled from the same data"
            )
    if not chosen & {"ingest", "load"} and not args.reuse_database:
        parser.error("without ingest or load, --reuse-database is needed (a database to read)")
    if {"ingest", "load"} <= chosen:
        parser.error("ingest and load both store the documents: choose one")
    args.phases = [name for name in PHASES if name in chosen]
    default_workers = "1,2" if args.scale < 50_000 else "2"
    args.workers = [int(w) for w in (args.workers or default_workers).split(",")]
    args.data_dir = args.data_dir or str(DATA / f"scale-{args.scale}-seed-{args.seed}")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    needed = {"matplotlib": "matplotlib"}
    if args.profile:
        needed["py_spy"] = "py-spy"
    ensure_packages({k: v for k, v in needed.items() if k != "py_spy"})
    if args.profile and not (VENV_BIN / "py-spy").exists():
        log(f"installing into {sys.prefix}: py-spy")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "py-spy"], check=True)
    RESULTS.mkdir(exist_ok=True)
    import generate  # noqa: PLC0415
    import report  # noqa: PLC0415

    today = date.fromisoformat(args.today) if args.today else date.today()  # noqa: DTZ011
    started = time.perf_counter()
    log(f"generating {args.scale} students and HOKS into {args.data_dir} (cached if present)")
    manifest = generate.generate(Path(args.data_dir), args.scale, args.seed, today)
    generate_s = time.perf_counter() - started
    checked, problems = generate.validate_sample(Path(args.data_dir), args.seed, today, 2000)
    if problems:
        log(f"generated HOKS fail validation: {problems[:5]}")
        return 1
    log(
        f"generated in {generate_s:.1f} s; mean HOKS {manifest['hoks_bytes_mean']} bytes; "
        f"{checked} checked offline with the service's validator"
    )

    trials = []
    for workers in args.workers:
        log(f"--- trial with {workers} worker(s)")
        trials.append(run_trial(args, manifest, workers))
    result = summary(args, manifest, trials, generate_s)
    if args.profile:
        result["profile"] = report.profile_summary(RESULTS, result["workers"])
    name = result_name(args.phases, args.scale)
    report.write_all(result, RESULTS, name)
    if name == "latest":
        # Keep each scale's last whole run beside latest.*.
        kept = f"scale-{args.scale}"
        for suffix in report.SUFFIXES:
            (RESULTS / f"{kept}.{suffix}").unlink(missing_ok=True)
            if (RESULTS / f"{name}.{suffix}").exists():
                shutil.copyfile(RESULTS / f"{name}.{suffix}", RESULTS / f"{kept}.{suffix}")
    log(f"wrote {RESULTS / name}.json, .md, .png in {time.perf_counter() - started:.0f} s")
    print((RESULTS / f"{name}.md").read_text())
    return 0


def result_name(phases: list[str], scale: int) -> str:
    """The results' file name: `latest` for the whole run, else one name per phases and scale."""
    if phases == DEFAULT_PHASES:
        return "latest"
    return f"phases-{'-'.join(phases)}-scale-{scale}"


def _get(trial: dict[str, Any], section: str, key: str) -> Any:
    return (trial.get(section) or {}).get(key)


def summary(
    args: argparse.Namespace,
    manifest: dict[str, Any],
    trials: list[dict[str, Any]],
    generate_s: float,
) -> dict[str, Any]:
    """The result of the run: the best trial's figures, every trial's headline, the targets."""

    def score(t: dict[str, Any]) -> float:
        ingest_rate = _get(t, "ingest", "api_docs_per_s") or 0
        return float(ingest_rate * (_get(t, "read", "get_docs_per_s") or 0)) ** 0.5

    best = max(trials, key=score)
    result: dict[str, Any] = {
        "scale": args.scale,
        "seed": args.seed,
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "phases": args.phases,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "service": service_source(),
        "workers": best["workers"],
        "worker_choice": "the trial with the highest geometric mean of ingest and GET rates",
        "data": {
            "generate_s": round(generate_s, 1),
            "hoks_bytes_mean": manifest["hoks_bytes_mean"],
            "providers": len(manifest["providers"]),
            "largest_provider_hoks": max(p["hoks"] for p in manifest["providers"]),
            "registry_import_s": best["registry_import_s"],
            "clients_created_s": best["clients_created_s"],
        },
        "ingest": best.get("ingest"),
        "read": best.get("read"),
        "memory": best.get("memory"),
        "worker_comparison": [
            {
                "workers": t["workers"],
                "ingest_api_docs_per_s": _get(t, "ingest", "api_docs_per_s"),
                "ingest_ratio": _get(t, "ingest", "ratio"),
                "get_docs_per_s": _get(t, "read", "get_docs_per_s"),
                "get_p99_ms": _get(t, "read", "get_p99_ms"),
                "by_study_right_p99_ms": _get(t, "read", "by_study_right_p99_ms"),
                "worker_peak_rss_mb": _get(t, "memory", "worker_peak_rss_mb"),
                "ingest_loadgen_share_of_machine": (
                    (_get(t, "ingest", "api") or {}).get("cpu", {}).get("loadgen_share_of_machine")
                ),
            }
            for t in trials
        ],
        "servers": next((t["servers"] for t in trials if t.get("servers")), None),
        "profile": None,
    }
    if "reused_database" in best:
        result["data"]["reused_database"] = best["reused_database"]
        result["data"]["migrations_s"] = best.get("migrations_s")
    result["targets"] = targets(best, args.scale)
    return result


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
