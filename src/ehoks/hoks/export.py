"""The statistics feed shape ("HOKSVipunen"): a HOKS without contact data and personal names.

Redacted as the national feed does (hoks-model.md 6.7): the student's e-mail and phone go, the
provider's representatives go, the workplace instructor becomes `true`, assessors' names become
"<REDACTED>". Soft-deleted HOKS stay in the feed, marked with `poistettu`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

REDACTED = "<REDACTED>"
_ASSESSOR_LISTS = frozenset(
    {
        "koulutuksen-jarjestaja-osaamisen-arvioijat",
        "tyoelama-osaamisen-arvioijat",
        "aiemmin-hankitun-osaamisen-arvioijat",
    }
)
_REPRESENTATIVES = ("jarjestajan-edustaja", "hankkijan-edustaja")


def feed_form(full: dict[str, Any], deleted_at: datetime | None) -> dict[str, Any]:
    full.pop("sahkoposti", None)
    full.pop("puhelinnumero", None)
    _redact(full)
    if deleted_at is not None:
        full["poistettu"] = format_instant(deleted_at)
    return full


def _redact(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _redact(item)
    elif isinstance(node, dict):
        _redact_record(node)
        for key, value in node.items():
            if key in _ASSESSOR_LISTS and isinstance(value, list):
                for assessor in value:
                    if isinstance(assessor, dict) and "nimi" in assessor:
                        assessor["nimi"] = REDACTED
            else:
                _redact(value)


def _redact_record(record: dict[str, Any]) -> None:
    if "osaamisen-hankkimistapa-koodi-uri" in record:
        for key in _REPRESENTATIVES:
            record.pop(key, None)
    workplace = record.get("tyopaikalla-jarjestettava-koulutus")
    if isinstance(workplace, dict) and "vastuullinen-tyopaikka-ohjaaja" in workplace:
        workplace["vastuullinen-tyopaikka-ohjaaja"] = True


def format_instant(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
