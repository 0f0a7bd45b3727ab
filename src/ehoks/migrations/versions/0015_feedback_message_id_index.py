"""Feedback messages are found by their Message-ID (a bounce names the message by it).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feedback_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_message_message_id"), ["message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_message_message_id"))
