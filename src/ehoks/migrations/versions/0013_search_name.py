"""Staff lists as ordered index range scans: a stored folded name, live-row indexes and trigrams.

`hoks.search_name` holds the student's name folded for search (case and accents, as
`ehoks.kit.folding` folds what is typed), so a search no longer folds every row in SQL. The
(owner, sort name, id) indexes cover only live plans and carry what a list filters on, so a list
page and its count are read from an index alone; on PostgreSQL a trigram index (pg_trgm) finds
the plans whose name has a word beginning with what was typed.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ehoks.kit.folding import search_name

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

_BATCH = 5000
_LIVE = sa.text("deleted_at IS NULL")


def fill_search_names(connection: sa.Connection) -> int:
    """Write `search_name` from `sort_name` on every row; the number of rows written."""
    hoks = sa.table(
        "hoks",
        sa.column("id", sa.Integer),
        sa.column("sort_name", sa.String),
        sa.column("search_name", sa.String),
    )
    # Keyset pages of _BATCH rows in id order, each written with one executemany.
    page_after = (
        sa.select(hoks.c.id, hoks.c.sort_name)
        .where(hoks.c.id > sa.bindparam("after"))
        .order_by(hoks.c.id)
        .limit(_BATCH)
    )
    write = hoks.update().where(hoks.c.id == sa.bindparam("row_id"))
    write = write.values(search_name=sa.bindparam("folded"))
    written = after = 0
    while rows := connection.execute(page_after, {"after": after}).all():
        connection.execute(
            write, [{"row_id": row.id, "folded": search_name(row.sort_name or "")} for row in rows]
        )
        written += len(rows)
        after = rows[-1].id
    return written


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column("hoks", sa.Column("search_name", sa.Text(), server_default="", nullable=False))
    op.drop_index("ix_hoks_koulutustoimija_sort", table_name="hoks")
    op.drop_index("ix_hoks_oppilaitos_sort", table_name="hoks")
    fill_search_names(op.get_bind())
    for owner, other in (
        ("koulutustoimija_oid", "oppilaitos_oid"),
        ("oppilaitos_oid", "koulutustoimija_oid"),
    ):
        op.create_index(
            f"ix_hoks_{owner.removesuffix('_oid')}_live",
            "hoks",
            [owner, "sort_name", "id"],
            postgresql_include=[other, "search_name"],
            postgresql_where=_LIVE,
            sqlite_where=_LIVE,
        )
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_hoks_search_name_trgm",
            "hoks",
            ["search_name"],
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
            postgresql_where=_LIVE,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_hoks_search_name_trgm", table_name="hoks")
    op.drop_index("ix_hoks_oppilaitos_live", table_name="hoks")
    op.drop_index("ix_hoks_koulutustoimija_live", table_name="hoks")
    op.create_index("ix_hoks_oppilaitos_sort", "hoks", ["oppilaitos_oid", "sort_name", "id"])
    op.create_index(
        "ix_hoks_koulutustoimija_sort", "hoks", ["koulutustoimija_oid", "sort_name", "id"]
    )
    with op.batch_alter_table("hoks", schema=None) as batch_op:
        batch_op.drop_column("search_name")
