"""Signed credentials: the signing keys and the credentials issued (for revocation).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "credential_key",
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("public_jwk", sa.Text(), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_credential_key")),
    )
    with op.batch_alter_table("credential_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_credential_key_created_at"), ["created_at"], unique=False
        )
    op.create_table(
        "issued_credential",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("credential_id", sa.String(length=64), nullable=False),
        sa.Column("hoks_id", sa.Integer(), nullable=False),
        sa.Column("oppija_oid", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("status_list", sa.Integer(), nullable=False),
        sa.Column("status_index", sa.Integer(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_credential")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_issued_credential_credential_id")),
        sa.UniqueConstraint(
            "status_list",
            "status_index",
            name=op.f("uq_issued_credential_status_list"),
        ),
    )
    with op.batch_alter_table("issued_credential", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_credential_hoks_id"), ["hoks_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_issued_credential_oppija_oid"), ["oppija_oid"], unique=False
        )


def downgrade() -> None:
    op.drop_table("issued_credential")
    op.drop_table("credential_key")
