"""The name-word and name-suffix tables without their foreign keys to `hoks`.

PostgreSQL checks a foreign key once per inserted row; a batch create of 200 plans inserts
~1 200 name-word rows and ~5 000 name-suffix rows, each checked against its plan's row (which
the same statement's transaction has just written). Through the server, with the web workers'
connections inserting side by side, those checks were most of a document's PostgreSQL CPU
(5 000 plans, two workers: 3.5-5.1 ms a document with both keys, 1.1 without). The rows are
written and removed only with their plan's own writes (`ehoks.hoks.names.repository`), and no
plan row is ever deleted by the service (a deletion sets `deleted_at`), so the keys guarded
nothing the code does not already keep.

The downgrade removes rows whose plan is gone before it puts the keys back.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

# (table, the foreign key's name as the naming convention gives it)
KEYS = (
    ("hoks_name_word", "fk_hoks_name_word_hoks_id_hoks"),
    ("hoks_name_suffix", "fk_hoks_name_suffix_hoks_id_hoks"),
)


def upgrade() -> None:
    for table, key in KEYS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(key, type_="foreignkey")


def downgrade() -> None:
    for table, key in KEYS:
        op.execute(f"DELETE FROM {table} WHERE hoks_id NOT IN (SELECT id FROM hoks)")  # noqa: S608 - constant names
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(key, "hoks", ["hoks_id"], ["id"], ondelete="CASCADE")
