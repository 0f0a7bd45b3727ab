"""Feedback surveys: the surveys, their events, invitation messages and the worker's jobs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=80), nullable=True),
        sa.Column("hoks_id", sa.Integer(), nullable=False),
        sa.Column("oppija_oid", sa.String(length=64), nullable=False),
        sa.Column("opiskeluoikeus_oid", sa.String(length=64), nullable=False),
        sa.Column("koulutustoimija_oid", sa.String(length=64), nullable=False),
        sa.Column("oppilaitos_oid", sa.String(length=64), nullable=True),
        sa.Column("herate_date", sa.Date(), nullable=False),
        sa.Column("funding_period", sa.Integer(), nullable=False),
        sa.Column("period_tunniste", sa.String(length=256), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("request_id", sa.String(length=36), nullable=False),
        sa.Column("arvo_tunniste", sa.String(length=128), nullable=True),
        sa.Column("link", sa.String(length=1000), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hoks_id"], ["hoks.id"], name=op.f("fk_feedback_hoks_id_hoks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sa.UniqueConstraint("key", name=op.f("uq_feedback_key")),
        sa.UniqueConstraint("request_id", name=op.f("uq_feedback_request_id")),
        sa.UniqueConstraint("arvo_tunniste", name=op.f("uq_feedback_arvo_tunniste")),
        sa.UniqueConstraint("link", name=op.f("uq_feedback_link")),
    )
    op.create_index("ix_feedback_oppija_state", "feedback", ["oppija_oid", "state"])
    op.create_index("ix_feedback_hoks_kind", "feedback", ["hoks_id", "kind"])
    op.create_table(
        "feedback_event",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("old_state", sa.String(length=40), nullable=True),
        sa.Column("new_state", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=80), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_feedback_event_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_event")),
    )
    op.create_index(
        op.f("ix_feedback_event_feedback_id"), "feedback_event", ["feedback_id"], unique=False
    )
    op.create_table(
        "feedback_message",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=True),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=400), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("sent_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_message")),
    )
    op.create_table(
        "feedback_message_item",
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_feedback_message_item_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["feedback_message.id"],
            name=op.f("fk_feedback_message_item_message_id_feedback_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", "feedback_id", name=op.f("pk_feedback_message_item")),
    )
    op.create_index(
        op.f("ix_feedback_message_item_feedback_id"),
        "feedback_message_item",
        ["feedback_id"],
        unique=False,
    )
    op.create_table(
        "feedback_job",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("key", sa.String(length=600), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("feedback_id", sa.Integer(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", _utc(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("lease_token", sa.String(length=36), nullable=True),
        sa.Column("leased_until", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("finished_at", _utc(), nullable=True),
        sa.ForeignKeyConstraint(
            ["feedback_id"],
            ["feedback.id"],
            name=op.f("fk_feedback_job_feedback_id_feedback"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_job")),
        sa.UniqueConstraint("key", name=op.f("uq_feedback_job_key")),
    )
    op.create_index("ix_feedback_job_due", "feedback_job", ["state", "due_at"], unique=False)
    op.create_index(
        op.f("ix_feedback_job_feedback_id"), "feedback_job", ["feedback_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("feedback_job")
    op.drop_table("feedback_message_item")
    op.drop_table("feedback_message")
    op.drop_table("feedback_event")
    op.drop_table("feedback")
