"""Live plans by study right: whether a study right has a live plan, from the index alone.

The report of students without a plan checks every active study right of an organisation for a
live plan. The unique index on the study right holds deleted plans too, so each check would
read the plan's row for its deletion time; this one holds only the live plans, and on
PostgreSQL the check is an index-only probe.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_hoks_opiskeluoikeus_live",
        "hoks",
        ["opiskeluoikeus_oid"],
        postgresql_where=sa.text("deleted_at IS NULL"),
        sqlite_where=sa.text("deleted_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_hoks_opiskeluoikeus_live", table_name="hoks")
