"""Each owner's study rights that stand on their own, with what the report without a plan needs.

The report of students without a plan reads every active study right of an organisation and its
schools. With the owner indexes alone that is a bitmap scan of the study rights' rows, each
holding its whole Koski document (about 2 KB a row at the national scale). These indexes, one per
owner column, carry the columns the report filters and orders on, for the study rights that are
not procured training inside another one (those are planned in the study right they are part
of), so each owner's part is an index-only scan. PostgreSQL only (INCLUDE); SQLite gets nothing.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_OWNERS = (("oppilaitos_oid", "koulutustoimija_oid"), ("koulutustoimija_oid", "oppilaitos_oid"))


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for owner, other in _OWNERS:
        op.create_index(
            f"ix_study_right_{owner.removesuffix('_oid')}_own",
            "study_right",
            [owner],
            postgresql_include=[
                "oid",
                other,
                "tyyppi",
                "alkamispaiva",
                "paattymispaiva",
                "latest_tila",
            ],
            postgresql_where=sa.text("contained_in_oid IS NULL"),
        )
    op.execute("ANALYZE study_right")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for owner, _ in _OWNERS:
        op.drop_index(f"ix_study_right_{owner.removesuffix('_oid')}_own", table_name="study_right")
