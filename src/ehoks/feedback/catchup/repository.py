"""The catch-up run's queries: a batch of plans after a cursor, their study rights, and the
feedback, events and jobs of a batch: on PostgreSQL copied into a staging table and stored with
one statement, on SQLite inserted with one statement each."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Row, insert, select, text
from sqlalchemy.orm import Session

from ehoks.feedback.models import Feedback, FeedbackCatchUp, FeedbackEvent, FeedbackJob
from ehoks.feedback.repository import insert_builder
from ehoks.hoks.models import Hoks
from ehoks.registry.models import StudyRight

# id, oppija_oid, opiskeluoikeus_oid, koulutustoimija_oid, document
PlanRow = Row[int, str, str, str | None, str]
# oid, tyyppi, suoritus_tyypit, contained_in_oid, koulutustoimija_oid, oppilaitos_oid
RightRow = Row[str, str, list[str], str | None, str | None, str | None]


def progress(session: Session, name: str) -> FeedbackCatchUp | None:
    return session.get(FeedbackCatchUp, name, with_for_update=True)


def begin(session: Session, name: str, now: datetime) -> FeedbackCatchUp:
    """The run's progress row, made at its start (from the first plan)."""
    row = FeedbackCatchUp(
        name=name, last_hoks_id=0, plans=0, surveys=0, started_at=now, updated_at=now
    )
    session.add(row)
    session.flush()
    return row


def plans_after(session: Session, after_id: int, limit: int) -> Sequence[PlanRow]:
    """Live plans after `after_id`, in id order."""
    statement = (
        select(
            Hoks.id,
            Hoks.oppija_oid,
            Hoks.opiskeluoikeus_oid,
            Hoks.koulutustoimija_oid,
            Hoks.document,
        )
        .where(Hoks.id > after_id, Hoks.deleted_at.is_(None))
        .order_by(Hoks.id)
        .limit(limit)
    )
    return session.execute(statement).all()


def study_rights(session: Session, oids: Sequence[str]) -> dict[str, RightRow]:
    """What the rules need of the plans' study rights: not the whole row, whose Koski document
    (a few kB each, parsed as it is read) the catch-up never looks at."""
    statement = select(
        StudyRight.oid,
        StudyRight.tyyppi,
        StudyRight.suoritus_tyypit,
        StudyRight.contained_in_oid,
        StudyRight.koulutustoimija_oid,
        StudyRight.oppilaitos_oid,
    ).where(StudyRight.oid.in_(sorted(set(oids))))
    return {right.oid: right for right in session.execute(statement)}


def insert_feedback(session: Session, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str]]:
    """Insert the feedback whose key is new (an existing key is left alone, whoever wrote it);
    (id, key) of each inserted. SQLAlchemy sends the rows in as few statements as the
    database's parameter limit allows."""
    if not rows:
        return []
    table = Feedback.__table__
    statement = (
        insert_builder(session, table)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(table.c.id, table.c.key)
    )
    # Core, not the ORM's bulk insert: that splits the rows by which values are None and
    # sends a statement for each small group (measured: one round trip per two rows).
    inserted = session.connection().execute(statement, list(rows))
    return [(feedback_id, key) for feedback_id, key in inserted]


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(insert(FeedbackEvent), list(rows))


def insert_jobs(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        statement = insert_builder(session, FeedbackJob.__table__).on_conflict_do_nothing(
            index_elements=["key"]
        )
        session.connection().execute(statement, list(rows))


# --- PostgreSQL: the batch copied into a staging table and stored with one statement ---------

# The staging table's columns, in the order `copy_row` gives them.
STAGED: Final = (
    "ord",
    "key",
    "kind",
    "state",
    "reason",
    "hoks_id",
    "oppija_oid",
    "opiskeluoikeus_oid",
    "koulutustoimija_oid",
    "oppilaitos_oid",
    "herate_date",
    "funding_period",
    "period_tunniste",
    "valid_from",
    "valid_to",
    "details",
    "due_at",
)
_FEEDBACK_COLUMNS: Final = (
    "key, kind, state, reason, hoks_id, oppija_oid, opiskeluoikeus_oid, koulutustoimija_oid, "
    "oppilaitos_oid, herate_date, funding_period, period_tunniste, valid_from, valid_to"
)
_STAGE_TABLE: Final = text(
    "CREATE TEMPORARY TABLE IF NOT EXISTS feedback_catch_up_stage ("
    " ord integer, key text, kind text, state text, reason text, hoks_id integer,"
    " oppija_oid text, opiskeluoikeus_oid text, koulutustoimija_oid text, oppilaitos_oid text,"
    " herate_date date, funding_period integer, period_tunniste text, valid_from date,"
    " valid_to date, details text, due_at timestamptz"
    ") ON COMMIT DELETE ROWS"
)
# New keys only (an existing one is left alone, whoever wrote it), each with its event and, when
# it waits for its heräte date, its handling job: one statement, so one pass of the staged rows.
_STORE_STAGED: Final = text(
    f"""
    WITH inserted AS (
        INSERT INTO feedback ({_FEEDBACK_COLUMNS}, request_id, details, created_at, updated_at)
        SELECT {_FEEDBACK_COLUMNS}, gen_random_uuid()::text, details::json, :now, :now
        FROM feedback_catch_up_stage ORDER BY ord
        ON CONFLICT (key) DO NOTHING
        RETURNING id, key, state, reason
    ), events AS (
        INSERT INTO feedback_event (feedback_id, at, event, old_state, new_state, reason, details)
        SELECT id, :now, :event, NULL, state, reason, CAST(:event_details AS json) FROM inserted
    ), jobs AS (
        INSERT INTO feedback_job (key, kind, feedback_id, payload, state, due_at, attempts,
                                  created_at)
        SELECT :job_kind || '|' || inserted.id, :job_kind, inserted.id, '{{}}'::json, 'pending',
               staged.due_at, 0, :now
        FROM inserted JOIN feedback_catch_up_stage AS staged ON staged.key = inserted.key
        WHERE staged.due_at IS NOT NULL
        ON CONFLICT (key) DO NOTHING
    )
    SELECT count(*) FROM inserted
    """  # noqa: S608 - the interpolated names are this module's constants
)


def store_staged(
    session: Session,
    rows: Sequence[tuple[Any, ...]],
    *,
    now: datetime,
    event: str,
    event_details: str,
    job_kind: str,
) -> int:
    """Copy the batch's rows (in `STAGED` order; `due_at` set on those that wait for their
    heräte date) into a staging table and store the new ones, their events and jobs; how many
    surveys were new. PostgreSQL only: COPY instead of parameters, which psycopg would have to
    split into many statements of a big batch."""
    if not rows:
        return 0
    connection = session.connection()
    connection.execute(_STAGE_TABLE)
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:  # type: ignore[union-attr]
        columns = ", ".join(STAGED)
        with cursor.copy(f"COPY feedback_catch_up_stage ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    parameters = {"now": now, "event": event, "event_details": event_details, "job_kind": job_kind}
    return int(connection.execute(_STORE_STAGED, parameters).scalar_one())
