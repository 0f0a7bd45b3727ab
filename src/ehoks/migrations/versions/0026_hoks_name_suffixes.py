"""The name-suffix table: every ending of 3 letters or more of each word of each live plan's
folded name, per owner organisation.

The JSON staff search's `nimi` matches any part of a name (as the national service's does), which
the name-word table of word beginnings cannot answer: it read the organisation's name-ordered
range up to its page's matches, or the owner-keyed trigram indexes, at 350 000 plans most of a
JSON search's PostgreSQL CPU. Every part of a word begins one of the word's endings, so a typed
part of 3 letters or more is a btree range of (owner, suffix), as a word is in `hoks_name_word`.

The backfill is one INSERT … SELECT, as migration 0024's: PostgreSQL splits the stored search
names with `string_to_array` and cuts each word's endings with `generate_series`, each plan's
endings made distinct on their own (a small set each) instead of the whole table's at once; SQLite
splits and cuts with recursive queries. Both split on the space alone and cut by character, as
`ehoks.hoks.names.repository.suffixes_of` does for the rows written from now on.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None
# Vacuumed and analysed after an upgrade that ran this backfill (ehoks.kit.db.migrate.upgrade).
VACUUM_AFTER = ("hoks_name_suffix",)

OID_LENGTH = 64

POSTGRESQL_BACKFILL = """
INSERT INTO hoks_name_suffix (hoks_id, owner_oid, suffix, sort_name)
SELECT h.id, o.owner_oid, p.suffix, h.sort_name
FROM hoks h
CROSS JOIN LATERAL (
    SELECT DISTINCT substr(w.word, s.start) AS suffix
    FROM unnest(string_to_array(h.search_name, ' ')) AS w (word)
    CROSS JOIN LATERAL generate_series(1, char_length(w.word) - 2) AS s (start)
) AS p
CROSS JOIN LATERAL (
    SELECT DISTINCT v.owner_oid
    FROM (VALUES (h.oppilaitos_oid), (h.koulutustoimija_oid)) AS v (owner_oid)
    WHERE v.owner_oid IS NOT NULL
) AS o
WHERE h.deleted_at IS NULL
"""

SQLITE_BACKFILL = """
INSERT INTO hoks_name_suffix (hoks_id, owner_oid, suffix, sort_name)
WITH RECURSIVE part (id, word, rest) AS (
    SELECT id, '', search_name || ' ' FROM hoks WHERE deleted_at IS NULL
    UNION ALL
    SELECT id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM part WHERE rest <> ''
),
ending (id, suffix) AS (
    SELECT id, word FROM part WHERE length(word) >= 3
    UNION
    SELECT id, substr(suffix, 2) FROM ending WHERE length(suffix) > 3
),
owner (id, owner_oid) AS (
    SELECT id, oppilaitos_oid FROM hoks UNION SELECT id, koulutustoimija_oid FROM hoks
)
SELECT DISTINCT h.id, o.owner_oid, e.suffix, h.sort_name
FROM ending e JOIN hoks h ON h.id = e.id JOIN owner o ON o.id = e.id
WHERE o.owner_oid IS NOT NULL
"""


def backfill_statement(dialect: str) -> str:
    return POSTGRESQL_BACKFILL if dialect == "postgresql" else SQLITE_BACKFILL


def upgrade() -> None:
    suffix = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        "hoks_name_suffix",
        sa.Column("hoks_id", sa.Integer(), nullable=False),
        sa.Column("owner_oid", sa.String(OID_LENGTH), nullable=False),
        sa.Column("suffix", suffix, nullable=False),
        sa.Column("sort_name", sa.String(400), nullable=False),
        sa.ForeignKeyConstraint(
            ["hoks_id"],
            ["hoks.id"],
            name=op.f("fk_hoks_name_suffix_hoks_id_hoks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("hoks_id", "owner_oid", "suffix", name=op.f("pk_hoks_name_suffix")),
    )
    op.execute(backfill_statement(op.get_bind().dialect.name))
    # The index after the rows: built once, sorted, instead of grown row by row.
    op.create_index(
        "ix_hoks_name_suffix_owner_suffix",
        "hoks_name_suffix",
        ["owner_oid", "suffix", "sort_name", "hoks_id"],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE hoks_name_suffix")


def downgrade() -> None:
    op.drop_index("ix_hoks_name_suffix_owner_suffix", table_name="hoks_name_suffix")
    op.drop_table("hoks_name_suffix")
