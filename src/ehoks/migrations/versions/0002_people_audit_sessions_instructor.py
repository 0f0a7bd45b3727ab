"""People: sessions, sign-in, staff grants, audit log, workplace periods, code names.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Fixed here, not imported: a migration must not change when the code does.
CHAIN_COUNT = 16


def upgrade() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("chain", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("length", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chain")),
    )
    op.create_table(
        "audit_event",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            sa.Identity(always=False),
            nullable=False,
        ),
        sa.Column("chain", sa.Integer(), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("subject_kind", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("organisation_oid", sa.String(length=64), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("operation", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("hoks_id", sa.Integer(), nullable=True),
        sa.Column("oppija_oid", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("chain", "position", name="uq_audit_event_position"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_hoks_id"), ["hoks_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_audit_event_oppija_oid"), ["oppija_oid"], unique=False)

    op.create_table(
        "code_name",
        sa.Column("uri", sa.String(length=256), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("uri", name=op.f("pk_code_name")),
    )
    op.create_table(
        "dev_idp_code",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("redirect_uri", sa.Text(), nullable=False),
        sa.Column("nonce", sa.String(length=200), nullable=True),
        sa.Column("code_challenge", sa.String(length=200), nullable=True),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_dev_idp_code")),
    )
    op.create_table(
        "dev_idp_key",
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("private_pem", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kid", name=op.f("pk_dev_idp_key")),
    )
    op.create_table(
        "oidc_sign_in",
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("audience", sa.String(length=16), nullable=False),
        sa.Column("nonce", sa.String(length=64), nullable=False),
        sa.Column("code_verifier", sa.String(length=128), nullable=False),
        sa.Column("return_to", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("state", name=op.f("pk_oidc_sign_in")),
    )
    op.create_table(
        "sign_in_link",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sign_in_link")),
    )
    with op.batch_alter_table("sign_in_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_link_email"), ["email"], unique=False)

    op.create_table(
        "staff_grant",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("staff_oid", sa.String(length=64), nullable=False),
        sa.Column("organisation_oid", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_grant")),
        sa.UniqueConstraint(
            "staff_oid", "organisation_oid", "role", "source", name="uq_staff_grant"
        ),
    )
    with op.batch_alter_table("staff_grant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_grant_organisation_oid"), ["organisation_oid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_staff_grant_staff_oid"), ["staff_oid"], unique=False)

    op.create_table(
        "staff_member",
        sa.Column("oid", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("oid", name=op.f("pk_staff_member")),
    )
    op.create_table(
        "web_session",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("principal", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_session")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.create_index("ix_web_session_principal", ["kind", "principal"], unique=False)

    op.create_table(
        "workplace_period",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("hoks_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.String(length=36), nullable=False),
        sa.Column("unit_module_id", sa.String(length=36), nullable=False),
        sa.Column("yksiloiva_tunniste", sa.String(length=256), nullable=True),
        sa.Column("alku", sa.Date(), nullable=False),
        sa.Column("loppu", sa.Date(), nullable=False),
        sa.Column("instructor_email", sa.String(length=320), nullable=True),
        sa.Column("instructor_name", sa.Text(), nullable=True),
        sa.Column("workplace_name", sa.Text(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hoks_id"],
            ["hoks.id"],
            name=op.f("fk_workplace_period_hoks_id_hoks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workplace_period")),
    )
    with op.batch_alter_table("workplace_period", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workplace_period_hoks_id"), ["hoks_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_workplace_period_instructor_email"), ["instructor_email"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workplace_period_module_id"), ["module_id"], unique=False
        )

    # The audit chains exist from the start, each at the genesis hash (ehoks.audit.models).
    chains = sa.table(
        "audit_chain",
        sa.column("chain", sa.Integer),
        sa.column("length", sa.BigInteger),
        sa.column("head_hash", sa.String),
    )
    op.bulk_insert(
        chains, [{"chain": n, "length": 0, "head_hash": "0" * 64} for n in range(CHAIN_COUNT)]
    )


def downgrade() -> None:
    with op.batch_alter_table("workplace_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workplace_period_module_id"))
        batch_op.drop_index(batch_op.f("ix_workplace_period_instructor_email"))
        batch_op.drop_index(batch_op.f("ix_workplace_period_hoks_id"))

    op.drop_table("workplace_period")
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_index("ix_web_session_principal")

    op.drop_table("web_session")
    op.drop_table("staff_member")
    with op.batch_alter_table("staff_grant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_grant_staff_oid"))
        batch_op.drop_index(batch_op.f("ix_staff_grant_organisation_oid"))

    op.drop_table("staff_grant")
    with op.batch_alter_table("sign_in_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_link_email"))

    op.drop_table("sign_in_link")
    op.drop_table("oidc_sign_in")
    op.drop_table("dev_idp_key")
    op.drop_table("dev_idp_code")
    op.drop_table("code_name")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_oppija_oid"))
        batch_op.drop_index(batch_op.f("ix_audit_event_occurred_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_hoks_id"))

    op.drop_table("audit_event")
    op.drop_table("audit_chain")
