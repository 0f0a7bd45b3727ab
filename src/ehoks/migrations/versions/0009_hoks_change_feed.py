"""The HOKS change feed: one row per create, change, delete and restore, in commit order.

Every HOKS that exists already gets one row (created, or deleted when it is deleted), so that a
provider system reading the feed from its start learns of every plan.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hoks_change",
        sa.Column("seq", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("txid", sa.BigInteger(), nullable=False),
        sa.Column("hoks_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hoks_id"],
            ["hoks.id"],
            name=op.f("fk_hoks_change_hoks_id_hoks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_hoks_change")),
    )
    with op.batch_alter_table("hoks_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hoks_change_hoks_id"), ["hoks_id"], unique=False)
        batch_op.create_index("ix_hoks_change_txid_seq", ["txid", "seq"], unique=False)
    # Existing plans, in id order, as settled changes (transaction id 0 sorts before any real one).
    op.execute(
        "INSERT INTO hoks_change (txid, hoks_id, revision, kind, at) "
        "SELECT 0, id, revision, "
        "CASE WHEN deleted_at IS NULL THEN 'created' ELSE 'deleted' END, updated_at "
        "FROM hoks ORDER BY id"
    )


def downgrade() -> None:
    op.drop_table("hoks_change")
