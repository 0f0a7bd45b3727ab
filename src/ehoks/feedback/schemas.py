"""Wire models of the feedback routes (national kebab-case keys)."""

from __future__ import annotations

from datetime import date, datetime

from ehoks.kit.responses import Wire


class FeedbackEventWire(Wire):
    aika: datetime
    tapahtuma: str
    vanha_tila: str | None
    uusi_tila: str
    syy: str | None


class StudentFeedback(Wire):
    """One of a HOKS's student surveys as staff see it: no link, no answer, no Arvo id."""

    id: int
    kyselytyyppi: str
    tila: str
    syy: str | None
    heratepvm: date
    voimassa_alkupvm: date
    voimassa_loppupvm: date
    lahetetty: datetime | None
    sahkoposti_tila: str | None
    tapahtumat: list[FeedbackEventWire]


class Resent(Wire):
    sahkoposti: str


class Tunnukset(Wire):
    """The Arvo ids (vastaajatunnukset) a palaute backend call made."""

    vastaajatunnukset: list[str]


class Links(Wire):
    kyselylinkit: list[str]


class Sending(Wire):
    """One survey whose invitation a call handled: its state and its message's delivery."""

    id: int
    tila: str
    viestin_tila: str | None


class Sendings(Wire):
    lahetykset: list[Sending]
