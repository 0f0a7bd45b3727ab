"""Sort names in Unicode NFC, as the name search now normalises what is typed.

A name imported with decomposed letters ("a" + U+0308 for "ä") was stored so, and a search typed
with the composed letter did not find it. Only rows whose name changes are written.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_BATCH = 5000


def renormalise(connection: sa.Connection) -> int:
    """Rewrite every non-NFC `hoks.sort_name` in NFC; the number of rows changed."""
    hoks = sa.table("hoks", sa.column("id", sa.Integer), sa.column("sort_name", sa.String))
    changed = 0
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(hoks.c.id, hoks.c.sort_name)
            .where(hoks.c.id > last_id)
            .order_by(hoks.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return changed
        last_id = rows[-1].id
        updates = [
            {"row_id": row.id, "name": unicodedata.normalize("NFC", row.sort_name)}
            for row in rows
            if row.sort_name and not unicodedata.is_normalized("NFC", row.sort_name)
        ]
        if updates:
            connection.execute(
                hoks.update()
                .where(hoks.c.id == sa.bindparam("row_id"))
                .values(sort_name=sa.bindparam("name")),
                updates,
            )
            changed += len(updates)


def upgrade() -> None:
    renormalise(op.get_bind())


def downgrade() -> None:
    # NFC is what the code writes from now on; the decomposed spellings are not worth keeping.
    pass
