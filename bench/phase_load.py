"""Load: the generated HOKS stored straight into the HOKS table, without the API.

For measuring what reads the HOKS table's columns (the staff search) at a scale whose API ingest
would not fit the time on a shared machine. The documents are COPYed into a staging table and
inserted with the columns the service derives: owners from the registry's study right, the
student's sort name and search name computed by the service's own functions
(`ehoks.hoks.checks.sort_name`, `ehoks.kit.folding.search_name`), and the name-word rows split
from the search names. Nothing else of a write
happens (no validation, no history, no workplace periods, no audit): this is no ingest measure,
and its plans are for lists, not for GET (the documents are stored as generated).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from common import log

if TYPE_CHECKING:
    from trial import Trial


def run(trial: Trial, result: dict[str, Any]) -> None:
    import psycopg  # noqa: PLC0415

    from generate import oppija_oid, read_hoks, study_right_oid  # noqa: PLC0415

    started = time.perf_counter()
    with psycopg.connect(trial.database_url) as connection:
        connection.execute(
            "CREATE TEMP TABLE bench_load (opiskeluoikeus_oid text PRIMARY KEY,"
            " oppija_oid text NOT NULL, document text NOT NULL)"
        )
        with connection.cursor() as cursor, cursor.copy("COPY bench_load FROM STDIN") as copy:
            for index, _provider, body in read_hoks(trial.data / "hoks.jsonl", trial.scale):
                copy.write_row((study_right_oid(index), oppija_oid(index), body.decode()))
        copied_s = time.perf_counter() - started
        log(f"load: documents copied into staging in {copied_s:.0f} s")
        _stage_names(connection)
        inserted = connection.execute(
            """
            INSERT INTO hoks (eid, oppija_oid, opiskeluoikeus_oid, oppilaitos_oid,
                koulutustoimija_oid, ensikertainen_hyvaksyminen, manuaalisyotto, revision,
                document, created_at, created_by, updated_at, updated_by, sort_name, search_name)
            SELECT gen_random_uuid()::text, l.oppija_oid, l.opiskeluoikeus_oid, s.oppilaitos_oid,
                s.koulutustoimija_oid, (l.document::jsonb ->> 'ensikertainen-hyvaksyminen')::date,
                false, 1, l.document, now(), 'bench-load', now(), 'bench-load',
                coalesce(n.sort_name, ''), coalesce(n.search_name, ' ')
            FROM bench_load l
            JOIN study_right s ON s.oid = l.opiskeluoikeus_oid
            LEFT JOIN bench_names n ON n.oid = l.oppija_oid
            """
        ).rowcount
        # The name-word rows the service writes with each plan (`ehoks.hoks.names.repository`),
        # split from the stored search names as migration 0024's backfill does.
        connection.execute(
            """
            INSERT INTO hoks_name_word (hoks_id, owner_oid, word, sort_name)
            SELECT DISTINCT h.id, o.owner_oid, w.word, h.sort_name
            FROM hoks h
            CROSS JOIN LATERAL unnest(string_to_array(h.search_name, ' ')) AS w (word)
            CROSS JOIN LATERAL (VALUES (h.oppilaitos_oid), (h.koulutustoimija_oid)) AS o (owner_oid)
            WHERE h.created_by = 'bench-load' AND h.deleted_at IS NULL AND w.word <> ''
                AND o.owner_oid IS NOT NULL
            ON CONFLICT DO NOTHING
            """
        )
        # And their name-suffix rows, cut as migration 0026's backfill cuts them.
        connection.execute(
            """
            INSERT INTO hoks_name_suffix (hoks_id, owner_oid, suffix, sort_name)
            SELECT h.id, o.owner_oid, p.suffix, h.sort_name
            FROM hoks h
            CROSS JOIN LATERAL (
                SELECT DISTINCT substr(w.word, s.start) AS suffix
                FROM unnest(string_to_array(h.search_name, ' ')) AS w (word)
                CROSS JOIN LATERAL generate_series(1, char_length(w.word) - 2) AS s (start)
            ) AS p
            CROSS JOIN LATERAL (
                SELECT DISTINCT v.owner_oid
                FROM (VALUES (h.oppilaitos_oid), (h.koulutustoimija_oid)) AS v (owner_oid)
                WHERE v.owner_oid IS NOT NULL
            ) AS o
            WHERE h.created_by = 'bench-load' AND h.deleted_at IS NULL
            ON CONFLICT DO NOTHING
            """
        )
        connection.commit()
    with psycopg.connect(trial.database_url, autocommit=True) as connection:
        # As autovacuum leaves a table some time after a large load: visibility map set (lists
        # read from an index alone), statistics fresh.
        connection.execute("VACUUM (ANALYZE) hoks")
        connection.execute("VACUUM (ANALYZE) hoks_name_word")
        connection.execute("VACUUM (ANALYZE) hoks_name_suffix")
    seconds = time.perf_counter() - started
    log(f"load: {inserted} HOKS stored without the API in {seconds:.0f} s")
    result["load"] = {
        "documents": trial.scale,
        "stored": inserted,
        "seconds": round(seconds, 1),
        "path": "COPY into staging, INSERT … SELECT with the service's derived columns (no API)",
    }


def _stage_names(connection: Any) -> None:
    """Each person's sort and search name, as the service computes them, in `bench_names`."""
    from ehoks.hoks.checks import sort_name  # noqa: PLC0415
    from ehoks.kit.folding import search_name  # noqa: PLC0415

    connection.execute(
        "CREATE TEMP TABLE bench_names (oid text PRIMARY KEY, sort_name text, search_name text)"
    )
    persons = connection.execute("SELECT oid, first_names, last_name FROM person").fetchall()
    with connection.cursor() as cursor, cursor.copy("COPY bench_names FROM STDIN") as copy:
        for oid, first_names, last_name in persons:
            name = sort_name(first_names, last_name)
            copy.write_row((oid, name, search_name(name)))
