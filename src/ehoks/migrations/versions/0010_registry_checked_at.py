"""When each registry row was last confirmed by its national registry over HTTP.

A write trusts a local study right while it is younger than the maximum age
(`EHOKS_KOSKI_MAX_AGE_SECONDS`); the age is counted from this instant, else from the row's last
change. The import leaves it alone (an unchanged row is never written).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TABLES = ("organisation", "person", "study_right")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("checked_at")
