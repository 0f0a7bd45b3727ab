"""The built-in survey: what the links of the built-in issuer open (no Arvo configured).

Deliberately small: one overall rating and an optional comment, so that `make run` shows the
whole flow on one machine. The link is the credential, as Arvo's are: it names one survey, shows
nothing about the student, and takes one answer within the answer window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy.orm import Session

from ehoks.feedback import repository
from ehoks.feedback.rules import Kind, State
from ehoks.kit.errors import ApiError

ANSWERABLE: Final = frozenset({State.SURVEY_CREATED, State.TUNNUS_CREATED, State.SENT})
RATINGS: Final = ("1", "2", "3", "4", "5")
MAX_COMMENT: Final = 2000


@dataclass(frozen=True, slots=True)
class Survey:
    tunnus: str
    kind: Kind
    status: str  # "open" | "answered" | "closed"
    valid_to: date


def survey(session: Session, tunnus: str, today: date) -> Survey:
    """The survey of a built-in link; 404 for a link that is not one."""
    feedback = repository.by_tunnus(session, tunnus)
    if feedback is None:
        raise ApiError(404, "survey_not_found")
    if feedback.state == State.ANSWERED:
        status = "answered"
    elif feedback.state in ANSWERABLE and feedback.valid_from <= today <= feedback.valid_to:
        status = "open"
    else:
        status = "closed"
    return Survey(tunnus, Kind(feedback.kind), status, feedback.valid_to)


def answer(
    session: Session, tunnus: str, rating: str, comment: str, *, now: datetime, today: date
) -> Survey:
    """Record the answer; the survey as it was when it could not take one."""
    found = survey(session, tunnus, today)
    if found.status != "open":
        return found
    feedback = repository.by_tunnus(session, tunnus, lock=True)
    assert feedback is not None  # survey() found it  # noqa: S101
    repository.set_state(
        session,
        feedback.id,
        {
            "state": State.ANSWERED.value,
            "updated_at": now,
            "details": {
                **feedback.details,
                "vastaus": {"arvosana": int(rating), "kommentti": comment[:MAX_COMMENT]},
            },
        },
    )
    repository.add_event(
        session,
        feedback.id,
        event="vastaus",
        old_state=feedback.state,
        new_state=State.ANSWERED,
        reason=None,
        at=now,
    )
    return Survey(tunnus, found.kind, "answered", found.valid_to)
