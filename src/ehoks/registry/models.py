"""Local copies of the national registries: persons, study rights and the organisation tree.

Filled by `ehoks registry import` from files in the national JSON formats (Koski oppija documents
and organisaatio documents). Tables hold the fields that decisions and listings need; the raw
study-right document is kept as well, because people's own views show it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text, column
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime, utcnow

OID_LENGTH = 64


class Organisation(Base):
    __tablename__ = "organisation"

    oid: Mapped[str] = mapped_column(String(OID_LENGTH), primary_key=True)
    names: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    parent_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH), index=True)
    # "|root|...|parent|" as in the organisaatio service: every ancestor, nearest last.
    parent_oid_path: Mapped[str] = mapped_column(Text, default="")
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    # True while all we know comes from a study right (Koski names the organisation but not its
    # place in the tree); the organisation's own document replaces it.
    provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the national registry last confirmed the row over HTTP (None: only imported).
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Person(Base):
    __tablename__ = "person"

    oid: Mapped[str] = mapped_column(String(OID_LENGTH), primary_key=True)
    hetu: Mapped[str | None] = mapped_column(String(16), unique=True)
    first_names: Mapped[str | None] = mapped_column(Text)
    calling_name: Mapped[str | None] = mapped_column(Text)
    last_name: Mapped[str | None] = mapped_column(Text)
    birth_date: Mapped[date | None] = mapped_column(Date)
    protection_order: Mapped[bool] = mapped_column(Boolean, default=False)  # turvakielto
    # The person register merges duplicates: a merged OID points at its master OID.
    master_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the national registry last confirmed the row over HTTP (None: only imported).
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def _own_study_rights_index(owner: str, other: str) -> Index:
    """One owner's study rights that stand on their own (no procured training), carrying what
    the report of students without a plan filters on: on PostgreSQL the report reads each owner's
    part of it without a table row (a study right's row holds its whole Koski document)."""
    return Index(
        f"ix_study_right_{owner.removesuffix('_oid')}_own",
        owner,
        postgresql_include=[
            "oid",
            other,
            "tyyppi",
            "alkamispaiva",
            "paattymispaiva",
            "latest_tila",
        ],
        postgresql_where=column("contained_in_oid").is_(None),
        info={"postgresql_only": True},
    )


class StudyRight(Base):
    __tablename__ = "study_right"
    __table_args__ = (
        _own_study_rights_index("oppilaitos_oid", "koulutustoimija_oid"),
        _own_study_rights_index("koulutustoimija_oid", "oppilaitos_oid"),
    )

    oid: Mapped[str] = mapped_column(String(OID_LENGTH), primary_key=True)
    oppija_oid: Mapped[str] = mapped_column(
        String(OID_LENGTH), ForeignKey("person.oid"), index=True
    )
    tyyppi: Mapped[str] = mapped_column(String(64))
    oppilaitos_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH), index=True)
    koulutustoimija_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH), index=True)
    alkamispaiva: Mapped[date | None] = mapped_column(Date)
    arvioitu_paattymispaiva: Mapped[date | None] = mapped_column(Date)
    paattymispaiva: Mapped[date | None] = mapped_column(Date)
    latest_tila: Mapped[str | None] = mapped_column(String(64))
    suoritus_tyypit: Mapped[list[str]] = mapped_column(JSON, default=list)
    tutkinto_nimi: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    osaamisala_nimi: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # sisältyyOpiskeluoikeuteen: the study right this one is part of (procured training).
    contained_in_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH), index=True)
    contained_in_oppilaitos_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the national registry last confirmed the row over HTTP (None: only imported).
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CodeName(Base):
    """The names of a code value (koodisto koodi, ePerusteet unit) in fi/sv/en.

    Keyed by the koodi-URI as HOKS documents spell it (e.g. `tutkinnonosat_100031`,
    `urasuunnitelma_0001`), so any code in a document can be shown by name.
    """

    __tablename__ = "code_name"

    uri: Mapped[str] = mapped_column(String(256), primary_key=True)
    names: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class QualificationUnit(Base):
    """A tutkinnon osa of a qualification, as the qualification's ePerusteet peruste lists it.

    Keyed by the peruste's diaarinumero, which a Koski study right names
    (`suoritukset[].koulutusmoduuli.perusteenDiaarinumero`): the units of a student's
    qualification are known from the study right alone.
    """

    __tablename__ = "qualification_unit"

    diaarinumero: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_uri: Mapped[str] = mapped_column(String(256), primary_key=True)
