"""Checkers for single values, built once per field type.

A checker takes (value, parent path, key, ctx) and returns the canonical value, or INVALID after
adding a violation to ctx. The path of the value is only built when something is wrong, which
keeps the common, valid case fast.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Final, TypeGuard

from ehoks.hoksmodel import formats
from ehoks.hoksmodel.context import ACHIEVEMENT_EARLIEST_EXCLUSIVE, INVALID, Ctx
from ehoks.hoksmodel.formats import OidKind
from ehoks.hoksmodel.spec import DB_VARCHAR, FieldType, Kind

Checker = Callable[[object, str, str, Ctx], object]

INT_MIN: Final = -(2**31)
INT_MAX: Final = 2**31 - 1
_EARLIEST_SHOWN: Final = (ACHIEVEMENT_EARLIEST_EXCLUSIVE + timedelta(days=1)).isoformat()
_PHONE: Final = re.compile(r"[-+0-9() ]*", re.ASCII)

_OID_PATTERN_OK: Final[dict[OidKind, Callable[[str], bool]]] = {
    OidKind.OPISKELUOIKEUS: formats.opiskeluoikeus_oid_pattern_ok,
    OidKind.OPPIJA: formats.oppija_oid_pattern_ok,
    OidKind.ORGANISAATIO: formats.is_valid_organisation_oid,
}
_OID_VALID: Final[dict[OidKind, Callable[[object], bool]]] = {
    OidKind.OPISKELUOIKEUS: formats.is_valid_opiskeluoikeus_oid,
    OidKind.OPPIJA: formats.is_valid_oppija_oid,
    OidKind.ORGANISAATIO: formats.is_valid_organisation_oid,
}


def storable(text: str) -> bool:
    """False for text PostgreSQL cannot store: a NUL character or a lone surrogate."""
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _string_input(value: object, parent: str, key: str, ctx: Ctx) -> TypeGuard[str]:
    """Type and character checks shared by every string-typed field."""
    if not isinstance(value, str):
        ctx.add("wrong_type", f"{parent}/{key}", {"expected": "string"})
        return False
    if not storable(value):
        ctx.add("invalid_character", f"{parent}/{key}")
        return False
    return True


def _plain_string(ftype: FieldType) -> Checker:
    max_len = ftype.max_len
    non_empty = ftype.non_empty
    phone = ftype.phone

    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if not _string_input(value, parent, key, ctx):
            return INVALID
        text = value.strip()
        if phone:
            if (max_len is not None and len(text) > max_len) or _PHONE.fullmatch(text) is None:
                ctx.add("invalid_phone_number", f"{parent}/{key}", {"max": max_len})
                return INVALID
            return text
        if non_empty and not text:
            ctx.add("empty_value", f"{parent}/{key}")
            return INVALID
        if max_len is not None and len(text) > max_len:
            ctx.add("too_long", f"{parent}/{key}", {"max": max_len})
            return INVALID
        return text

    return check


def _pattern_string(ftype: FieldType) -> Checker:
    source = ftype.pattern or ""
    regex = re.compile(source, re.ASCII)
    shown = f"^{source}$"
    max_len = ftype.max_len or DB_VARCHAR

    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if not _string_input(value, parent, key, ctx):
            return INVALID
        if len(value) > max_len:
            ctx.add("too_long", f"{parent}/{key}", {"max": max_len})
            return INVALID
        if regex.fullmatch(value) is None:
            ctx.add("invalid_code_uri", f"{parent}/{key}", {"pattern": shown})
            return INVALID
        return value

    return check


def _oid(ftype: FieldType) -> Checker:
    kind = ftype.oid or OidKind.ORGANISAATIO
    pattern_ok = _OID_PATTERN_OK[kind]
    valid = _OID_VALID[kind]
    params = {"kind": kind.value}

    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if not _string_input(value, parent, key, ctx):
            return INVALID
        if not pattern_ok(value):
            ctx.add("invalid_oid", f"{parent}/{key}", dict(params))
            return INVALID
        if not valid(value):
            ctx.add("invalid_oid_checksum", f"{parent}/{key}", dict(params))
            return INVALID
        return value

    return check


def _business_id(_: FieldType) -> Checker:
    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if not _string_input(value, parent, key, ctx):
            return INVALID
        if not formats.business_id_pattern_ok(value):
            ctx.add("invalid_business_id", f"{parent}/{key}")
            return INVALID
        if not formats.business_id_checksum_ok(value):
            ctx.add("invalid_business_id_checksum", f"{parent}/{key}")
            return INVALID
        return value

    return check


def _uuid(_: FieldType) -> Checker:
    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if not _string_input(value, parent, key, ctx):
            return INVALID
        if not formats.is_uuid(value):
            ctx.add("invalid_uuid", f"{parent}/{key}")
            return INVALID
        return value

    return check


def _date(ftype: FieldType) -> Checker:
    achievement = ftype.achievement

    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if not _string_input(value, parent, key, ctx):
            return INVALID
        day = formats.parse_date(value)
        if day is None:
            ctx.add("invalid_date", f"{parent}/{key}")
            return INVALID
        if achievement and not _achievement_ok(day, ctx):
            ctx.add(
                "achievement_date_out_of_range",
                f"{parent}/{key}",
                {
                    "earliest": _EARLIEST_SHOWN,
                    "latest": ctx.achievement_latest.isoformat(),
                },
            )
            return INVALID
        return value

    return check


def _achievement_ok(day: date, ctx: Ctx) -> bool:
    # §5.5: strictly after 2018-01-01 and strictly before today + 15 days.
    return ACHIEVEMENT_EARLIEST_EXCLUSIVE < day <= ctx.achievement_latest


def _timestamp(_: FieldType) -> Checker:
    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if not _string_input(value, parent, key, ctx):
            return INVALID
        canonical = formats.canonical_timestamp(value)
        if canonical is None:
            ctx.add("invalid_timestamp", f"{parent}/{key}")
            return INVALID
        return canonical

    return check


def _int(_: FieldType) -> Checker:
    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if isinstance(value, float) and value.is_integer():
            # 1.0 is an integer written as a float; accept it without loss.
            number = int(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            ctx.add("wrong_type", f"{parent}/{key}", {"expected": "integer"})
            return INVALID
        if not INT_MIN <= number <= INT_MAX:
            ctx.add("out_of_range", f"{parent}/{key}", {"min": INT_MIN, "max": INT_MAX})
            return INVALID
        return number

    return check


def _number(ftype: FieldType) -> Checker:
    non_negative = ftype.non_negative

    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if isinstance(value, bool) or not isinstance(value, int | float):
            ctx.add("wrong_type", f"{parent}/{key}", {"expected": "number"})
            return INVALID
        if isinstance(value, float) and not math.isfinite(value):
            ctx.add("wrong_type", f"{parent}/{key}", {"expected": "number"})
            return INVALID
        if non_negative and value < 0:
            ctx.add("negative_value", f"{parent}/{key}")
            return INVALID
        return value

    return check


def _boolean(_: FieldType) -> Checker:
    def check(value: object, parent: str, key: str, ctx: Ctx) -> object:
        if type(value) is not bool:
            ctx.add("wrong_type", f"{parent}/{key}", {"expected": "boolean"})
            return INVALID
        return value

    return check


SCALAR_FACTORIES: Final[dict[Kind, Callable[[FieldType], Checker]]] = {
    Kind.STRING: _plain_string,
    Kind.PATTERN: _pattern_string,
    Kind.OID: _oid,
    Kind.BUSINESS_ID: _business_id,
    Kind.UUID: _uuid,
    Kind.DATE: _date,
    Kind.TIMESTAMP: _timestamp,
    Kind.INT: _int,
    Kind.NUMBER: _number,
    Kind.BOOLEAN: _boolean,
}
