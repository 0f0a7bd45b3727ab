"""The units of each qualification, from its ePerusteet peruste.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "qualification_unit",
        sa.Column("diaarinumero", sa.String(length=64), nullable=False),
        sa.Column("unit_uri", sa.String(length=256), nullable=False),
        sa.PrimaryKeyConstraint("diaarinumero", "unit_uri", name=op.f("pk_qualification_unit")),
    )


def downgrade() -> None:
    op.drop_table("qualification_unit")
