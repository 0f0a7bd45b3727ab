"""Retention counted in whole days after the day something ended (in the service's time zone),
so that a page can name the day it goes ("Removed on 6.1.2027") and the purge agrees with it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

# Rows stripped per transaction by `ehoks maintenance purge`: short locks, steady progress.
BATCH: Final = 100


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    return moment.astimezone(zone).date()


def removal_day(ended_on: date, days: int) -> date:
    """The day a row whose use ended on `ended_on` is removed (0 days: that same day)."""
    return ended_on + timedelta(days=days)


def due_before(today: date, days: int, zone: ZoneInfo) -> datetime:
    """The moment (UTC) before which an ending makes a row due today: its removal day, the
    local day of the ending plus `days`, is `today` or earlier."""
    first_kept_day = today - timedelta(days=days) + timedelta(days=1)
    return datetime.combine(first_kept_day, time(), tzinfo=zone).astimezone(UTC)


def ended_on_or_before(today: date, days: int) -> date:
    """The last ending day whose removal day is `today` or earlier."""
    return today - timedelta(days=days)
