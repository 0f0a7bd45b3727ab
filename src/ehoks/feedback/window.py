"""The sending window: invitations go out only on the days and hours it names (Helsinki time).

`EHOKS_FEEDBACK_SENDING_WINDOW` is `always` or days and hours such as `Mon-Fri 07:00-18:00`
(the default, as nationally: Finnish business hours, holidays not considered).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

DAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PATTERN: Final = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{2}:\d{2})-(?P<end>\d{2}:\d{2})\s*$"
)


class WindowSettingError(ValueError):
    """The sending-window setting cannot be read."""


@dataclass(frozen=True, slots=True)
class SendingWindow:
    days: frozenset[int]  # Monday = 0
    start: time
    end: time
    zone: ZoneInfo
    always: bool = False

    @classmethod
    def parse(cls, text: str, zone: str = "Europe/Helsinki") -> SendingWindow:
        tz = ZoneInfo(zone)
        if text.strip().lower() == "always":
            return cls(frozenset(range(7)), time(), time(), tz, always=True)
        match = _PATTERN.match(text.lower())
        if match is None or match["first"] not in DAYS or (match["last"] or "mon") not in DAYS:
            raise WindowSettingError(
                f"EHOKS_FEEDBACK_SENDING_WINDOW: {text!r} is not 'always' nor like "
                "'Mon-Fri 07:00-18:00'"
            )
        first = DAYS.index(match["first"])
        last = DAYS.index(match["last"]) if match["last"] else first
        days = (
            frozenset(range(first, last + 1))
            if first <= last
            else frozenset([*range(first, 7), *range(last + 1)])
        )
        start, end = time.fromisoformat(match["start"]), time.fromisoformat(match["end"])
        if end <= start:
            raise WindowSettingError(
                "EHOKS_FEEDBACK_SENDING_WINDOW: the hours end before they start"
            )
        return cls(days, start, end, tz)

    def is_open(self, moment: datetime) -> bool:
        if self.always:
            return True
        local = moment.astimezone(self.zone)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_open(self, moment: datetime) -> datetime:
        """`moment` if the window is open then, otherwise when it next opens (UTC)."""
        if self.is_open(moment):
            return moment
        local = moment.astimezone(self.zone)
        for offset in range(8):
            day = local.date() + timedelta(days=offset)
            opens = datetime.combine(day, self.start, self.zone)
            if day.weekday() in self.days and opens > local:
                return opens.astimezone(UTC)
        raise WindowSettingError(
            "the sending window never opens"
        )  # pragma: no cover - parse refuses
