"""The change feed by owner: each change row names its plan's oppilaitos and koulutustoimija.

A provider's "what changed since" query walked every provider's changes after its cursor in
commit order and kept its own after joining each one to its plan: a provider whose plans change
rarely read the whole country's changes for each page. With the owners on the change row (a
plan's owners never change after it is created) and an (owner, txid, seq) index on each, the
feed reads a range per organisation of the caller, in order, that stops at the page's end.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

OID_LENGTH = 64


def upgrade() -> None:
    with op.batch_alter_table("hoks_change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oppilaitos_oid", sa.String(OID_LENGTH), nullable=True))
        batch_op.add_column(sa.Column("koulutustoimija_oid", sa.String(OID_LENGTH), nullable=True))
    op.execute(
        "UPDATE hoks_change SET "
        "oppilaitos_oid = (SELECT oppilaitos_oid FROM hoks WHERE hoks.id = hoks_change.hoks_id), "
        "koulutustoimija_oid = "
        "(SELECT koulutustoimija_oid FROM hoks WHERE hoks.id = hoks_change.hoks_id)"
    )
    op.create_index(
        "ix_hoks_change_oppilaitos_txid_seq", "hoks_change", ["oppilaitos_oid", "txid", "seq"]
    )
    op.create_index(
        "ix_hoks_change_koulutustoimija_txid_seq",
        "hoks_change",
        ["koulutustoimija_oid", "txid", "seq"],
    )


def downgrade() -> None:
    op.drop_index("ix_hoks_change_koulutustoimija_txid_seq", table_name="hoks_change")
    op.drop_index("ix_hoks_change_oppilaitos_txid_seq", table_name="hoks_change")
    with op.batch_alter_table("hoks_change", schema=None) as batch_op:
        batch_op.drop_column("koulutustoimija_oid")
        batch_op.drop_column("oppilaitos_oid")
