"""Throttling repeated attempts (wrong secrets, sign-in starts), counted in the database.

Every web process sees the same counts, so running more processes does not multiply what an
attacker may try. A `Limit` allows `attempts` in each fixed window of `window` per subject (a
client id, an address); `wait` tells how long a subject over its limit must wait, `count` adds an
attempt. Subjects are stored only as a keyed digest: the table never holds an address.

Windows are fixed, and a window's attempts count also during the next one: a subject may make
at most `attempts` in any two windows in a row, however they fall on the clock. Rows older than
that are useless and are deleted by `purge` (`ehoks maintenance purge`) and now and then by
`count` itself.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import Integer, String, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from ehoks.kit.db.base import Base, UTCDateTime
from ehoks.kit.errors import ApiError

# How often `count` also deletes past windows' rows (one attempt in this many).
_PURGE_ONE_IN: Final = 200
_EPOCH: Final = datetime(2000, 1, 1, tzinfo=UTC)


class ThrottleCount(Base):
    """Attempts of one subject under one limit in one window."""

    __tablename__ = "throttle_count"

    bucket: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `attempts` in each window of `window`, per subject; `name` keeps limits apart."""

    name: str
    attempts: int
    window: timedelta

    def _window_start(self, now: datetime) -> datetime:
        seconds = self.window.total_seconds()
        elapsed = (now - _EPOCH).total_seconds()
        return _EPOCH + timedelta(seconds=math.floor(elapsed / seconds) * seconds)

    def _bucket(self, subject: str) -> str:
        return hashlib.sha256(f"{self.name}\x00{subject}".encode()).hexdigest()


def wait(session: Session, limit: Limit, subject: str, now: datetime) -> int | None:
    """Seconds `subject` must wait before its next attempt, or None if it may try now.

    The attempts of the current window and of the one before it count together, so a window's
    turn does not wipe the slate: a subject at its limit waits until the window after the one
    that holds its attempts has ended.
    """
    start = limit._window_start(now)  # noqa: SLF001 - the module's own helper
    previous = start - limit.window
    attempts: dict[datetime, int] = {
        row.window_start: row.attempts
        for row in session.execute(
            select(ThrottleCount.window_start, ThrottleCount.attempts).where(
                ThrottleCount.bucket == limit._bucket(subject),  # noqa: SLF001
                ThrottleCount.window_start.in_([previous, start]),
            )
        )
    }
    current = attempts.get(start, 0)
    if current + attempts.get(previous, 0) < limit.attempts:
        return None
    # Refused attempts are not counted: once the previous window's attempts drop out, only the
    # current one's are left.
    until = start + limit.window if current < limit.attempts else start + 2 * limit.window
    return max(1, math.ceil((until - now).total_seconds()))


def count(session: Session, limit: Limit, subject: str, now: datetime) -> None:
    """Add one attempt of `subject`; the caller commits (in the request's transaction)."""
    start = limit._window_start(now)  # noqa: SLF001
    values = {
        "bucket": limit._bucket(subject),  # noqa: SLF001
        "window_start": start,
        "attempts": 1,
        # Still counted during the next window (`wait`).
        "expires_at": start + 2 * limit.window,
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ThrottleCount).values(values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["bucket", "window_start"],
            set_={"attempts": ThrottleCount.attempts + 1},
        )
    )
    if random.randrange(_PURGE_ONE_IN) == 0:  # noqa: S311 - a schedule, not a secret
        purge(session, now)


def purge(session: Session, now: datetime) -> int:
    """Delete the rows of windows that have ended; how many."""
    result = session.execute(delete(ThrottleCount).where(ThrottleCount.expires_at <= now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def refuse_if_over(session: Session, checks: list[tuple[Limit, str]], now: datetime) -> None:
    """A 429 `too_many_attempts` (with Retry-After) if any subject is over its limit."""
    waits = [w for limit, subject in checks if (w := wait(session, limit, subject, now))]
    if waits:
        seconds = max(waits)
        raise ApiError(
            429,
            "too_many_attempts",
            params={"seconds": seconds},
            headers={"Retry-After": str(seconds)},
        )


def count_all(session: Session, checks: list[tuple[Limit, str]], now: datetime) -> None:
    """One attempt for every subject of `checks`."""
    for limit, subject in checks:
        count(session, limit, subject, now)
