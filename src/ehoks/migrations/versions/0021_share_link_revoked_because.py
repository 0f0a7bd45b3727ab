"""Why a share link was withdrawn: by its student (NULL, as every earlier row) or because its
plan was deleted (`plan_deleted`), so that whoever opens it is told the right reason.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_because", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.drop_column("revoked_because")
