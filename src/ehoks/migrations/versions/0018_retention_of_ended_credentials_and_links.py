"""Retention of revoked credentials and ended share links: the columns a stripped row loses
become nullable, and partial indexes find the rows due (few) without reading the rest.

A revoked credential keeps its list, index, key and dates (its status bit) and loses its token,
student and plan; an ended share link keeps its id, secret hash, days and counts (so that its
holder is told it has ended) and loses its plan, student, label and the unit's ids.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_CREDENTIAL_DUE = "revoked_at IS NOT NULL AND token IS NOT NULL"
_LINK_KEPT = "hoks_id IS NOT NULL"
_LINK_WITHDRAWN = "revoked_at IS NOT NULL AND hoks_id IS NOT NULL"


def _partial(name: str, table: str, column: str, where: str) -> None:
    op.create_index(
        name,
        table,
        [column],
        unique=False,
        postgresql_where=sa.text(where),
        sqlite_where=sa.text(where),
    )


def upgrade() -> None:
    with op.batch_alter_table("issued_credential", schema=None) as batch_op:
        batch_op.alter_column("hoks_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("oppija_oid", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("token", existing_type=sa.Text(), nullable=True)
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.alter_column("hoks_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("oppija_oid", existing_type=sa.String(length=64), nullable=True)
    _partial(
        "ix_issued_credential_revoked_kept", "issued_credential", "revoked_at", _CREDENTIAL_DUE
    )
    _partial("ix_share_link_valid_to_kept", "share_link", "valid_to", _LINK_KEPT)
    _partial("ix_share_link_revoked_kept", "share_link", "revoked_at", _LINK_WITHDRAWN)


def downgrade() -> None:
    op.drop_index("ix_share_link_revoked_kept", table_name="share_link")
    op.drop_index("ix_share_link_valid_to_kept", table_name="share_link")
    op.drop_index("ix_issued_credential_revoked_kept", table_name="issued_credential")
    # A stripped link cannot name its plan again: it goes (its holder is told "unknown"). A
    # stripped credential must stay, its status bit says it is revoked: empty values fill it.
    op.execute("DELETE FROM share_link WHERE hoks_id IS NULL")
    op.execute(
        "UPDATE issued_credential SET token = '', oppija_oid = '', hoks_id = 0 WHERE token IS NULL"
    )
    with op.batch_alter_table("share_link", schema=None) as batch_op:
        batch_op.alter_column("oppija_oid", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hoks_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("issued_credential", schema=None) as batch_op:
        batch_op.alter_column("token", existing_type=sa.Text(), nullable=False)
        batch_op.alter_column("oppija_oid", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hoks_id", existing_type=sa.Integer(), nullable=False)
