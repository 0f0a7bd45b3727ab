"""Name searches within one organisation: trigram indexes keyed by the owner (PostgreSQL).

A staff list searched by name reads one organisation's plans whose name has a word beginning with
what was typed. The trigram index of migration 0013 finds such names in the whole country (a
common surname: thousands of plans of every provider); these find them within one oppilaitos
or koulutustoimija (btree_gin keys the owner column in the same GIN index), so a search reads
only the matching plans of the organisation, then sorts the few it found. SQLite gets nothing.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_OWNERS = ("oppilaitos_oid", "koulutustoimija_oid")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for owner in _OWNERS:
        op.create_index(
            f"ix_hoks_{owner.removesuffix('_oid')}_name_trgm",
            "hoks",
            [owner, "search_name"],
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
            postgresql_where=sa.text("deleted_at IS NULL"),
        )
    op.execute("ANALYZE hoks")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for owner in _OWNERS:
        op.drop_index(f"ix_hoks_{owner.removesuffix('_oid')}_name_trgm", table_name="hoks")
