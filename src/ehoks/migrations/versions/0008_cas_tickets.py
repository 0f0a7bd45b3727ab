"""CAS sign-in for provider systems: a CAS user name per client, and the tickets.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("system_client", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cas_username", sa.String(length=100), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_system_client_cas_username"), ["cas_username"]
        )
    op.create_table(
        "cas_ticket",
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=3), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("granting_hash", sa.String(length=64), nullable=True),
        sa.Column("service", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["system_client.client_id"],
            name=op.f("fk_cas_ticket_client_id_system_client"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticket_hash", name=op.f("pk_cas_ticket")),
    )
    with op.batch_alter_table("cas_ticket", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cas_ticket_client_id"), ["client_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cas_ticket_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_cas_ticket_granting_hash"), ["granting_hash"], unique=False
        )


def downgrade() -> None:
    op.drop_table("cas_ticket")
    with op.batch_alter_table("system_client", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_system_client_cas_username"), type_="unique")
        batch_op.drop_column("cas_username")
