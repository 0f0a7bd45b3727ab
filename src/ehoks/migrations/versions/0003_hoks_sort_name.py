"""The student's sort name on each HOKS, for index-ordered staff lists.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hoks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sort_name", sa.String(length=400), server_default="", nullable=False)
        )
    # Existing HOKS take their student's name from the person registry ("surname first names").
    op.execute(
        "UPDATE hoks SET sort_name = COALESCE((SELECT lower(TRIM(COALESCE(person.last_name, '') "
        "|| ' ' || COALESCE(person.first_names, ''))) FROM person "
        "WHERE person.oid = hoks.oppija_oid), '')"
    )
    with op.batch_alter_table("hoks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_hoks_koulutustoimija_sort", ["koulutustoimija_oid", "sort_name", "id"], unique=False
        )
        batch_op.create_index(
            "ix_hoks_oppilaitos_sort", ["oppilaitos_oid", "sort_name", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("hoks", schema=None) as batch_op:
        batch_op.drop_index("ix_hoks_oppilaitos_sort")
        batch_op.drop_index("ix_hoks_koulutustoimija_sort")
        batch_op.drop_column("sort_name")
