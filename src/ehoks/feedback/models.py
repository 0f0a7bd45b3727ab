"""Feedback tables: the surveys (palautteet), their events, messages and the worker's jobs.

A feedback row is decided in the transaction of the HOKS write that caused it, and so is the job
that will handle it (a transactional outbox): a saved plan has its feedback recorded, a failed
save records none. `key` carries the national uniqueness rule, so two writers at once still give
one row: a student survey is keyed by kind, student, koulutustoimija and funding period; a
workplace feedback by the HOKS and the period's `yksiloiva-tunniste`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Identity, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime, utcnow

OID_LENGTH = 64


class Feedback(Base):
    """One survey (palaute) of one student or one workplace period."""

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_oppija_state", "oppija_oid", "state"),
        Index("ix_feedback_hoks_kind", "hoks_id", "kind"),
        # The monthly e-mail gathers its group's feedback by this (was a JSON field, unindexed).
        Index("ix_feedback_mail_group_state", "mail_group", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    # The national uniqueness rule as one value (module docstring); unique.
    key: Mapped[str] = mapped_column(String(400), unique=True)
    # kyselytyyppi (rules.Kind), e.g. aloittaneet or tyopaikkajakson_suorittaneet.
    kind: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(40))
    # Why it is in its state, when a rule decided it (e.g. "tuva", "ohjaaja_puuttuu").
    reason: Mapped[str | None] = mapped_column(String(80))
    hoks_id: Mapped[int] = mapped_column(ForeignKey("hoks.id", ondelete="CASCADE"))
    oppija_oid: Mapped[str] = mapped_column(String(OID_LENGTH))
    opiskeluoikeus_oid: Mapped[str] = mapped_column(String(OID_LENGTH))
    koulutustoimija_oid: Mapped[str] = mapped_column(String(OID_LENGTH))
    oppilaitos_oid: Mapped[str | None] = mapped_column(String(OID_LENGTH))
    herate_date: Mapped[date] = mapped_column(Date)
    # The funding period (rahoituskausi 1.7.-30.6.) as the year it starts in.
    funding_period: Mapped[int] = mapped_column(Integer)
    period_tunniste: Mapped[str | None] = mapped_column(String(256))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    # Sent with every creation attempt, so Arvo can recognise a retry of the same request.
    request_id: Mapped[str] = mapped_column(String(36), unique=True)
    arvo_tunniste: Mapped[str | None] = mapped_column(String(128), unique=True)
    link: Mapped[str | None] = mapped_column(String(1000), unique=True)
    # The workplace feedback's e-mail group (instructor, Y-tunnus, koulutustoimija, qualification,
    # month) as a SHA-256 digest: found by an index, and no copy of the instructor's address.
    mail_group: Mapped[str | None] = mapped_column(String(64))
    # What handling needs of the period (workplace, instructor, unit) copied from the document;
    # instructor contact data here is removed by the retention job.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FeedbackEvent(Base):
    """Every state decision of a feedback (palaute_tapahtumat): old and new state and why."""

    __tablename__ = "feedback_event"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # hoks_tallennus | kasittely | arvo_luonti | lahetys | uudelleenlahetys | vanheneminen
    event: Mapped[str] = mapped_column(String(40))
    old_state: Mapped[str | None] = mapped_column(String(40))
    new_state: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(String(80))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FeedbackMessage(Base):
    """One invitation e-mail, with its delivery state; a workplace one may carry several."""

    __tablename__ = "feedback_message"

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    recipient: Mapped[str | None] = mapped_column(String(320))
    # odottaa_lahetysta | lahetetty | lahetys_epaonnistunut
    state: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
    # The e-mail's Message-ID header: a bounce names the message by it.
    message_id: Mapped[str | None] = mapped_column(String(400), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FeedbackMessageItem(Base):
    """Which feedback a message invited to answer."""

    __tablename__ = "feedback_message_item"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("feedback_message.id", ondelete="CASCADE"), primary_key=True
    )
    feedback_id: Mapped[int] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class FeedbackJob(Base):
    """Work the worker does after a commit: handle a feedback, send an invitation, ...

    `key` keeps one job per purpose (e.g. one handling job per feedback, one grouped e-mail per
    instructor and month). A worker claims a job by setting `lease_token` and `leased_until`;
    another worker skips it until the lease runs out (a worker that died mid-job).
    """

    __tablename__ = "feedback_job"
    __table_args__ = (Index("ix_feedback_job_due", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, Identity(), primary_key=True)
    key: Mapped[str] = mapped_column(String(600), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # pending | done | parked
    state: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_token: Mapped[str | None] = mapped_column(String(36))
    leased_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class FeedbackCatchUp(Base):
    """How far a catch-up run (deciding the feedback of plans stored before feedback existed)
    got: the next run goes on after `last_hoks_id`."""

    __tablename__ = "feedback_catch_up"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_hoks_id: Mapped[int] = mapped_column(Integer, default=0)
    plans: Mapped[int] = mapped_column(Integer, default=0)
    surveys: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
