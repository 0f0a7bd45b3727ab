"""Share links: a student's consent to show a part of their plan to someone without an account.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "share_link",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("hoks_id", sa.Integer(), nullable=False),
        sa.Column("oppija_oid", sa.String(length=64), nullable=False),
        sa.Column("content", sa.String(length=16), nullable=False),
        sa.Column("unit_module_id", sa.String(length=36), nullable=True),
        sa.Column("unit_type", sa.String(length=64), nullable=True),
        sa.Column("shared_module_id", sa.String(length=36), nullable=True),
        sa.Column("shared_module_type", sa.String(length=32), nullable=True),
        sa.Column("with_contacts", sa.Boolean(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("open_count", sa.Integer(), nullable=False),
        sa.Column("first_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["hoks_id"], ["hoks.id"], name=op.f("fk_share_link_hoks_id_hoks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share_link")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_share_link_secret_hash")),
    )
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_link_hoks_id"), ["hoks_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_share_link_oppija_oid"), ["oppija_oid"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_share_link_unit_module_id"), ["unit_module_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_share_link_shared_module_id"), ["shared_module_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("share_link")
