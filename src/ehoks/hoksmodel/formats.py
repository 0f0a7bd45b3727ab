"""Value formats of the national HOKS model: OIDs, Y-tunnus, UUIDs, dates and timestamps.

The OID and Y-tunnus functions are public because other packages check the same identifiers
(path parameters, registry answers). All functions are total: they never raise on bad input.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

# Java's `\d` is ASCII-only; Python's is not unless re.ASCII is given. Every pattern in this
# package is compiled with re.ASCII so that e.g. Arabic-Indic digits do not pass.
_A: Final = re.ASCII


class OidKind(StrEnum):
    OPISKELUOIKEUS = "opiskeluoikeus"
    OPPIJA = "oppija"
    ORGANISAATIO = "organisaatio"


# Pattern sources (anchored by fullmatch), also published in the JSON Schema.
OID_PATTERNS: Final[dict[OidKind, str]] = {
    OidKind.OPISKELUOIKEUS: r"1\.2\.246\.562\.15\.([1-9][0-9]{9})([0-9]|10)",
    OidKind.OPPIJA: r"1\.2\.246\.562\.(24|[12]?98)\.([1-9][0-9]{9})([0-9]|10)",
    OidKind.ORGANISAATIO: (
        r"1\.2\.246\.562\.(10|[12]?99)\.([1-9][0-9]{9}([0-9]|10)|0{10}1|201[34][0-9]{18})"
    ),
}
BUSINESS_ID_PATTERN: Final = r"[0-9]{7}-[0-9]"
UUID_PATTERN: Final = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
DATE_PATTERN: Final = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

_OPISKELUOIKEUS_OID: Final = re.compile(OID_PATTERNS[OidKind.OPISKELUOIKEUS], _A)
_OPPIJA_OID: Final = re.compile(OID_PATTERNS[OidKind.OPPIJA], _A)
_ORGANISAATIO_OID: Final = re.compile(OID_PATTERNS[OidKind.ORGANISAATIO], _A)
_BUSINESS_ID: Final = re.compile(BUSINESS_ID_PATTERN, _A)
_BUSINESS_ID_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2)
_UUID: Final = re.compile(UUID_PATTERN, _A)
_DATE: Final = re.compile(DATE_PATTERN, _A)
# ISO-8601 date, optionally followed by a time and an offset. Joda's lenient parser (used by the
# national service) also reads a value without offset, or a bare date, in the server's zone.
_TIMESTAMP: Final = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]{1,9}))?)?"
    r"(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?)?",
    _A,
)
HELSINKI: Final = ZoneInfo("Europe/Helsinki")


def _luhn_check_digit(payload: str) -> int:
    total = 0
    # Doubling starts from the rightmost payload digit.
    for position, char in enumerate(reversed(payload)):
        digit = ord(char) - 48
        if position % 2 == 0:
            digit *= 2
            if digit > 9:  # noqa: PLR2004 - digit sum of a two-digit product
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def _ibm_check_digit(payload: str) -> int:
    weights = (7, 3, 1)
    total = sum((ord(char) - 48) * weights[i % 3] for i, char in enumerate(reversed(payload)))
    return (10 - total % 10) % 10


def _check_digit(tail: str) -> int:
    # An old generator wrote "10" where the check digit 0 belonged; both forms are valid.
    return 0 if tail == "10" else int(tail)


def opiskeluoikeus_oid_pattern_ok(value: str) -> bool:
    return _OPISKELUOIKEUS_OID.fullmatch(value) is not None


def oppija_oid_pattern_ok(value: str) -> bool:
    return _OPPIJA_OID.fullmatch(value) is not None


def is_valid_opiskeluoikeus_oid(value: object) -> bool:
    """True for a study-right OID (node 15) whose Luhn check digit is right."""
    if not isinstance(value, str):
        return False
    match = _OPISKELUOIKEUS_OID.fullmatch(value)
    if match is None:
        return False
    return _luhn_check_digit(match.group(1)) == _check_digit(match.group(2))


def is_valid_oppija_oid(value: object) -> bool:
    """True for a student OID: node 24 checked with IBM 1-3-7, nodes 98/198/298 with Luhn."""
    if not isinstance(value, str):
        return False
    match = _OPPIJA_OID.fullmatch(value)
    if match is None:
        return False
    node, payload, tail = match.groups()
    expected = _ibm_check_digit(payload) if node == "24" else _luhn_check_digit(payload)
    return expected == _check_digit(tail)


def is_valid_organisation_oid(value: object) -> bool:
    """True for an organisation OID. Only the pattern is checked: real ones fail checksums."""
    return isinstance(value, str) and _ORGANISAATIO_OID.fullmatch(value) is not None


def business_id_pattern_ok(value: str) -> bool:
    return _BUSINESS_ID.fullmatch(value) is not None


def business_id_checksum_ok(value: str) -> bool:
    total = sum(int(value[i]) * w for i, w in enumerate(_BUSINESS_ID_WEIGHTS))
    remainder = total % 11
    if remainder == 1:  # no check digit exists for this payload
        return False
    expected = 0 if remainder == 0 else 11 - remainder
    return expected == int(value[8])


def is_valid_business_id(value: object) -> bool:
    """True for a Finnish Y-tunnus `NNNNNNN-C` with a correct check digit."""
    return (
        isinstance(value, str) and business_id_pattern_ok(value) and business_id_checksum_ok(value)
    )


def is_uuid(value: str) -> bool:
    """True for a UUID in lowercase canonical 8-4-4-4-12 form."""
    return _UUID.fullmatch(value) is not None


def parse_date(value: str) -> date | None:
    """The calendar date of a `YYYY-MM-DD` string, or None."""
    if _DATE.fullmatch(value) is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _offset_seconds(text: str) -> int | None:
    if text == "Z":
        return 0
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:4]) if len(digits) > 2 else 0  # noqa: PLR2004 - hh then mm
    if hours > 23 or minutes > 59:  # noqa: PLR2004 - clock limits
        return None
    return sign * (hours * 3600 + minutes * 60)


def canonical_timestamp(value: str) -> str | None:
    """The instant as UTC `YYYY-MM-DDTHH:MM:SS.sssZ`, or None when it cannot be read.

    A value without an offset (or a bare date) is read in Europe/Helsinki, as the national
    service reads it in its server's zone. Fractions beyond milliseconds are truncated.
    """
    match = _TIMESTAMP.fullmatch(value)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        day_part = date(int(year), int(month), int(day))
        clock = time(
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0")[:6].ljust(6, "0")),
        )
        local = datetime.combine(day_part, clock)
        if offset is None:
            moment = local.replace(tzinfo=HELSINKI)
        else:
            seconds = _offset_seconds(offset)
            if seconds is None:
                return None
            moment = local.replace(tzinfo=timezone(timedelta(seconds=seconds)))
        utc = moment.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"
