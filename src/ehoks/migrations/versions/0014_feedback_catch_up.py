"""Feedback: the catch-up run's progress, and the workplace e-mail group as an indexed column.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_catch_up",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_hoks_id", sa.Integer(), nullable=False),
        sa.Column("plans", sa.Integer(), nullable=False),
        sa.Column("surveys", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_feedback_catch_up")),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mail_group", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_feedback_mail_group_state", ["mail_group", "state"], unique=False)
    _backfill_mail_groups()


def _backfill_mail_groups() -> None:
    """Workplace feedback already grouped keeps its group, now as the digest column."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, details FROM feedback WHERE kind = 'tyopaikkajakson_suorittaneet'")
    ).all()
    for feedback_id, details in rows:
        values = json.loads(details) if isinstance(details, str) else (details or {})
        group = values.get("group")
        if group:
            connection.execute(
                sa.text("UPDATE feedback SET mail_group = :digest WHERE id = :id"),
                {"digest": hashlib.sha256(group.encode()).hexdigest(), "id": feedback_id},
            )


def downgrade() -> None:
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_mail_group_state")
        batch_op.drop_column("mail_group")
    op.drop_table("feedback_catch_up")
