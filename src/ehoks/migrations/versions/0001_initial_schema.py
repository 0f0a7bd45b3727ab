"""Initial schema: registries, HOKS documents with history, system clients.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hoks",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("eid", sa.String(length=36), nullable=False),
        sa.Column("oppija_oid", sa.String(length=64), nullable=False),
        sa.Column("opiskeluoikeus_oid", sa.String(length=64), nullable=False),
        sa.Column("oppilaitos_oid", sa.String(length=64), nullable=True),
        sa.Column("koulutustoimija_oid", sa.String(length=64), nullable=True),
        sa.Column("ensikertainen_hyvaksyminen", sa.Date(), nullable=True),
        sa.Column("osaamisen_saavuttamisen_pvm", sa.Date(), nullable=True),
        sa.Column("manuaalisyotto", sa.Boolean(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hoks")),
        sa.UniqueConstraint("eid", name=op.f("uq_hoks_eid")),
        sa.UniqueConstraint("opiskeluoikeus_oid", name=op.f("uq_hoks_opiskeluoikeus_oid")),
    )
    with op.batch_alter_table("hoks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hoks_koulutustoimija_oid"), ["koulutustoimija_oid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hoks_oppija_oid"), ["oppija_oid"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_hoks_oppilaitos_oid"), ["oppilaitos_oid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_hoks_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "organisation",
        sa.Column("oid", sa.String(length=64), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("parent_oid", sa.String(length=64), nullable=True),
        sa.Column("parent_oid_path", sa.Text(), nullable=False),
        sa.Column("types", sa.JSON(), nullable=False),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("oid", name=op.f("pk_organisation")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_parent_oid"), ["parent_oid"], unique=False
        )

    op.create_table(
        "person",
        sa.Column("oid", sa.String(length=64), nullable=False),
        sa.Column("hetu", sa.String(length=16), nullable=True),
        sa.Column("first_names", sa.Text(), nullable=True),
        sa.Column("calling_name", sa.Text(), nullable=True),
        sa.Column("last_name", sa.Text(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("protection_order", sa.Boolean(), nullable=False),
        sa.Column("master_oid", sa.String(length=64), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("oid", name=op.f("pk_person")),
        sa.UniqueConstraint("hetu", name=op.f("uq_person_hetu")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_master_oid"), ["master_oid"], unique=False)

    op.create_table(
        "system_client",
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation_oid", sa.String(length=64), nullable=False),
        sa.Column("access", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("client_id", name=op.f("pk_system_client")),
    )
    with op.batch_alter_table("system_client", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_system_client_organisation_oid"), ["organisation_oid"], unique=False
        )

    op.create_table(
        "hoks_revision",
        sa.Column("id", sa.Integer(), sa.Identity(always=False), nullable=False),
        sa.Column("hoks_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("valid_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=200), nullable=False),
        sa.Column("superseded_by_operation", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["hoks_id"], ["hoks.id"], name=op.f("fk_hoks_revision_hoks_id_hoks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hoks_revision")),
        sa.UniqueConstraint("hoks_id", "revision", name="uq_hoks_revision_revision"),
    )
    with op.batch_alter_table("hoks_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hoks_revision_hoks_id"), ["hoks_id"], unique=False)

    op.create_table(
        "study_right",
        sa.Column("oid", sa.String(length=64), nullable=False),
        sa.Column("oppija_oid", sa.String(length=64), nullable=False),
        sa.Column("tyyppi", sa.String(length=64), nullable=False),
        sa.Column("oppilaitos_oid", sa.String(length=64), nullable=True),
        sa.Column("koulutustoimija_oid", sa.String(length=64), nullable=True),
        sa.Column("alkamispaiva", sa.Date(), nullable=True),
        sa.Column("arvioitu_paattymispaiva", sa.Date(), nullable=True),
        sa.Column("paattymispaiva", sa.Date(), nullable=True),
        sa.Column("latest_tila", sa.String(length=64), nullable=True),
        sa.Column("suoritus_tyypit", sa.JSON(), nullable=False),
        sa.Column("tutkinto_nimi", sa.JSON(), nullable=False),
        sa.Column("osaamisala_nimi", sa.JSON(), nullable=False),
        sa.Column("contained_in_oid", sa.String(length=64), nullable=True),
        sa.Column("contained_in_oppilaitos_oid", sa.String(length=64), nullable=True),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["oppija_oid"], ["person.oid"], name=op.f("fk_study_right_oppija_oid_person")
        ),
        sa.PrimaryKeyConstraint("oid", name=op.f("pk_study_right")),
    )
    with op.batch_alter_table("study_right", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_right_contained_in_oid"), ["contained_in_oid"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_study_right_koulutustoimija_oid"), ["koulutustoimija_oid"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_study_right_oppija_oid"), ["oppija_oid"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_study_right_oppilaitos_oid"), ["oppilaitos_oid"], unique=False
        )

    if op.get_bind().dialect.name == "postgresql":
        # Documents are ~10 KB of JSON; lz4 compresses them much faster than the default pglz,
        # which bounds ingest on one backend's CPU (docs/operations.md).
        op.execute("ALTER TABLE hoks ALTER COLUMN document SET COMPRESSION lz4")
        op.execute("ALTER TABLE hoks_revision ALTER COLUMN document SET COMPRESSION lz4")


def downgrade() -> None:
    with op.batch_alter_table("study_right", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_right_oppilaitos_oid"))
        batch_op.drop_index(batch_op.f("ix_study_right_oppija_oid"))
        batch_op.drop_index(batch_op.f("ix_study_right_koulutustoimija_oid"))
        batch_op.drop_index(batch_op.f("ix_study_right_contained_in_oid"))

    op.drop_table("study_right")
    with op.batch_alter_table("hoks_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hoks_revision_hoks_id"))

    op.drop_table("hoks_revision")
    with op.batch_alter_table("system_client", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_system_client_organisation_oid"))

    op.drop_table("system_client")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_master_oid"))

    op.drop_table("person")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_parent_oid"))

    op.drop_table("organisation")
    with op.batch_alter_table("hoks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hoks_updated_at"))
        batch_op.drop_index(batch_op.f("ix_hoks_oppilaitos_oid"))
        batch_op.drop_index(batch_op.f("ix_hoks_oppija_oid"))
        batch_op.drop_index(batch_op.f("ix_hoks_koulutustoimija_oid"))

    op.drop_table("hoks")
