"""HOKS storage: one current document per HOKS and the history of every earlier revision.

The document is the canonical JSON in the GET shape (with `module-id`s, without `id`, `eid` and
`manuaalisyotto`, which live in columns). It is stored as text written by orjson, so a GET can
send it without parsing it again; the columns beside it are what queries filter on.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    column,
)
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime, utcnow

OID_LENGTH = 64
_LIVE = column("deleted_at").is_(None)
# A name search reads the whole pending list of new entries of a trigram index: kept short
# (kB, the least allowed; migration 0022).
_GIN_PENDING_LIST = {"gin_pending_list_limit": 64}


def _live_list_index(owner: str, other: str) -> Index:
    """A list of one owner's live plans in name order, carrying what a list filters on (the
    other owner column and the search name), so a page and its count need no table row."""
    return Index(
        f"ix_hoks_{owner.removesuffix('_oid')}_live",
        owner,
        "sort_name",
        "id",
        postgresql_include=[other, "search_name"],
        postgresql_where=_LIVE,
        sqlite_where=_LIVE,
    )


def _owner_name_index(owner: str) -> Index:
    """Word beginnings of the search name within one owner's live plans (pg_trgm and btree_gin):
    a name search of one organisation reads only its matching plans."""
    return Index(
        f"ix_hoks_{owner.removesuffix('_oid')}_name_trgm",
        owner,
        "search_name",
        postgresql_using="gin",
        postgresql_ops={"search_name": "gin_trgm_ops"},
        postgresql_where=_LIVE,
        postgresql_with=_GIN_PENDING_LIST,
        info={"postgresql_only": True},
    )


class Hoks(Base):
    __tablename__ = "hoks"
    __table_args__ = (
        _live_list_index("koulutustoimija_oid", "oppilaitos_oid"),
        _live_list_index("oppilaitos_oid", "koulutustoimija_oid"),
        # Word beginnings of the search name (PostgreSQL's pg_trgm; SQLite lists have none).
        Index(
            "ix_hoks_search_name_trgm",
            "search_name",
            postgresql_using="gin",
            postgresql_ops={"search_name": "gin_trgm_ops"},
            postgresql_where=_LIVE,
            postgresql_with=_GIN_PENDING_LIST,
            info={"postgresql_only": True},
        ),
        _owner_name_index("oppilaitos_oid"),
        _owner_name_index("koulutustoimija_oid"),
        # "Has this study right a live plan?" answered from the index alone (the report of
        # students without a plan asks it of every study right of an organisation).
        Index(
            "ix_hoks_opiskeluoikeus_live",
            "opiskeluoikeus_oid",
            postgresql_where=_LIVE,
            sqlite_where=_LIVE,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    eid: Mapped[str] = mapped_column(String(36), unique=True)
    oppija_oid: Mapped[str] = mapped_column(String(OID_LENGTH), index=True)
    # One HOKS per study right, for ever: soft-deleted ones keep their claim (restore, not redo).
    opiskeluoikeus_oid: Mapped[str] = mapped_column(String(OID_LENGTH), unique=True)
    oppilaitos_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH), index=True)
    koulutustoimija_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH), index=True)
    ensikertainen_hyvaksyminen: Mapped[date | None] = mapped_column(Date)
    osaamisen_saavuttamisen_pvm: Mapped[date | None] = mapped_column(Date)
    manuaalisyotto: Mapped[bool] = mapped_column(Boolean, default=False)
    # The student's name as staff lists sort and search it ("surname first names", lower-case),
    # copied from the person registry so that a list page is an index range scan of one table.
    sort_name: Mapped[str] = mapped_column(String(400), default="", server_default="")
    # The same name folded for search (`ehoks.kit.folding.search_name`: no case, no accents, a
    # space before each word), written with it.
    search_name: Mapped[str] = mapped_column(Text, default="", server_default="")
    revision: Mapped[int] = mapped_column(Integer, default=1)
    document: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_by: Mapped[str] = mapped_column(String(200))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HoksRevision(Base):
    """A superseded revision: what the HOKS said from `valid_from` until `valid_to`."""

    __tablename__ = "hoks_revision"
    __table_args__ = (UniqueConstraint("hoks_id", "revision", name="uq_hoks_revision_revision"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    hoks_id: Mapped[int] = mapped_column(ForeignKey("hoks.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    document: Mapped[str] = mapped_column(Text)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime] = mapped_column(UTCDateTime)
    # Who made this revision, and with which operation it was replaced.
    changed_by: Mapped[str] = mapped_column(String(200))
    superseded_by_operation: Mapped[str] = mapped_column(String(32))


class ChangeKind(StrEnum):
    """What happened to a HOKS, as the change feed names it."""

    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"
    RESTORED = "restored"


class HoksChangeEntry(Base):
    """One change of a HOKS, for the change feed: written in the transaction that made it.

    `txid` is the writing transaction's id on PostgreSQL (0 on SQLite) and orders the feed
    together with `seq`; see `ehoks.kit.db.ordering` for why a sequence alone would not do.
    """

    __tablename__ = "hoks_change"
    __table_args__ = (
        Index("ix_hoks_change_txid_seq", "txid", "seq"),
        # A provider's feed reads a range per organisation of its own (`hoks.changes`).
        Index("ix_hoks_change_oppilaitos_txid_seq", "oppilaitos_oid", "txid", "seq"),
        Index("ix_hoks_change_koulutustoimija_txid_seq", "koulutustoimija_oid", "txid", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    txid: Mapped[int] = mapped_column(BigInteger)
    hoks_id: Mapped[int] = mapped_column(ForeignKey("hoks.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The plan's owners, copied when the change is written (they never change after creation).
    oppilaitos_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH))
    koulutustoimija_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH))


# Compared by code point on PostgreSQL too, so that "begins with w" is the range [w, w + U+10FFFF)
# (a language's collation orders "a-b" and "ab" by other rules); SQLite compares bytes.
_WORD = Text().with_variant(Text(collation="C"), "postgresql")


class HoksNameWord(Base):
    """One word of a live plan's folded student name (`Hoks.search_name`), once per owner
    organisation of the plan (its oppilaitos and its koulutustoimija), with the list's sort name.

    A name search of an organisation reads the plans whose name has a word beginning with the
    typed one as a btree range of (owner, word), in the list's order (sort name, id) for the
    words equal to the typed one; `ehoks.hoks.names.repository` keeps the rows with every write.
    """

    __tablename__ = "hoks_name_word"
    __table_args__ = (
        Index("ix_hoks_name_word_owner_word", "owner_oid", "word", "sort_name", "hoks_id"),
    )

    # The primary key's order lets a plan's words be found (and replaced) by the plan. No foreign
    # key to `hoks` (migration 0027): its check of every inserted row, ~6 rows a plan here and ~25
    # in the suffix table, doubled PostgreSQL's CPU a document of a batch create through the
    # server. The rows are written and removed only by `ehoks.hoks.names.repository`, with the
    # plan's own write; the service never deletes a plan's row (a deletion is `deleted_at`), and
    # whatever does so must remove the plan's name rows too (`names.repository.remove`).
    hoks_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    owner_oid: Mapped[str] = mapped_column(String(OID_LENGTH), primary_key=True)
    word: Mapped[str] = mapped_column(_WORD, primary_key=True)
    sort_name: Mapped[str] = mapped_column(String(400))


class HoksNameSuffix(Base):
    """One ending (3 letters or more, the whole word too) of a word of a live plan's folded
    student name, once per owner organisation of the plan, with the list's sort name.

    Every part of a word is the beginning of one of its endings, so a typed part `p` of 3 letters
    or more occurs in a word of the name exactly when the plan has a row whose suffix is in
    [p, p + U+10FFFF): the JSON search's `nimi` (any part of the name) reads it as a btree range
    of (owner, suffix), in the list's order for the suffixes equal to the typed part.
    `ehoks.hoks.names.repository` keeps the rows with every write, as the name words'.
    """

    __tablename__ = "hoks_name_suffix"
    __table_args__ = (
        Index("ix_hoks_name_suffix_owner_suffix", "owner_oid", "suffix", "sort_name", "hoks_id"),
    )

    # No foreign key to `hoks`, as in `HoksNameWord` (migration 0027).
    hoks_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    owner_oid: Mapped[str] = mapped_column(String(OID_LENGTH), primary_key=True)
    suffix: Mapped[str] = mapped_column(_WORD, primary_key=True)
    sort_name: Mapped[str] = mapped_column(String(400))
