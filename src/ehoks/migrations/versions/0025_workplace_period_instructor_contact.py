"""Workplace periods say whether their instructor has contact data (e-mail or phone).

The contact-data removal found a period's instructor only by the projected e-mail address, so an
instructor recorded with a phone number alone kept it past the three months after the period's
end. `has_instructor_contact` is set when the instructor has a `sahkoposti` or a
`puhelinnumero`; the projection writes it with every plan write, and a partial index of the
flagged periods by (hoks_id, loppu) is what the removal's candidate query reads.

The backfill reads the stored documents in Python, a batch of plans at a time, rather than in
SQL: finding a period's instructor in the JSON text takes `jsonb_path_query` on PostgreSQL but
`json_tree` on SQLite, two different statements to keep correct, while one walk of the parsed
document (the projection's own list of where periods are) is the same on both. Each batch is
three statements whatever its size (the plans' ids by keyset, their documents and periods, one
UPDATE of the flagged periods), so 350 000 plans with about a million periods are some 700
batches, and only plans that have a workplace period are read at all. Measured on PostgreSQL
(a shared 2-core machine): 5 000 plans of 10.7 KB with 15 000 periods in about 1 s, of which
0.34 s Python CPU, so some seventy seconds at the national scale.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None
# Vacuumed and analysed after an upgrade that ran this backfill (ehoks.kit.db.migrate.upgrade).
VACUUM_AFTER = ("workplace_period",)

INDEX = "ix_workplace_period_contact_hoks_loppu"
BATCH = 500
# Where the projection finds periods: the units still to be acquired and the common units'
# sub-areas (as `ehoks.instructor.projection` reads them when this revision was written).
UNIT_LISTS = ("hankittavat-ammat-tutkinnon-osat", "hankittavat-paikalliset-tutkinnon-osat")
COMMON_UNITS = "hankittavat-yhteiset-tutkinnon-osat"
CONTACT_KEYS = ("sahkoposti", "puhelinnumero")


def upgrade() -> None:
    op.add_column(
        "workplace_period",
        sa.Column(
            "has_instructor_contact", sa.Boolean(), server_default=sa.false(), nullable=False
        ),
    )
    _backfill(op.get_bind())
    op.create_index(
        INDEX,
        "workplace_period",
        ["hoks_id", "loppu"],
        postgresql_where=sa.text("has_instructor_contact"),
        sqlite_where=sa.text("has_instructor_contact = 1"),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="workplace_period")
    with op.batch_alter_table("workplace_period", schema=None) as batch_op:
        batch_op.drop_column("has_instructor_contact")


def _backfill(connection: sa.Connection) -> None:
    """Set the flag of every projected period whose instructor in the plan's document has an
    e-mail address or a phone (the index is built afterwards, over the finished column)."""
    plans = sa.text(
        "SELECT DISTINCT hoks_id FROM workplace_period WHERE hoks_id > :after "
        "ORDER BY hoks_id LIMIT :batch"
    )
    documents = sa.text("SELECT id, document FROM hoks WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    periods = sa.text(
        "SELECT id, hoks_id, module_id FROM workplace_period WHERE hoks_id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    flag = sa.text(
        "UPDATE workplace_period SET has_instructor_contact = :yes WHERE id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True), sa.bindparam("yes", type_=sa.Boolean()))
    after = 0
    while ids := list(connection.execute(plans, {"after": after, "batch": BATCH}).scalars()):
        reached: set[tuple[int, str]] = set()
        for hoks_id, text in connection.execute(documents, {"ids": ids}):
            reached.update((hoks_id, module) for module in _with_contact(orjson.loads(text)))
        flagged = [
            period_id
            for period_id, hoks_id, module in connection.execute(periods, {"ids": ids})
            if (hoks_id, module) in reached
        ]
        if flagged:
            connection.execute(flag, {"ids": flagged, "yes": True})
        after = ids[-1]


def _with_contact(document: dict[str, Any]) -> Iterator[str]:
    """The `module-id` of every period in `document` whose responsible workplace instructor has
    a `sahkoposti` or a `puhelinnumero` (the projection's rows are workplace periods only, so
    other kinds of period never meet a row)."""
    for period in _periods(document):
        workplace = period.get("tyopaikalla-jarjestettava-koulutus")
        instructor = (
            workplace.get("vastuullinen-tyopaikka-ohjaaja") if isinstance(workplace, dict) else None
        )
        if isinstance(instructor, dict) and any(
            instructor.get(key) is not None for key in CONTACT_KEYS
        ):
            yield str(period.get("module-id", ""))


def _periods(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    holders = [unit for key in UNIT_LISTS for unit in _records(document.get(key))]
    holders += [
        area
        for unit in _records(document.get(COMMON_UNITS))
        for area in _records(unit.get("osa-alueet"))
    ]
    for holder in holders:
        yield from _records(holder.get("osaamisen-hankkimistavat"))


def _records(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
