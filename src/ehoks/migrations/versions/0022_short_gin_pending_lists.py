"""Short pending lists for the name trigram indexes (PostgreSQL).

A GIN index first collects new entries in an unsorted pending list (4 MB by default) and merges
them into the index only when the list is full or the table is vacuumed. Every search through
the index reads the whole list: after plans are written through the API (their rows not yet
vacuumed, so the planner prefers these indexes to the ordered ranges), a name search of the
largest provider read ~1 000 pending pages and took 11-14 ms of PostgreSQL CPU instead of 3-4.
64 kB (the least allowed) keeps a search's extra reading to a few pages; the merge then runs
more often, in the writing statement (measured: +0.05 ms a written plan). The lists are merged
now, so that the first searches do not read what was collected under the old limit.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

_INDEXES = (
    "ix_hoks_search_name_trgm",
    "ix_hoks_oppilaitos_name_trgm",
    "ix_hoks_koulutustoimija_name_trgm",
)
PENDING_LIST_KB = 64


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} SET (gin_pending_list_limit = {PENDING_LIST_KB})")
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")
