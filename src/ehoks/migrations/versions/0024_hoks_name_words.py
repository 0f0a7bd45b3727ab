"""The name-word table: each live plan's folded name words per owner organisation.

A name search of a large provider read the organisation's name-ordered range up to its first
match (a surname late in the alphabet: most of the provider's plans) or went through the
owner-keyed trigram indexes, which intersect the owner's posting list with every trigram's
across the country: 17-25 ms of PostgreSQL CPU a search at 350 000 plans. With a row per
(owner, word, sort name, plan) a word is a btree range of its own, on SQLite too.

The backfill is one INSERT … SELECT that splits the stored search names (`hoks.search_name`,
already folded, a space before each word) in the database: at 350 000 plans a loop in Python
would send a million rows back and forth, where the database writes them in one pass. PostgreSQL
splits with `string_to_array`, SQLite with a recursive query; both split on the space alone, as
`ehoks.hoks.names.repository.words_of` does for the rows written from now on.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None
# Vacuumed and analysed after an upgrade that ran this backfill (ehoks.kit.db.migrate.upgrade).
VACUUM_AFTER = ("hoks_name_word",)

OID_LENGTH = 64

POSTGRESQL_BACKFILL = """
INSERT INTO hoks_name_word (hoks_id, owner_oid, word, sort_name)
SELECT DISTINCT h.id, o.owner_oid, w.word, h.sort_name
FROM hoks h
CROSS JOIN LATERAL unnest(string_to_array(h.search_name, ' ')) AS w (word)
CROSS JOIN LATERAL (VALUES (h.oppilaitos_oid), (h.koulutustoimija_oid)) AS o (owner_oid)
WHERE h.deleted_at IS NULL AND w.word <> '' AND o.owner_oid IS NOT NULL
"""

SQLITE_BACKFILL = """
INSERT INTO hoks_name_word (hoks_id, owner_oid, word, sort_name)
WITH RECURSIVE part (id, word, rest) AS (
    SELECT id, '', search_name || ' ' FROM hoks WHERE deleted_at IS NULL
    UNION ALL
    SELECT id, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM part WHERE rest <> ''
),
owner (id, owner_oid) AS (
    SELECT id, oppilaitos_oid FROM hoks UNION SELECT id, koulutustoimija_oid FROM hoks
)
SELECT DISTINCT h.id, o.owner_oid, p.word, h.sort_name
FROM part p JOIN hoks h ON h.id = p.id JOIN owner o ON o.id = p.id
WHERE p.word <> '' AND o.owner_oid IS NOT NULL
"""


def backfill_statement(dialect: str) -> str:
    return POSTGRESQL_BACKFILL if dialect == "postgresql" else SQLITE_BACKFILL


def upgrade() -> None:
    word = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")
    op.create_table(
        "hoks_name_word",
        sa.Column("hoks_id", sa.Integer(), nullable=False),
        sa.Column("owner_oid", sa.String(OID_LENGTH), nullable=False),
        sa.Column("word", word, nullable=False),
        sa.Column("sort_name", sa.String(400), nullable=False),
        sa.ForeignKeyConstraint(
            ["hoks_id"],
            ["hoks.id"],
            name=op.f("fk_hoks_name_word_hoks_id_hoks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("hoks_id", "owner_oid", "word", name=op.f("pk_hoks_name_word")),
    )
    op.execute(backfill_statement(op.get_bind().dialect.name))
    # The index after the rows: built once, sorted, instead of grown row by row.
    op.create_index(
        "ix_hoks_name_word_owner_word",
        "hoks_name_word",
        ["owner_oid", "word", "sort_name", "hoks_id"],
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE hoks_name_word")


def downgrade() -> None:
    op.drop_index("ix_hoks_name_word_owner_word", table_name="hoks_name_word")
    op.drop_table("hoks_name_word")
