"""Synchronisation: the nightly upsert of documents already stored (nothing changes, so nothing
is written), against the batched create of the same documents in this run; and the change feed
read from its start, against the statistics feed (`/hoks/paged`) of the same HOKS."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from common import API, INGEST_DEADLINE_S, log
from machine import measured

if TYPE_CHECKING:
    from trial import Trial

FEED_PAGE = 500


def run(trial: Trial, result: dict[str, Any]) -> None:
    upsert = _unchanged_upsert(trial)
    created_rate = (result.get("ingest") or {}).get("api_docs_per_s")
    feed_s, changes = _follow(
        trial, "muutokset", size="limit", cursor="after", next_key="next-cursor", items="changes"
    )
    paged_s, exported = _follow(
        trial, "paged", size="amount", cursor="from-id", next_key="last-id", items="result"
    )
    result["sync"] = {
        "unchanged_upsert_docs_per_s": upsert["per_s"],
        "batched_create_docs_per_s": created_rate,
        "unchanged_upsert_vs_create": round(upsert["per_s"] / created_rate, 2)
        if upsert["per_s"] and created_rate
        else None,
        "upsert": upsert,
        "change_feed_changes_per_s": round(changes / feed_s, 1) if feed_s else None,
        "paged_feed_docs_per_s": round(exported / paged_s, 1) if paged_s else None,
        "change_feed_vs_paged": round((changes / feed_s) / (exported / paged_s), 2)
        if feed_s and paged_s and exported
        else None,
        "changes": changes,
        "exported": exported,
    }
    log(f"sync: {result['sync']}")


def _unchanged_upsert(trial: Trial) -> dict[str, Any]:
    """Every stored document again through PUT /hoks/bulk, batched as the ingest was."""
    import orjson  # noqa: PLC0415

    from loadgen import request_bytes, run_jobs  # noqa: PLC0415
    from phase_ingest import bulk_ingest_jobs  # noqa: PLC0415

    args, server, bearer = trial.args, trial.server, trial.bearer
    counted = {"unchanged": 0}

    def send(items: list[tuple[int, bytes]], provider: int) -> Any:
        headers = {
            "Authorization": f"Bearer {bearer[provider]}",
            "Caller-Id": f"bench-sis-{provider}",
            "Content-Type": "application/json",
        }
        body = b"[" + b",".join(doc for _i, doc in items) + b"]"
        raw = request_bytes("PUT", f"{API}/hoks/bulk", server.port, headers, body)

        def accept(status: int, answer: bytes) -> bool:
            if status != 200:
                return False
            meta = orjson.loads(answer)["meta"]
            counted["unchanged"] += meta["unchanged"]
            return meta["unchanged"] == len(items)

        return raw, accept

    jobs = bulk_ingest_jobs(
        trial.data, skip=0, limit=trial.scale, batch_size=args.batch_size, send=send
    )
    log(f"sync: {trial.scale} HOKS again through PUT {API}/hoks/bulk (nothing changes)")
    work = run_jobs(
        server.port, jobs, concurrency=args.bulk_concurrency, deadline_s=INGEST_DEADLINE_S
    )
    outcome = measured(trial.loop, trial.meter, work)
    outcome["per_s"] = (
        round(counted["unchanged"] / outcome["seconds"], 1) if outcome["seconds"] else None
    )
    outcome["unchanged"] = counted["unchanged"]
    return outcome


def _follow(
    trial: Trial, path: str, *, size: str, cursor: str, next_key: str, items: str
) -> tuple[float, int]:
    """Read a feed from its start to its end as each provider's system would, one after another;
    the seconds it took and the documents read."""
    import httpx  # noqa: PLC0415

    total = 0
    started = time.perf_counter()
    with httpx.Client(base_url=f"http://127.0.0.1:{trial.server.port}", timeout=120) as client:
        for provider, token in enumerate(trial.bearer):
            headers = {"Authorization": f"Bearer {token}", "Caller-Id": f"bench-sis-{provider}"}
            params: dict[str, Any] = {size: FEED_PAGE}
            while True:
                page = client.get(f"{API}/hoks/{path}", params=params, headers=headers)
                page.raise_for_status()
                data = page.json()["data"]
                total += len(data[items])
                if not data[items] and not data.get("waiting"):
                    break
                params[cursor] = data[next_key]
    return time.perf_counter() - started, total
